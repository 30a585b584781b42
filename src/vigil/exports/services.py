"""Exports out of the system: every export and every download of one is an audit entry.

An export is read first (outside any write transaction, so that imports and intake are not held
up for the minute a large export takes), then its audit entry is written in one short transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.access import Actor, require
from vigil.audit.services import audit_record
from vigil.evidence.storage import sha256_file
from vigil.exports.columns import DATASETS
from vigil.exports.formats import Format, write_table
from vigil.exports.models import ExportJob
from vigil.exports.selectors import export_rows

#: progress(done, total) while rows are written.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ExportReport:
    dataset: str
    format: Format
    path: Path
    rows: int
    columns: list[str]
    sha256: str
    seconds: float


def _check(dataset: str, fmt: str) -> Format:
    if dataset not in DATASETS:
        raise ValidationError(f"no dataset {dataset!r} (datasets: {', '.join(DATASETS)})")
    try:
        return Format(fmt)
    except ValueError:
        raise ValidationError(f"no format {fmt!r} (formats: {', '.join(f.value for f in Format)})") from None


def export_run(*, actor: Actor, dataset: str, fmt: str, out: Path, progress: Progress | None = None) -> ExportReport:
    """Write ``dataset`` (persons, claims, testimonies) to ``out`` as csv, xlsx or json, and audit it.

    The same data gives the same bytes. Columns the actor's role may not see are left out.
    """
    require(actor, "export.run")
    started = time.perf_counter()
    format_ = _check(dataset, fmt)
    out = Path(out)
    data = export_rows(actor=actor, dataset=dataset)
    if progress:
        progress(0, data.total)
    tick = (lambda done: progress(done, max(data.total, done))) if progress else None
    rows = write_table(out, format_, data.columns, data.rows, dataset=dataset, progress=tick)
    if progress:
        progress(rows, rows)
    sha256 = sha256_file(out)
    columns = [c.name for c in data.columns]
    with transaction.atomic():
        audit_record(
            actor=actor, action="export.run", object_type="export", object_id=dataset,
            detail={"dataset": dataset, "format": format_.value, "rows": rows, "columns": columns, "sha256": sha256},
        )
    return ExportReport(dataset, format_, out, rows, columns, sha256, time.perf_counter() - started)


def exports_folder() -> Path:
    """Where files of export jobs are kept: ``VIGIL_EXPORTS_ROOT``, else ``exports/`` in the data folder."""
    root = getattr(settings, "VIGIL_EXPORTS_ROOT", None)
    return Path(root) if root else Path(settings.DATA_DIR) / "exports"


def export_job_start(*, actor: Actor, dataset: str, fmt: str) -> ExportJob:
    """Queue an export of ``dataset`` in ``fmt`` for ``actor``; :func:`export_job_run` does the work."""
    require(actor, "export.run")
    _check(dataset, fmt)
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("an export job belongs to a user")
    with transaction.atomic():
        job = ExportJob.objects.create(user=actor, dataset=dataset, format=fmt)
        audit_record(actor=actor, action="export.start", object_type="export_job", object_id=job.pk, detail={"dataset": dataset, "format": fmt})
    return job


#: Progress is written to the job at most this often (seconds): each report is a database write.
PROGRESS_EVERY = 0.5


def export_job_run(*, job_id: int) -> ExportJob:
    """Run a queued job as the user who started it, recording progress; a failure is kept on the job."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportJob.Status.QUEUED:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, updated_at=timezone.now())
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY or done == total:
            last = now
            ExportJob.objects.filter(pk=job.pk).update(done=done, total=total, updated_at=timezone.now())

    name = f"export-{job.pk}-{job.dataset}.{job.format}"
    try:
        report = export_run(actor=job.user, dataset=job.dataset, fmt=job.format, out=exports_folder() / name, progress=progress)
    except Exception as exc:  # the job page must say it failed, whatever the reason
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        raise
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, done=report.rows, total=report.rows, file=name, sha256=report.sha256,
            size=report.path.stat().st_size, finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def export_job_download(*, actor: Actor, job: ExportJob) -> Path:
    """The file of a finished job, for the user who started it (still allowed to export); audited."""
    require(actor, "export.run")
    if actor is None or job.user_id != actor.pk:
        raise PermissionDenied("only the user who started an export may download it")
    if job.status != ExportJob.Status.DONE or not job.file:
        raise ValidationError("the export is not finished")
    path = exports_folder() / job.file
    if not path.is_file():
        raise ValidationError("the export's file is gone (removed from the exports folder)")
    with transaction.atomic():
        audit_record(
            actor=actor, action="export.download", object_type="export_job", object_id=job.pk,
            detail={"dataset": job.dataset, "format": job.format, "sha256": job.sha256, "rows": job.total},
        )
    return path
