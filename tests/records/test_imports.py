import json

import pytest

from tests.conftest import testimony_line, write_jsonl
from vigil.audit.models import AuditEntry
from vigil.records.models import Claim, Name, Person, Testifier, Testimony
from vigil.records.services import ImportProblems, testimonies_import


def lines(n):
    out = []
    for i in range(n):
        line = testimony_line(ref=f"T{i}")
        line["testifier"]["ref"] = f"W{i % 3}"
        line["persons"][0]["ref"] = f"R{i}"
        out.append(line)
    return out


@pytest.mark.django_db
def test_good_file_imports_everything(places, editor, tmp_path):
    """A valid file is imported whole: every testimony, person, name and claim, with audit entries."""
    path = write_jsonl(tmp_path / "t.jsonl", lines(5) + [""])
    report = testimonies_import(actor=editor, path=path)
    assert report.counts.testimonies == 5 and report.lines == 5
    assert Testimony.objects.count() == 5
    assert Person.objects.count() == 5
    assert Name.objects.count() == 10
    assert Claim.objects.count() == 15
    assert Testifier.objects.count() == 3
    assert AuditEntry.objects.filter(action="testimony.record").count() == 5
    assert AuditEntry.objects.filter(action="testimonies.import").count() == 1


BAD_LINES = [
    ("{not json", "", "not valid JSON"),
    (b"\xff\xfe{}", "", "not UTF-8"),
    ({"date": "2019"}, "consent", "is required"),
    ("DATE", "date", "not a real date"),
    ("PLACE", "persons[0].hometown.code", "not in the place table"),
    ("CLAIM", "persons[0].claims[0].type", "is not one of"),
    ("DUPREF", "ref", "already used on line 1"),
]


def _bad(kind):
    if kind == "DATE":
        return testimony_line(ref="TX", date="2019-02-30")
    if kind == "PLACE":
        line = testimony_line(ref="TX")
        line["persons"][0]["ref"] = "RX"
        line["persons"][0]["hometown"] = {"code": "659999"}
        return line
    if kind == "CLAIM":
        line = testimony_line(ref="TX")
        line["persons"][0]["ref"] = "RX"
        line["persons"][0]["claims"][0]["type"] = "vanished"
        return line
    if kind == "DUPREF":
        line = testimony_line(ref="T0")
        line["persons"][0]["ref"] = "RX"
        return line
    return kind


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "field", "message"), BAD_LINES)
def test_bad_line_imports_nothing_and_is_named(places, editor, tmp_path, bad, field, message):
    """One bad line stops the whole import; the problem names the file, line and field."""
    good = lines(3)
    path = tmp_path / "t.jsonl"
    with path.open("wb") as fh:
        for i, line in enumerate([good[0], good[1], _bad(bad), good[2]]):
            if isinstance(line, bytes):
                fh.write(line + b"\n")
            elif isinstance(line, str):
                fh.write(line.encode() + b"\n")
            else:
                fh.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")
    with pytest.raises(ImportProblems) as exc:
        testimonies_import(actor=editor, path=path)
    problems = exc.value.problems
    assert any(p.line == 3 and p.field == field and message in p.message for p in problems), problems
    assert all(p.file == str(path) for p in problems)
    assert Testimony.objects.count() == 0 and Person.objects.count() == 0 and Testifier.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="testimon").exists()


@pytest.mark.django_db
def test_every_bad_line_is_reported(places, editor, tmp_path):
    """All bad lines are reported in one run, not only the first."""
    bad = [testimony_line(ref=f"T{i}", consent="maybe") for i in range(4)]
    path = write_jsonl(tmp_path / "t.jsonl", bad)
    with pytest.raises(ImportProblems) as exc:
        testimonies_import(actor=editor, path=path)
    assert [p.line for p in exc.value.problems] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_a_second_import_of_the_same_refs_is_refused(places, editor, tmp_path):
    """Importing the same file twice is refused and changes nothing the second time."""
    path = write_jsonl(tmp_path / "t.jsonl", lines(2))
    testimonies_import(actor=editor, path=path)
    with pytest.raises(ImportProblems) as exc:
        testimonies_import(actor=editor, path=path)
    assert "already on record" in str(exc.value.problems[0])
    assert Testimony.objects.count() == 2


@pytest.mark.django_db
def test_failure_while_writing_rolls_back(places, editor, tmp_path, monkeypatch):
    """If writing fails halfway, the transaction leaves nothing behind."""
    from vigil.records.services import writer

    path = write_jsonl(tmp_path / "t.jsonl", lines(5))
    monkeypatch.setattr(writer, "BATCH", 2)
    calls = {"n": 0}
    original = writer.TestimonyWriter._write_batch

    def failing(self, drafts, counts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(self, drafts, counts)

    monkeypatch.setattr(writer.TestimonyWriter, "_write_batch", failing)
    with pytest.raises(RuntimeError):
        testimonies_import(actor=editor, path=path)
    assert Testimony.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_audit_chain_holds_after_a_large_import(places, editor, tmp_path):
    """A large import writes its audit entries in bulk, and the chain still verifies entry by entry."""
    from vigil.audit.selectors import audit_chain_verify

    path = write_jsonl(tmp_path / "t.jsonl", lines(40))
    testimonies_import(actor=editor, path=path)
    report = audit_chain_verify()
    assert report.ok and report.checked == AuditEntry.objects.count() >= 81
    entry = AuditEntry.objects.filter(action="testimony.record").first()
    assert entry.actor == editor and entry.detail["consent"] == "anonymised"
