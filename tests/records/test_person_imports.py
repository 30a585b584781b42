"""Person imports from CSV/XLSX files: mapping per source, dry run, atomic writes, row-numbered problems."""

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from tests.conftest import grant, testimony_line
from vigil.audit.models import AuditEntry
from vigil.core.intake import parse_testimony
from vigil.evidence.models import Document
from vigil.exports.models import ImportSource
from vigil.linkage.models import Match
from vigil.records.models import Claim, IdentityNumber, Person
from vigil.records.services import testimony_record
from vigil.records.services.person_imports import PersonImportProblems, persons_import

MAP = ["No=ref", "Name=full_name", "Born=birth_date", "Sex=sex", "Nation=ethnicity", "ID=id_number", "Home=place", "Held at=facility", "Taken=detained_date"]


def write_csv(path, rows):
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


GOOD = [
    ["No", "Name", "Born", "Sex", "Nation", "ID", "Home", "Held at", "Taken"],
    ["1", "Ilham Tohti", "1969", "m", "uyghur", "", "654021", "Synthetic Camp No. 7", "2014-01"],
    ["2", "Synthetic Person Qadir", "1990-02-03", "男", "维吾尔族", "650102198003120012", "伊宁县", "", ""],
]


@pytest.fixture
def on_record(places, editor):
    """One synthetic person already on record, in Chinese characters."""
    line = testimony_line()
    line["persons"][0].update({"names": [{"text": "伊力哈木·土赫提"}], "birth_date": "1969", "identity_numbers": []})
    return testimony_record(actor=editor, draft=parse_testimony(line)[0]).persons.get()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


@pytest.mark.django_db
def test_dry_run_reports_each_row_and_writes_nothing(on_record, editor, tmp_path):
    """A dry run says which rows would be new and which are probably on record, across scripts, and writes nothing."""
    path = write_csv(tmp_path / "list.csv", GOOD)
    before = (Person.objects.count(), Document.objects.count(), AuditEntry.objects.count())
    report = persons_import(actor=editor, path=path, source="Partner A", mapping=MAP, dry_run=True)
    lines = [r.describe(dry_run=True) for r in report.rows]
    assert lines[0].startswith(f"row 2: would match person #{on_record.pk} (")
    assert lines[1] == "row 3: would create"
    assert (Person.objects.count(), Document.objects.count(), AuditEntry.objects.count()) == before
    assert not ImportSource.objects.exists()


@pytest.mark.django_db
def test_import_creates_persons_sourced_to_the_file(on_record, editor, tmp_path):
    """A real run keeps the file as a document, makes one record per row with its facts, and proposes the match for review."""
    path = write_csv(tmp_path / "list.csv", GOOD)
    report = persons_import(actor=editor, path=path, source="Partner A", mapping=MAP)
    document = Document.objects.get(pk=report.document_id)
    assert document.rows.count() == 2 and document.sha256 == report.sha256
    first, second = (Person.objects.get(pk=r.person_id) for r in report.rows)
    assert first.ref == "Partner A:1" and first.canonical_id == first.pk
    assert first.names.get().document == document and first.hometown.code == "654021"
    assert (str(first.birth), first.sex, first.ethnicity) == ("1969", "m", "uyghur")
    assert set(first.claims.values_list("type", flat=True)) == {"held_at", "detained"}
    assert first.status and first.evidence_level == 3  # documented
    assert (second.sex, second.ethnicity, str(second.birth), second.hometown.code) == ("m", "uyghur", "1990-02-03", "654021")
    assert IdentityNumber.objects.get(person=second).normalized == "650102198003120012"
    match = Match.objects.get(person_b=first)
    assert match.person_a_id == on_record.pk and match.status == Match.Status.PROPOSED
    assert first.merged_into is None  # proposed, never merged
    assert AuditEntry.objects.filter(action="persons.import", object_id=str(document.pk)).count() == 1
    assert AuditEntry.objects.filter(action="person.create").count() >= 2


@pytest.mark.django_db
def test_mapping_is_saved_per_source_and_reused(places, editor, tmp_path):
    """The mapping of a source's first import is reused when the next file of that source gives none."""
    persons_import(actor=editor, path=write_csv(tmp_path / "a.csv", GOOD), source="Partner A", mapping=MAP)
    assert ImportSource.objects.get(name="Partner A").mapping["Name"] == "full_name"
    later = [GOOD[0], ["3", "Synthetic Person Aynur", "1985", "f", "uyghur", "", "", "", ""]]
    report = persons_import(actor=editor, path=write_csv(tmp_path / "b.csv", later), source="Partner A")
    assert Person.objects.get(pk=report.rows[0].person_id).ref == "Partner A:3"
    with pytest.raises(PersonImportProblems, match="problem") as exc:
        persons_import(actor=editor, path=write_csv(tmp_path / "c.csv", later), source="Partner B")
    assert "no column mapping is saved for source 'Partner B'" in str(exc.value.problems[0])


