"""Import jobs: created from an upload, then checked and imported in the request for small
files, or by a django-q2 job for large ones (``IMPORT_BACKGROUND_ROWS``), which the admin's
"Imports" page follows with a progress bar."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from realestate.core.importing import runs
from realestate.core.importing.writing import estimate_rows
from realestate.core.models import ImportJob

logger = logging.getLogger(__name__)

TASK = "realestate.core.importing.jobs.import_job_run"


def job_create(
    *, user, table: str, upload, file_format: str, mode: str, encoding: str
) -> ImportJob:
    """Keep the uploaded file with a new import record (the browser never names it again)."""
    job = ImportJob(
        user=user,
        table=table,
        file_name=upload.name[:255],
        file_format=file_format,
        mode=mode,
        encoding="" if encoding == "auto" else encoding,
    )
    job.file.save(f"import-{user.pk}.{file_format}", upload, save=False)
    job.save()
    return job


def runs_in_background(job: ImportJob) -> bool:
    with job.file.open("rb") as handle:
        return estimate_rows(handle, job.file_format) > settings.IMPORT_BACKGROUND_ROWS


def job_start(job: ImportJob, *, write: bool) -> None:
    """Check (``write=False``) or import the file: now, or queued for the job cluster."""
    if runs_in_background(job):
        from django_q.tasks import async_task

        job._progress_update(status=ImportJob.Status.QUEUED)
        transaction.on_commit(lambda: async_task(TASK, job.pk, write, task_name=f"import-{job.pk}"))
        return
    import_job_run(job.pk, write)


def import_job_run(job_id: int, write: bool) -> None:
    """The job's body (also called inline for small files)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        if write:
            runs.job_import(job)
        else:
            runs.job_check(job)
    except Exception:
        # A fault of ours, not of the file: logged in full, told in words, never a traceback.
        logger.exception("Import #%s stopped", job_id)
        job.progress_finish(
            failed=True,
            message="The import stopped on an unexpected error and was rolled back; "
            "the administrators can see why in the server log.",
        )
