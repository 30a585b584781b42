import io

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from tests.reports.conftest import filled
from vigil.cli import app
from vigil.reports.models import CaseForm

runner = CliRunner()


@pytest.mark.django_db
def test_report_wgeid_writes_the_reviewed_form_as_pdf(case_person, editor, admin_user, tmp_path):
    """`vigil report wgeid ID --out F.pdf` writes the latest reviewed case form of the person (found from any of
    its records) as a PDF; with no form yet it starts one from the record and says what is not yet stated."""
    reviewed = filled(case_person, editor)
    out = tmp_path / "case.pdf"
    result = runner.invoke(app, ["report", "wgeid", str(case_person.pk), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote case form #{reviewed.pk}" in result.output
    text = " ".join(PdfReader(io.BytesIO(out.read_bytes())).pages[-1].extract_text().split())
    assert "Synthetic Human Rights Group" in text
    result = runner.invoke(app, ["report", "wgeid", str(case_person.pk), "--new", "--out", str(tmp_path / "new.html")])
    assert result.exit_code == 0, result.output
    assert CaseForm.objects.count() == 2
    assert "not yet stated" in result.output
    assert "Individual case" in (tmp_path / "new.html").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_report_stats_writes_the_period(case_person, admin_user, tmp_path):
    """`vigil report stats --from --to --out F.html` writes the statistics of the period; a bad date or suffix is refused."""
    out = tmp_path / "stats.html"
    result = runner.invoke(app, ["report", "stats", "--from", "2018-01-01", "--to", "2018-12-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Persons by hometown county" in out.read_text(encoding="utf-8")
    assert runner.invoke(app, ["report", "stats", "--from", "2018-13-01", "--to", "2018-12-31", "--out", str(out)]).exit_code == 2
    assert runner.invoke(app, ["report", "stats", "--from", "2018-01-01", "--to", "2018-12-31", "--out", str(tmp_path / "x.doc")]).exit_code == 2