@pytest.mark.django_db
def test_any_bad_row_imports_nothing_and_names_row_and_column(places, editor, tmp_path):
    """Every problem is reported as file:row N:column: problem, and nothing at all is written."""
    rows = [
        GOOD[0],
        ["1", "Synthetic One", "1969", "x", "", "", "", "", ""],
        ["1", "Synthetic Two", "19690", "f", "", "", "999999", "", ""],
        ["4", "", "", "", "", "", "", "", ""],
        ["5", "Synthetic Five", "1980", "f", "", "", "", "", "2018-13"],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = (Person.objects.count(), Document.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PersonImportProblems) as exc:
        persons_import(actor=editor, path=path, source="Partner A", mapping=MAP)
    text = [str(p) for p in exc.value.problems]
    assert f"{path}:row 2:Sex: 'x' is not a sex vigil reads (m/f, male/female, 男/女)" in text
    assert any(t.startswith(f"{path}:row 3:Born:") for t in text)
    assert any(t.startswith(f"{path}:row 3:Home: place code 999999") for t in text)
    assert f"{path}:row 3:No: '1' was already used on row 2" in text
    assert f"{path}:row 4: the row has no name and no identity number" in text
    assert any(t.startswith(f"{path}:row 5:Taken:") for t in text)
    assert (Person.objects.count(), Document.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_a_file_or_ref_is_not_imported_twice(places, editor, tmp_path):
    """The same file again, or a ref of the source already on record, is refused."""
    path = write_csv(tmp_path / "a.csv", GOOD)
    persons_import(actor=editor, path=path, source="Partner A", mapping=MAP)
    with pytest.raises(PersonImportProblems) as exc:
        persons_import(actor=editor, path=path, source="Partner A", mapping=MAP)
    assert "already imported" in str(exc.value.problems[0])
    again = write_csv(tmp_path / "b.csv", [GOOD[0], ["2", "Synthetic Other", "1970", "", "", "", "", "", ""]])
    with pytest.raises(PersonImportProblems) as exc:
        persons_import(actor=editor, path=again, source="Partner A", mapping=MAP)
    assert str(exc.value.problems[0]) == f"{again}:row 2:No: '2' of source 'Partner A' is already on record (imported before?)"
    persons_import(actor=editor, path=again, source="Partner B", mapping=MAP)  # another source's "2" is another record


@pytest.mark.django_db
def test_xlsx_files_and_bad_mappings(places, editor, tmp_path):
    """XLSX is read like CSV (a date cell becomes its day); a mapping naming a missing column is refused."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Born"])
    import datetime as dt

    ws.append(["Synthetic Person Xlsx", dt.datetime(1980, 5, 6)])
    wb.save(tmp_path / "p.xlsx")
    report = persons_import(actor=editor, path=tmp_path / "p.xlsx", source="Sheet", mapping=["Name=full_name", "Born=birth_date"])
    assert str(Person.objects.get(pk=report.rows[0].person_id).birth) == "1980-05-06"
    with pytest.raises(PersonImportProblems) as exc:
        persons_import(actor=editor, path=tmp_path / "p.xlsx", source="Sheet", mapping=["Nom=full_name"])
    assert "the file has no column 'Nom'" in str(exc.value.problems[0])


@pytest.mark.django_db
def test_person_import_needs_the_right(places, django_user_model, tmp_path):
    """Researchers and reviewers may not import persons, not even as a dry run."""
    user = grant(django_user_model.objects.create_user(username="r", password="x-unused-x"), "researcher", "reviewer")
    with pytest.raises(PermissionDenied):
        persons_import(actor=user, path=write_csv(tmp_path / "a.csv", GOOD), source="Partner A", mapping=MAP, dry_run=True)


@pytest.mark.django_db(transaction=True)
def test_cli_dry_run_then_import(places, admin_user, tmp_path):
    """`vigil import persons FILE --source S --map … --dry-run` lists each row's outcome; the real run then needs no --map."""
    from typer.testing import CliRunner

    from vigil.cli import app

    runner = CliRunner()
    path = write_csv(tmp_path / "list.csv", GOOD)
    args = ["import", "persons", str(path), "--source", "Partner A"]
    result = runner.invoke(app, [*args, *[a for m in MAP for a in ("--map", m)], "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "row 2: would create" in result.output and "nothing was written" in result.output
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "no column mapping is saved for source 'Partner A'" in result.output
    result = runner.invoke(app, [*args, *[a for m in MAP for a in ("--map", m)]])
    assert result.exit_code == 0, result.output
    assert "imported 2 person records" in result.output and Person.objects.filter(ref__startswith="Partner A:").count() == 2


@pytest.mark.django_db
def test_a_namesake_with_other_facts_is_not_a_match(on_record, editor, tmp_path):
    """Without a trained model, a person on record with the same name but another birth year or sex is not reported as a match."""
    rows = [GOOD[0], ["1", "伊力哈木·土赫提", "1990", "", "", "", "", "", ""], ["2", "伊力哈木·土赫提", "", "f", "", "", "", "", ""],
            ["3", "伊力哈木·土赫提", "", "", "", "", "", "", ""]]
    report = persons_import(actor=editor, path=write_csv(tmp_path / "n.csv", rows), source="Partner A", mapping=MAP, dry_run=True)
    assert [r.match_id for r in report.rows] == [None, None, on_record.pk]
