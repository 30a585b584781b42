import os

import pytest

from tests.conftest import grant
from vigil.audit.models import AuditEntry
from vigil.evidence.models import Document, DocumentRow
from vigil.evidence.storage import open_blob
from vigil.linkage.lists import ListProblems, list_import

MAPPING = ["姓名=full_name", "身份证号=id_number", "性别=sex", "出生日期=birth_date", "关押地点=facility"]
GOOD = "序号,姓名,身份证号,性别,出生日期,关押地点\n1,买买提·吐尔逊,650102198003120012,男,19800312,某看守所\n2,古丽娜尔·艾山,,女,,\n"


@pytest.fixture
def archivist(db, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = django_user_model.objects.create_user(username="archivist", password="x")
    return grant(user, "editor")


@pytest.mark.django_db
def test_list_is_stored_with_every_row_as_it_was(archivist, tmp_path, settings):
    """A list becomes a Document with its hash and provenance; rows keep every cell; the original is write-once."""
    path = tmp_path / "list.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = list_import(actor=archivist, path=path, title="Synthetic list", mapping=MAPPING, provenance="test")
    doc = result.document
    assert result.rows == 2 and doc.kind == "leaked_list" and len(doc.sha256) == 64
    assert doc.mapping["姓名"] == "full_name"
    rows = list(DocumentRow.objects.filter(document=doc).order_by("number"))
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].data == {"序号": "1", "姓名": "买买提·吐尔逊", "身份证号": "650102198003120012", "性别": "男", "出生日期": "19800312", "关押地点": "某看守所"}
    stored = settings.MEDIA_ROOT / doc.stored_path
    with open_blob(doc.stored_path) as fh:  # the plaintext (documents are encrypted at rest by default)
        assert fh.read() == path.read_bytes()
    assert oct(os.stat(stored).st_mode & 0o777) == "0o400"
    assert AuditEntry.objects.filter(action="list.import", object_id=str(doc.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "mapping", "fragment"),
    [
        (GOOD.replace("19800312", "19801332"), MAPPING, ":row 2:出生日期: "),
        (GOOD.replace("男", "X"), MAPPING, ":row 2:性别: "),
        (GOOD + ",,,,,\n", MAPPING, None),  # an empty row is skipped, not an error
        (GOOD + "4,,,男,,\n", MAPPING, ":row 4: the row has no name"),
        (GOOD, ["姓名=full_name", "Name=given_name"], "has no column 'Name'"),
        (GOOD, ["姓名=nickname"], "is not a field"),
        (GOOD, ["性别=sex"], "map at least one column"),
        ("姓名\n", ["姓名=full_name"], "has no rows"),
    ],
)
def test_bad_list_changes_nothing(archivist, tmp_path, content, mapping, fragment):
    """A bad file, mapping or row is reported with its place, and nothing is stored."""
    path = tmp_path / "list.csv"
    path.write_text(content, encoding="utf-8")
    if fragment is None:
        assert list_import(actor=archivist, path=path, title="ok", mapping=mapping).rows == 2
        return
    with pytest.raises(ListProblems) as exc:
        list_import(actor=archivist, path=path, title="bad", mapping=mapping)
    assert any(fragment in str(p) for p in exc.value.problems), exc.value.problems
    assert Document.objects.count() == 0 and DocumentRow.objects.count() == 0


@pytest.mark.django_db
def test_same_file_twice_is_refused(archivist, tmp_path):
    """The same file (same SHA-256) is not imported twice."""
    path = tmp_path / "list.csv"
    path.write_text(GOOD, encoding="utf-8")
    list_import(actor=archivist, path=path, title="first", mapping=MAPPING)
    with pytest.raises(ListProblems, match="problem") as exc:
        list_import(actor=archivist, path=path, title="second", mapping=MAPPING)
    assert "already imported as 'first'" in str(exc.value.problems[0])
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_accepting_a_row_match_adds_the_document_as_a_source(archivist, tmp_path, places, editor):
    """Accepting a row-person match makes a record from the row, sourced to the document, in the person's cluster."""
    from tests.linkage.test_services import person
    from vigil.linkage.models import Match
    from vigil.linkage.services import match_decide, person_unmerge
    from vigil.records.models import Claim, Person
    from vigil.records.selectors import person_timeline

    archivist = grant(archivist, "reviewer")
    target = person(editor, 1)
    path = tmp_path / "list.csv"
    path.write_text(GOOD, encoding="utf-8")
    doc = list_import(actor=archivist, path=path, title="list", mapping=MAPPING).document
    row = doc.rows.get(number=2)
    match = Match.objects.create(person_a=target, list_row=row, probability=0.95, match_weight=4.0, model_version="test")
    merge = match_decide(actor=archivist, match=match, accept=True)
    row.refresh_from_db()
    assert row.person is not None and row.person.canonical_id == target.pk
    held = Claim.objects.get(person=row.person, type="held_at")
    assert held.document == doc and held.facility.name == "某看守所"
    assert row.person.identity_numbers.get().document == doc
    assert any(doc.pk in e.document_ids for e in person_timeline(actor=archivist, person=target).events)
    person_unmerge(actor=archivist, merge=merge)
    assert Person.objects.get(pk=row.person_id).canonical_id == row.person_id
