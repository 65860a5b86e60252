"""Generating from a record's page lands back on it with a link to the filed PDF; a batch's
page shows its bar moving while the job runs, then the ZIP to download."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections
from django.urls import reverse


@pytest.mark.django_db(transaction=True)
def test_generate_an_invoice_then_watch_a_batch(page, live_server, log_in, monkeypatch):
    from realestate.documents.batches import batch_run
    from realestate.documents.defaults import default_templates_install
    from realestate.documents.models import DocumentVersion, GenerationBatch
    from tests.factories import ReceivableFactory, SuperUserFactory

    default_templates_install()  # a transactional test starts from an empty database
    SuperUserFactory(username="boss")
    invoices = [
        ReceivableFactory(amount=Decimal("500.00") + n, issue_date=date(2026, 11, 3))
        for n in range(4)
    ]

    # "Generate invoice" on the invoice's page: its dialog, then back with the link.
    log_in("boss", reverse("admin:finance_receivable_change", args=[invoices[0].pk]))
    page.get_by_role("link", name="Generate invoice").click()
    page.get_by_role("button", name="Generate").click()
    page.wait_for_selector("text=generated: version 1")
    page.screenshot(path="/tmp/docgen_generated.png", full_page=False)
    version = DocumentVersion.objects.get()
    link = page.get_by_role("link", name="download the PDF")
    assert link.get_attribute("href") == reverse(
        "admin:documents_generationbatch_version", args=[version.pk]
    )

    # A month's invoices, as a batch: the page polls the job's progress.
    page.goto(f"{live_server.url}{reverse('admin:documents_generationbatch_start')}")
    page.select_option("#id_kind", "invoice")
    page.fill("#id_month", "2026-11")
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector(".progress-box")
    batch = GenerationBatch.objects.get()
    assert batch.status == "queued" and batch.total == 4

    advance = GenerationBatch.progress_advance

    def slowly(self, done):  # slow enough for the page's one-second polls to see each step
        advance(self, done)
        time.sleep(1.2)

    monkeypatch.setattr(GenerationBatch, "progress_advance", slowly)

    def job():
        try:
            batch_run(GenerationBatch.objects.get(pk=batch.pk))
        finally:
            connections.close_all()

    worker = threading.Thread(target=job)
    worker.start()
    page.wait_for_function(
        "['1', '2', '3'].includes(document.querySelector('[data-field=done]').textContent)"
    )
    running = page.locator("[data-field=status]").text_content()
    width = page.locator(".progress-fill").evaluate("el => el.style.width")
    page.screenshot(path="/tmp/docgen_batch_running.png", full_page=False)
    worker.join(timeout=60)
    assert running == "Running" and width in ("25%", "50%", "75%")

    # finished: the page reloads itself and offers the ZIP
    download = page.get_by_role("link", name="Download the ZIP")
    download.wait_for()
    page.screenshot(path="/tmp/docgen_batch_done.png", full_page=False)
    assert "3 filed, 1 unchanged, 0 skipped, 0 failed." in page.content()  # one filed before
    assert page.blocked_requests == []
