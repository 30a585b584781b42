"""The Exports page of the staff app."""

import threading

import pytest
from django.urls import reverse

from tests.conftest import grant
from vigil.audit.models import AuditEntry
from vigil.exports.models import ExportJob
from vigil.exports.services import export_job_run


@pytest.fixture
def researcher_client(client, db, django_user_model):
    user = grant(django_user_model.objects.create_user(username="researcher", password="x-unused-x"), "researcher")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture(autouse=True)
def exports_folder(settings, tmp_path):
    settings.VIGIL_EXPORTS_ROOT = tmp_path / "exports"


@pytest.mark.django_db
def test_page_lists_the_exports_a_role_may_get(researcher_client):
    """The page offers the three tables with the columns this role gets (no testifier column for a researcher)."""
    html = researcher_client.get(reverse("web:exports")).content.decode()
    assert "identity_numbers" in html and "evidence_files" in html
    assert "testifier<" not in html and ", testifier" not in html
    assert reverse("web:exports") in html  # the nav link


@pytest.mark.django_db
def test_roles_without_export_right_are_refused(client, django_user_model):
    """A reviewer sees that their role may not export, and cannot start one."""
    user = grant(django_user_model.objects.create_user(username="rev", password="x-unused-x"), "reviewer")
    client.force_login(user)
    assert client.get(reverse("web:exports")).status_code == 403
    assert client.post(reverse("web:export_start"), {"dataset": "persons", "format": "csv"}).status_code == 403
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_start_poll_and_download(researcher_client, django_capture_on_commit_callbacks, monkeypatch):
    """Starting queues a job and launches it after commit; the panel polls while it runs and offers the file when done."""
    launched = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: launched.append(self.name))
    with django_capture_on_commit_callbacks(execute=True):
        response = researcher_client.post(reverse("web:export_start"), {"dataset": "persons", "format": "xlsx"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert launched == [f"vigil-export-{job.pk}"]
    panel = researcher_client.get(reverse("web:export_jobs")).content.decode()
    assert 'hx-trigger="every 1s"' in panel
    export_job_run(job_id=job.pk)  # what the thread does
    panel = researcher_client.get(reverse("web:export_jobs")).content.decode()
    assert "every 1s" not in panel and reverse("web:export_download", args=[job.pk]) in panel
    response = researcher_client.get(reverse("web:export_download", args=[job.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    assert 'filename="vigil-persons-' in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="export.download").count() == 1


@pytest.mark.django_db
def test_someone_elses_export_is_not_downloadable(researcher_client, django_user_model):
    """A user cannot download an export another user started."""
    other = grant(django_user_model.objects.create_user(username="ed", password="x-unused-x"), "editor")
    job = ExportJob.objects.create(user=other, dataset="persons", format="csv")
    export_job_run(job_id=job.pk)
    assert researcher_client.get(reverse("web:export_download", args=[job.pk])).status_code == 403
    assert "No exports yet." in researcher_client.get(reverse("web:export_jobs")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_finishes_the_job(researcher_client):
    """Started from the page, the job really runs in a thread of the web process and ends done."""
    researcher_client.post(reverse("web:export_start"), {"dataset": "claims", "format": "csv"})
    thread = next(t for t in threading.enumerate() if t.name.startswith("vigil-export-"))
    thread.join(timeout=30)
    assert ExportJob.objects.get().status == ExportJob.Status.DONE
