"""Exports of the record: what each row holds, who sees which columns, and that nothing about testifiers leaks."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from tests.conftest import grant, testimony_line
from vigil import access
from vigil.audit.models import AuditEntry
from vigil.core.intake import parse_testimony
from vigil.exports.models import ExportJob
from vigil.exports.schemas import schema
from vigil.exports.services import export_job_download, export_job_run, export_job_start, export_run
from vigil.linkage.services import person_merge
from vigil.records.services import testimony_record

WITNESS = {"ref": "W1", "name": "Synthetic Witness Aigerim", "relation": "sister", "country": "KZ",
           "phone": "+7 700 555 0199", "email": "witness@example.org", "note": "Reach her via the office"}


@pytest.fixture
def researcher(db, django_user_model):
    return grant(django_user_model.objects.create_user(username="researcher", password="x-unused-x"), "researcher")


@pytest.fixture
def reviewer(db, django_user_model):
    return grant(django_user_model.objects.create_user(username="reviewer", password="x-unused-x"), "reviewer")


@pytest.fixture
def record(places, editor, reviewer):
    """Two testimonies by one witness about one synthetic man (merged into one person), a third about another."""
    persons = []
    for n, names, number in ((1, ["Ерлан Серікұлы"], "650102198003120012"), (2, ["叶尔兰·赛力克", "Erlan Serikuly"], ""), (3, ["Gulnar Tursun"], "")):
        line = testimony_line(ref=f"T{n}", testifier=WITNESS if n < 3 else {"ref": "W3", "name": "Synthetic Witness Two"})
        line["persons"][0].update({"ref": f"R{n}", "names": [{"text": t} for t in names]})
        line["persons"][0]["identity_numbers"] = [{"scheme": "cn_ric", "value": number}] if number else []
        persons.append(testimony_record(actor=editor, draft=parse_testimony(line)[0]).persons.get())
    person_merge(actor=reviewer, survivor=persons[0], merged=persons[1])
    return persons


def _export(actor, dataset, fmt, out: Path):
    report = export_run(actor=actor, dataset=dataset, fmt=fmt, out=out)
    return report, out.read_bytes()


@pytest.mark.django_db
def test_persons_export_has_one_row_per_cluster(record, researcher, tmp_path):
    """A merged person is one row with every name of both records, both record ids and their derived facts."""
    _r, data = _export(researcher, "persons", "json", tmp_path / "p.json")
    rows = json.loads(data)["rows"]
    assert [r["person_id"] for r in rows] == [record[0].pk, record[2].pk]
    first = rows[0]
    assert first["names"] == ["Ерлан Серікұлы", "叶尔兰·赛力克", "Erlan Serikuly"]
    assert first["record_ids"] == [record[0].pk, record[1].pk] and first["record_refs"] == ["R1", "R2"]
    assert first["birth_date"] == "1978" and first["birth_precision"] == "year"
    assert first["hometown_code"] == "654021" and first["hometown_name"]
    assert first["status"] == "sentenced" and first["evidence_level"] == 1 and first["sources"] == 1
    assert first["identity_numbers"] == ["650102198003120012"]


@pytest.mark.django_db
def test_claims_export_names_the_person_and_the_source(record, researcher, tmp_path):
    """Each claim row names the person (root of the cluster), the record it is on, and the testimony asserting it."""
    _r, data = _export(researcher, "claims", "csv", tmp_path / "c.csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 9
    of_second = [r for r in rows if r["record_id"] == str(record[1].pk)]
    assert {r["person_id"] for r in of_second} == {str(record[0].pk)}
    held = next(r for r in of_second if r["type"] == "held_at")
    assert (held["date"], held["date_precision"], held["end_date"]) == ("2018-04", "month", "2019")
    assert held["facility"] == "Synthetic Detention Centre No. 1"
    assert (held["source_kind"], held["source_ref"]) == ("testimony", "T2")
    assert next(r for r in of_second if r["type"] == "sentenced")["term_months"] == "120"


@pytest.mark.django_db
def test_no_export_contains_a_testifiers_identity(record, editor, researcher, tmp_path):
    """No export, for any role and in any format, carries a testifier's name, phone, e-mail, note or the summary."""
    for actor in (editor, researcher):
        for dataset in ("persons", "claims", "testimonies"):
            for fmt in ("csv", "json", "xlsx"):
                path = tmp_path / f"{actor.username}-{dataset}.{fmt}"
                export_run(actor=actor, dataset=dataset, fmt=fmt, out=path)
                if fmt == "xlsx":
                    text = "\n".join(str(v) for row in load_workbook(path).worksheets[0].iter_rows(values_only=True) for v in row)
                else:
                    text = path.read_text(encoding="utf-8-sig")
                for secret in ("Aigerim", "555 0199", "witness@example.org", "via the office", "Synthetic Witness", "taken from his shop"):
                    assert secret not in text, (actor.username, dataset, fmt, secret)


