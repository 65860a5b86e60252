"""``bench_pdf``: time the generated documents, warm and in-process.

Renders, from the shipped templates, a three-page sale contract with a 60-line instalment
schedule and a one-page invoice, ``--runs`` times each (30) after a warm-up, then generates
a batch of ``--invoices`` invoices (200) through the batch job's own function, synchronously.
The last line of output is the result::

    contract_p50_ms=... contract_p95_ms=... invoice_p50_ms=... batch_invoices_per_min=...

Everything it makes (records, templates, filed PDFs) is rolled back at the end, and files go
to a temporary folder: it can run on any database, the development one included.
"""

from __future__ import annotations

import cProfile
import statistics
import tempfile
import time
from datetime import date
from decimal import Decimal

from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from realestate.accounts.models import User
from realestate.clients.models import Client
from realestate.documents.batches import batch_run, batch_start
from realestate.documents.defaults import default_source
from realestate.documents.generation import document_render
from realestate.documents.models import DocumentTemplate, DocumentTemplateVersion
from realestate.finance import services as finance
from realestate.properties.models import Project, Unit
from realestate.sales import services as sales
from realestate.sales.models import PaymentPlan

MARK = "BENCHPDF-"


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark PDF generation: a 3-page contract, an invoice, a batch of invoices."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="renders of each (30)")
        parser.add_argument("--invoices", type=int, default=200, help="invoices in the batch")
        parser.add_argument("--profile", metavar="FILE", help="cProfile stats of the renders")

    def handle(self, *args, runs, invoices, profile, **options):
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            try:
                with transaction.atomic():
                    line = self.measure(runs, invoices, profile)
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write(line)

    def measure(self, runs: int, invoices: int, profile: str | None) -> str:
        for kind in ("sale_contract", "invoice"):
            self.shipped_template(kind)
        user = User.objects.create_superuser(f"{MARK}admin", password=None)
        contract = self.contract()
        invoice_records = self.invoices(invoices)

        pages = self.pages(document_render(record=contract, kind="sale_contract")[0])
        if pages != 3:
            raise CommandError(f"The contract has {pages} pages, not 3: adjust the benchmark.")
        invoice_pages = self.pages(document_render(record=invoice_records[0], kind="invoice")[0])
        if invoice_pages != 1:
            raise CommandError(f"The invoice has {invoice_pages} pages, not 1.")
        profiler = cProfile.Profile() if profile else None
        contract_ms = self.timed(
            lambda: document_render(record=contract, kind="sale_contract"), runs, profiler
        )
        invoice_ms = self.timed(
            lambda: document_render(record=invoice_records[0], kind="invoice"), runs, profiler
        )
        if profiler:
            profiler.dump_stats(profile)

        batch = batch_start(
            kind="invoice",
            record_ids=[r.pk for r in invoice_records],
            description="bench",
            by=user,
            queue=False,
        )
        started = time.perf_counter()
        batch = batch_run(batch)
        seconds = time.perf_counter() - started
        if batch.generated != invoices:
            raise CommandError(f"The batch filed {batch.generated} of {invoices}: {batch.errors}")
        self.stderr.write(
            f"contract: {pages} pages, {len(contract.receivables.all())} schedule lines; "
            f"batch: {invoices} invoices in {seconds:.1f} s"
        )
        return (
            f"contract_p50_ms={statistics.median(contract_ms):.1f} "
            f"contract_p95_ms={self.p95(contract_ms):.1f} "
            f"invoice_p50_ms={statistics.median(invoice_ms):.1f} "
            f"batch_invoices_per_min={invoices / seconds * 60:.0f}"
        )

    # --- data ----------------------------------------------------------------------------
    def shipped_template(self, kind: str) -> None:
        """The shipped template of ``kind``, active (whatever staff made of theirs)."""
        DocumentTemplate.objects.filter(kind=kind, language="en").update(is_active=False)
        body, css = default_source(kind)
        template = DocumentTemplate.objects.create(
            kind=kind, name=f"{MARK}{kind}", language="en", body=body, css=css, is_active=True
        )
        DocumentTemplateVersion.objects.create(
            template=template, number=1, body=body, css=css, page_size=template.page_size
        )

    def contract(self):
        project = Project.objects.create(
            code=f"{MARK}p".lower(),
            name="Marina Heights",
            city="Dubai",
            location=Point(55.14, 25.08),
            handover_date=date(2032, 6, 30),
        )
        unit = Unit.objects.create(
            code=f"{MARK}U1",
            project=project,
            unit_type="apartment",
            area_sqm=Decimal("120.5"),
            bedrooms=2,
            bathrooms=2,
            list_price=Decimal("2400000"),
        )
        buyer = self.client_named("Noura Saleh")
        plan = PaymentPlan.objects.create(
            name=f"{MARK}plan",
            down_payment_percent=Decimal("10"),
            instalment_count=58,  # with the down payment and handover: 60 lines
            handover_percent=Decimal("20"),
            grace_months=1,
        )
        contract = sales.contract_create(
            unit=unit, buyer=buyer, price=Decimal("2400000"), discount=Decimal("100000"), plan=plan
        )
        return sales.contract_sign(contract=contract, signing_date=date(2026, 11, 2))

    def client_named(self, name: str) -> Client:
        return Client.objects.create(
            name=name, phone="+971500000000", email=f"{name.split()[0].lower()}@example.com"
        )

    def invoices(self, count: int) -> list:
        client = self.client_named("Karim Aziz")
        return [
            finance.receivable_create(
                client=client,
                kind="fee",
                amount=Decimal("1000.00") + n,
                due_date=date(2026, 11, 30),
                issue_date=date(2026, 11, 1),
                description=f"Service charge {n + 1}",
            )
            for n in range(count)
        ]

    # --- measuring -----------------------------------------------------------------------
    @staticmethod
    def timed(render, runs: int, profiler) -> list[float]:
        render()
        render()  # warm: fonts, the template engine, the queries' plans
        times = []
        for _ in range(runs):
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            render()
            times.append((time.perf_counter() - started) * 1000)
            if profiler:
                profiler.disable()
        return times

    @staticmethod
    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @staticmethod
    def pages(content: bytes) -> int:
        import io

        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(content)).pages)
