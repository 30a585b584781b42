"""The Exports page: start an export in the background, watch its progress, download the file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vigil.access import allowed
from vigil.exports.columns import DATASETS
from vigil.exports.formats import Format
from vigil.exports.jobs import export_job_interrupted, export_job_launch
from vigil.exports.models import ExportJob
from vigil.exports.selectors import export_columns, export_jobs
from vigil.exports.services import export_job_download, export_job_start
from vigil.web.access import requires


def _jobs_context(request: HttpRequest) -> dict[str, object]:
    jobs = export_jobs(actor=request.user)
    for job in jobs:
        job.interrupted = export_job_interrupted(job)  # type: ignore[attr-defined]
    active = any(j.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) and not j.interrupted for j in jobs)  # type: ignore[attr-defined]
    return {"jobs": jobs, "polling": active}


@requires("export.run")
def exports(request: HttpRequest) -> HttpResponse:
    if not allowed(request.user, "export.run"):
        return render(request, "web/exports.html", {"forbidden": True}, status=403)
    datasets = [
        {"key": key, "title": title, "columns": [c.name for c in export_columns(actor=request.user, dataset=key)]}
        for key, (title, _columns) in DATASETS.items()
    ]
    return render(request, "web/exports.html", {"datasets": datasets, "formats": [f.value for f in Format], **_jobs_context(request)})


@requires("export.run")
def export_jobs_panel(request: HttpRequest) -> HttpResponse:
    """The list of the user's jobs; polled every second while one is running."""
    return render(request, "web/_export_jobs.html", _jobs_context(request))


@requires("export.run")
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    try:
        job = export_job_start(actor=request.user, dataset=request.POST.get("dataset", ""), fmt=request.POST.get("format", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:exports")
    export_job_launch(job)
    messages.success(request, _("Export #%(n)s started.") % {"n": job.pk})
    return redirect("web:exports")


@requires("export.run")
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ExportJob, pk=pk)
    try:
        path = export_job_download(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:exports")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"vigil-{job.dataset}-{job.pk}.{job.format}")
