"""Scheduled jobs of the core app (django-q2). Each is safe to run twice, late, or concurrently."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from realestate.core.models import ExportJob, IdempotentRequest
from realestate.core.schedules import JobSchedule

SCHEDULES = [
    JobSchedule(
        name="exports-expire-nightly",
        func="realestate.core.tasks.exports_expire",
        cron="50 2 * * *",
        description="Deletes export workbooks older than EXPORT_KEEP_DAYS and the idempotency "
        "records of API requests older than IDEMPOTENCY_KEEP_HOURS.",
    ),
]


def exports_expire() -> str:
    """An export workbook holds a copy of company data outside its records' scope and audit:
    it is kept ``EXPORT_KEEP_DAYS`` for its requester to download, then its file is deleted
    (the export's row stays, with who exported what and when, and says the file expired).
    The idempotency answers of API requests are kept long enough for any client's retry."""
    now = timezone.now()
    expired = 0
    old = ExportJob.objects.filter(
        created_at__lt=now - timedelta(days=settings.EXPORT_KEEP_DAYS)
    ).exclude(file="")
    for job in old.iterator():
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            file="", message="The workbook expired and was deleted; export the list again."
        )
        expired += 1
    answers, _ = IdempotentRequest.objects.filter(
        created_at__lt=now - timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    ).delete()
    return f"{expired} export workbook(s) expired, {answers} idempotency record(s) deleted"