@pytest.mark.django_db
def test_testifier_column_only_for_those_who_may_see_testifiers(record, editor, researcher, tmp_path):
    """Editors get an opaque testifier id (the same for one witness); researchers get no testifier column at all."""
    _r, data = _export(editor, "testimonies", "json", tmp_path / "e.json")
    rows = json.loads(data)["rows"]
    assert rows[0]["testifier"] == rows[1]["testifier"] != rows[2]["testifier"]
    assert isinstance(rows[0]["testifier"], int)
    _r, data = _export(researcher, "testimonies", "json", tmp_path / "r.json")
    doc = json.loads(data)
    assert "testifier" not in doc["columns"] and all("testifier" not in r for r in doc["rows"])
    assert doc["rows"][1]["person_ids"] == [record[0].pk] and doc["rows"][1]["record_ids"] == [record[1].pk]
    assert doc["rows"][0]["claims"] == 3 and doc["rows"][0]["consent"] == "anonymised"


@pytest.mark.django_db
def test_identity_numbers_only_for_those_who_may_see_them(record, researcher, tmp_path, monkeypatch):
    """When a role may not see identity numbers, the column is left out of every format."""
    monkeypatch.setitem(access.RULES, "identity_number.view", frozenset({access.Role.ADMINISTRATOR}))
    for fmt in ("csv", "json", "xlsx"):
        path = tmp_path / f"p.{fmt}"
        report = export_run(actor=researcher, dataset="persons", fmt=fmt, out=path)
        assert "identity_numbers" not in report.columns
    assert b"650102198003120012" not in (tmp_path / "p.csv").read_bytes()
    assert b"650102198003120012" not in (tmp_path / "p.json").read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", ["persons", "claims", "testimonies"])
def test_json_exports_validate_against_their_schema(record, editor, researcher, tmp_path, dataset):
    """The JSON export of each dataset, with and without the gated columns, validates against its published schema."""
    for actor in (editor, researcher):
        _r, data = _export(actor, dataset, "json", tmp_path / f"{actor.username}.json")
        doc = json.loads(data)
        assert doc["rows"]
        jsonschema.validate(doc, schema(dataset))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_same_data_gives_the_same_bytes(record, researcher, tmp_path, fmt):
    """Exporting twice without a change gives identical files, and each export is audited with its hash."""
    first, a = _export(researcher, "persons", fmt, tmp_path / f"a.{fmt}")
    second, b = _export(researcher, "persons", fmt, tmp_path / f"b.{fmt}")
    assert a == b and first.sha256 == second.sha256
    entry = AuditEntry.objects.filter(action="export.run").latest("id")
    assert entry.actor_label == "researcher" and entry.detail["sha256"] == first.sha256 and entry.detail["rows"] == 2


@pytest.mark.django_db
def test_export_needs_the_right(record, reviewer, tmp_path):
    """A role without export.run cannot export, and an unknown dataset or format is refused."""
    with pytest.raises(PermissionDenied):
        export_run(actor=reviewer, dataset="persons", fmt="csv", out=tmp_path / "x.csv")
    with pytest.raises(PermissionDenied):
        export_run(actor=None, dataset="persons", fmt="csv", out=tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.django_db
def test_unknown_dataset_or_format(record, researcher, tmp_path):
    """An unknown dataset or format is refused with the names of the valid ones."""
    with pytest.raises(ValidationError, match="persons"):
        export_run(actor=researcher, dataset="testifiers", fmt="csv", out=tmp_path / "x.csv")
    with pytest.raises(ValidationError, match="xlsx"):
        export_run(actor=researcher, dataset="persons", fmt="pdf", out=tmp_path / "x.pdf")


@pytest.mark.django_db
def test_export_job_runs_and_only_its_owner_downloads(record, researcher, editor, tmp_path, settings):
    """A job records its progress and file; only the user who started it may download it, and the download is audited."""
    settings.VIGIL_EXPORTS_ROOT = tmp_path / "exports"
    job = export_job_start(actor=researcher, dataset="claims", fmt="xlsx")
    assert job.status == ExportJob.Status.QUEUED
    with pytest.raises(ValidationError):
        export_job_download(actor=researcher, job=job)
    job = export_job_run(job_id=job.pk)
    assert (job.status, job.done, job.total, job.percent) == (ExportJob.Status.DONE, 9, 9, 100)
    path = export_job_download(actor=researcher, job=job)
    assert path.read_bytes()[:2] == b"PK" and len(job.sha256) == 64
    assert AuditEntry.objects.filter(action="export.download", object_id=str(job.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        export_job_download(actor=editor, job=job)


@pytest.mark.django_db
def test_a_failing_job_says_why(record, researcher, tmp_path, settings, monkeypatch):
    """A job whose export fails is marked failed with the reason, never left running."""
    settings.VIGIL_EXPORTS_ROOT = tmp_path / "exports"
    job = export_job_start(actor=researcher, dataset="persons", fmt="csv")
    monkeypatch.setitem(access.RULES, "export.run", frozenset({access.Role.ADMINISTRATOR}))
    with pytest.raises(PermissionDenied):
        export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "may not export.run" in job.error
