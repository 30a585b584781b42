import re

import pytest

from vigil.audit.models import AuditEntry
from vigil.reports import content as c
from vigil.reports.models import CaseForm


def no_inline_styles_or_scripts(html: str) -> bool:
    """What a strict CSP (style-src 'self', script-src 'self') would block."""
    return not re.search(r"<style|\sstyle=|<script(?![^>]*\ssrc=)", html)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_review_and_download_a_case_form_in_the_web_app(case_person, editor_client):
    """An editor starts a case form, sees every statement with its sources, ticks a suggestion, adds the
    relatives' steps, names the organisation, confirms the confidential submission, previews and downloads the PDF."""
    response = editor_client.post("/reports/wgeid/new/", {"person": case_person.pk})
    form = CaseForm.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/wgeid/{form.pk}/"
    page = editor_client.get(f"/reports/wgeid/{form.pk}/").content.decode()
    assert "Ерлан Серікұлы" in page and "testimony T1, given 2019-05-03" in page and "row 2" in page
    assert "suggestion, not on record" in page and "not for publication" in page
    assert no_inline_styles_or_scripts(page)
    content = c.from_json(form.content)
    police = next(s for s in content.sections["responsible"] if s.key.startswith("responsible-county-"))
    post = {f"text:{s.key}": s.text for s in content.statements()}
    post |= {f"include:{s.key}": "on" for s in content.statements() if s.include or s is police}
    post |= {
        "new:steps:0:text": "The family wrote to the county police in April 2018; no answer.", "new:steps:0:source": "the family's copy of the letter",
        "organisation": "Synthetic Human Rights Group", "contact": "PO Box 0", "source_confidential": "on",
        "confidential_submission_confirmed": "on", "status": "reviewed",
    }
    assert editor_client.post(f"/reports/wgeid/{form.pk}/", post).status_code == 302
    form.refresh_from_db()
    assert form.status == "reviewed"
    entry = AuditEntry.objects.filter(action="case_form.update").latest("id")
    assert entry.detail["confidential_submission_confirmed"] is True and entry.detail["missing"] == []
    preview = editor_client.get(f"/reports/wgeid/{form.pk}/preview/").content.decode()
    assert "The family wrote to the county police" in preview and "Whereabouts unknown, 2020-06" in preview
    assert no_inline_styles_or_scripts(preview)
    pdf = editor_client.get(f"/reports/wgeid/{form.pk}/download.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert 'filename="wgeid-case-' in pdf["Content-Disposition"]


@pytest.mark.django_db
def test_case_forms_are_closed_to_other_roles(case_person, editor, client, researcher):
    """A researcher cannot open, start or download case forms (403), and the reports page offers them only statistics."""
    from vigil.reports.services import case_form_create

    form = case_form_create(actor=editor, person=case_person)
    client.force_login(researcher)
    assert client.get(f"/reports/wgeid/{form.pk}/").status_code == 403
    assert client.get(f"/reports/wgeid/{form.pk}/download.pdf").status_code == 403
    assert client.post("/reports/wgeid/new/", {"person": case_person.pk}).status_code == 403
    index = client.get("/reports/").content.decode()
    assert "Start a case form" not in index and "Statistics report" in index


@pytest.mark.django_db
def test_statistics_page_and_download(case_person, editor_client, client, reader):
    """The statistics page shows the period's charts, map and tables without inline styles; its PDF downloads; a user without a role gets 403."""
    page = editor_client.get("/reports/statistics/?from=2018-01-01&to=2018-12-31")
    html = page.content.decode()
    assert page.status_code == 200 and "Map of facilities" in html and "654021" in html
    assert no_inline_styles_or_scripts(html)
    pdf = editor_client.get("/reports/statistics/download.pdf?from=2018-01-01&to=2018-12-31")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    client.force_login(reader)
    assert client.get("/reports/statistics/?from=2018-01-01&to=2018-12-31").status_code == 403
