"""Running export jobs in the background of the web process.

A job runs in a thread of the web worker that started it, not in a subprocess: it needs no second
Django start-up (a second or more on a small machine), reads the database through the same
settings, and reports progress on its ExportJob row, which the page polls. The cost: a job dies
with its worker (a restart or a deploy); the page then shows it as interrupted, once it has
reported no progress for INTERRUPTED_AFTER, and the user starts it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.db import connection, transaction
from django.utils import timezone

from vigil.exports.models import ExportJob
from vigil.exports.services import export_job_run

log = logging.getLogger(__name__)

#: A running job that has not reported progress for this long is taken to have been interrupted.
INTERRUPTED_AFTER = dt.timedelta(minutes=2)


def _run(job_id: int) -> None:
    try:
        export_job_run(job_id=job_id)
    except Exception:  # kept on the job by export_job_run; logged here for the operator
        log.exception("export job #%s failed", job_id)
    finally:
        connection.close()  # this thread's own connection


def export_job_launch(job: ExportJob) -> None:
    """Start ``job`` in a daemon thread once the transaction that queued it has committed."""
    transaction.on_commit(
        lambda: threading.Thread(target=_run, args=(job.pk,), name=f"vigil-export-{job.pk}", daemon=True).start()
    )


def export_job_interrupted(job: ExportJob) -> bool:
    """Whether a job that says it is running has been silent for so long that its worker must be gone."""
    return job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) and timezone.now() - job.updated_at > INTERRUPTED_AFTER
