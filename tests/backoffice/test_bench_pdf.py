"""bench_pdf runs end to end (a few renders) and leaves nothing behind."""

import re

import pytest
from django.core.management import call_command

from realestate.documents.models import Document, DocumentTemplate, GenerationBatch
from realestate.finance.models import Receivable
from realestate.sales.models import SaleContract

pytestmark = pytest.mark.django_db


def test_bench_pdf_prints_its_line_and_rolls_everything_back(capsys):
    templates = DocumentTemplate.objects.count()
    call_command("bench_pdf", runs=2, invoices=3)
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"contract_p50_ms=[\d.]+ contract_p95_ms=[\d.]+ invoice_p50_ms=[\d.]+ "
        r"batch_invoices_per_min=\d+",
        line,
    )
    assert not SaleContract.objects.exists() and not Receivable.objects.exists()
    assert not Document.objects.exists() and not GenerationBatch.objects.exists()
    assert DocumentTemplate.objects.count() == templates
    assert DocumentTemplate.objects.filter(is_active=True, language="en").count() == 8
