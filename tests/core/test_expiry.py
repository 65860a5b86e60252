"""The nightly job deletes old export workbooks and old idempotency answers, nothing newer."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from realestate.core.models import ExportJob, IdempotentRequest
from realestate.core.tasks import exports_expire
from tests.factories import ExportJobFactory, UserFactory

pytestmark = pytest.mark.django_db


def _aged(job, days):
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days))
    job.refresh_from_db()
    return job


def test_old_workbooks_are_deleted_and_say_so(settings, admin_client):
    settings.EXPORT_KEEP_DAYS = 7
    old = _aged(ExportJobFactory(), 8)
    fresh = _aged(ExportJobFactory(), 6)
    old_name = old.file.name
    assert default_storage.exists(old_name)

    assert exports_expire().startswith("1 export workbook(s) expired")
    assert exports_expire().startswith("0 export workbook(s) expired")

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert not old.file and not default_storage.exists(old_name)
    assert "expired" in old.message
    assert fresh.file and default_storage.exists(fresh.file.name)

    page = admin_client.get(f"/admin/core/exportjob/{old.pk}/change/")
    assert "The workbook expired" in page.content.decode()
    assert admin_client.get(f"/admin/core/exportjob/{old.pk}/file/").status_code == 404


def test_old_idempotency_answers_are_deleted(settings):
    settings.IDEMPOTENCY_KEEP_HOURS = 72
    user = UserFactory()
    kept = IdempotentRequest.objects.create(
        user=user, endpoint="/x", key="new", fingerprint="f", status_code=201, body={}
    )
    gone = IdempotentRequest.objects.create(
        user=user, endpoint="/x", key="old", fingerprint="f", status_code=201, body={}
    )
    IdempotentRequest.objects.filter(pk=gone.pk).update(
        created_at=timezone.now() - timedelta(hours=73)
    )
    assert exports_expire().endswith("1 idempotency record(s) deleted")
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [kept.pk]
