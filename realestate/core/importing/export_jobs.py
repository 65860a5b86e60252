"""Large XLSX exports, built by a django-q2 job in constant memory while the admin's "Exports"
page shows the progress bar; small ones, and every CSV, answer in the request
(``core.admin.exports``).

The job replays the list as its requester saw it: the same admin, the same query string
(filters, search, ordering), as that user, so it holds what the changelist shows them at the
time it runs, and the personal-data permission is checked again.
"""

from __future__ import annotations

import logging
import time

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from realestate.core.importing.exporting import xlsx_file
from realestate.core.importing.list_exports import export_log, export_rows, rows_described
from realestate.core.models import ExportJob

logger = logging.getLogger(__name__)

TASK = "realestate.core.importing.export_jobs.export_job_run"

#: Rows between two progress updates (one UPDATE each).
PROGRESS_EVERY = 1000


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def job_queue(*, user, model, query: str, selected: list, total: int) -> ExportJob:
    """A new export job for the cluster, started once the request's transaction commits."""
    from django_q.tasks import async_task

    job = ExportJob.objects.create(
        user=user,
        model=model_key(model),
        query=query,
        selected=[str(pk) for pk in selected],
        total=total,
    )
    transaction.on_commit(lambda: async_task(TASK, job.pk, task_name=f"export-{job.pk}"))
    return job


def replayed_request(job: ExportJob, model):
    """A GET of the list's export URL, with its query string, as the job's requester."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    request = RequestFactory().get(url, data=QueryDict(job.query))
    request.user = job.user
    return request


def _counted(rows, job: ExportJob, every: int):
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            job.progress_advance(done)
    job.progress_advance(done)


def export_job_run(job_id: int) -> None:
    """The job's body: the rows of the list, written to a workbook kept with the job."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        model = apps.get_model(job.model)
        model_admin = admin.site._registry[model]
        request = replayed_request(job, model)
        if not (job.user.is_active and model_admin.has_export_permission(request)):
            job.progress_finish(failed=True, message="You may no longer export this list.")
            return
        queryset = model_admin.get_export_queryset(request)
        if job.selected:
            queryset = queryset.filter(pk__in=job.selected)
        job.progress_start(queryset.count())
        started = time.monotonic()
        headers, rows = export_rows(model_admin, request, queryset, XLSX())
        every = getattr(settings, "EXPORT_PROGRESS_EVERY", PROGRESS_EVERY)
        title = str(model._meta.verbose_name_plural).capitalize()
        with xlsx_file(headers, _counted(rows, job, every), title=title) as handle:
            name = f"{model._meta.model_name}-export-{job.pk}.xlsx"
            job.file.save(name, File(handle), save=False)
        job._progress_update(file=job.file.name)
        export_log(job.user, model, job.done, "XLSX", what=rows_described(job.query, job.selected))
        job.progress_finish()
        logger.info("Export #%s: %s rows in %.1f s", job.pk, job.done, time.monotonic() - started)
    except Exception:
        logger.exception("Export #%s stopped", job_id)
        job.progress_finish(
            failed=True,
            message="The export stopped on an unexpected error; "
            "the administrators can see why in the server log.",
        )
