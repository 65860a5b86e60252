"""Records with documents to generate: a signed contract with a long schedule, invoices..."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from realestate.sales import services as sales
from tests.factories import ClientFactory, PaymentPlanFactory, ProjectFactory, UnitFactory


def pdf_text(content: bytes) -> str:
    """The PDF's text, pages joined (pypdf, as the other PDF tests read theirs)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def signed_contract(instalments: int = 60, price=D("2400000.00"), discount=D("100000.00")):
    """A signed contract of a unit in a project, with ``instalments`` monthly instalments
    besides a down payment and a handover payment."""
    plan = PaymentPlanFactory(
        name=f"Long plan {instalments}",
        down_payment_percent=D("10"),
        instalment_count=instalments,
        frequency="monthly",
        handover_percent=D("20"),
        grace_months=1,
    )
    unit = UnitFactory(
        code=f"MH-{instalments}01",
        project=ProjectFactory(name="Marina Heights", handover_date=date(2032, 6, 30)),
        list_price=price,
    )
    buyer = ClientFactory(
        name="Noura Saleh",
        id_type="passport",
        id_number="P1234567",
        address="Villa 12, Al Wasl Road, Dubai",
    )
    contract = sales.contract_create(
        unit=unit, buyer=buyer, price=price, discount=discount, plan=plan
    )
    return sales.contract_sign(contract=contract, signing_date=date(2026, 11, 2))


@pytest.fixture
def contract(db):
    return signed_contract()
