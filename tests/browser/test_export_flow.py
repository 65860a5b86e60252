"""A clerk exports a filtered list in a real browser: the Export button keeps the search, a
large XLSX becomes a background export whose page shows the progress bar, then, once the job
has run, the download link; no script blocked by the content security policy on the way."""

import io

import openpyxl
import pytest
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_a_large_xlsx_export_shows_its_progress_then_downloads(
    watched, live_server, log_in, settings, tmp_path
):
    from realestate.core.importing import export_jobs
    from realestate.core.models import ExportJob
    from tests.factories import ClientFactory, SuperUserFactory

    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_BACKGROUND_ROWS = 3
    page = watched
    SuperUserFactory(username="boss")
    for n in range(5):
        ClientFactory(name=f"Bulk {n}")
    ClientFactory(name="Someone else")

    log_in("boss", reverse("admin:clients_client_changelist") + "?q=Bulk")
    page.get_by_role("link", name="Export").click()
    page.select_option("select[name=format]", "1")  # XLSX
    page.get_by_role("button", name="Submit").click()
    page.locator(".progress-box").wait_for()
    page.screenshot(path="/tmp/export_progress.png", full_page=True)
    job = ExportJob.objects.get()
    assert (job.query, job.total, job.status) == ("q=Bulk", 5, "queued")

    export_jobs.export_job_run(job.pk)  # what the cluster's worker runs
    page.locator("#job-download").wait_for()  # the bar's poll sees the end and reloads
    page.screenshot(path="/tmp/export_done.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#job-download a").click()
    assert download.value.suggested_filename == f"client-export-{job.pk}.xlsx"
    with open(download.value.path(), "rb") as handle:  # saved without a suffix
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    headers, *rows = sheet.iter_rows(values_only=True)
    name = headers.index("Name")  # a client's code comes first: the file imports back
    assert sorted(row[name] for row in rows) == [f"Bulk {n}" for n in range(5)]
    assert page.violations == [] and page.console == []
    assert page.blocked_requests == []
