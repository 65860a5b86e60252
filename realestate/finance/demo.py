"""Demo money: late-fee policies with the fees they charge, and last month's owner
statements. Used by ``seed_demo`` around the sales and leasing demo (which pay their invoices
with ``pay``), through the finance services.

``pay`` is shared with the sales demo: it posts one payment allocated to the receivables
given, oldest first, the way staff would pick them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from realestate.clients.models import Client
from realestate.core.dates import month_start
from realestate.core.money import to_money
from realestate.finance import services
from realestate.finance.choices import (
    UNSETTLED,
    LateFeeMethod,
    LateFeeRecurrence,
    PaymentMethod,
)
from realestate.finance.models import LateFeePolicy, Payment, Receivable
from realestate.properties.models import Project

BANKS = [
    "Emirates NBD",
    "Abu Dhabi Commercial Bank",
    "Mashreq",
    "First Abu Dhabi Bank",
    "Dubai Islamic Bank",
    "RAKBANK",
]


def method_details(rng, method: str, on: date, cheque_date: date | None = None) -> dict:
    """The reference or cheque fields a payment by ``method`` carries."""
    if method == PaymentMethod.CHEQUE:
        return {
            "cheque_number": f"{rng.randint(100000, 999999)}",
            "cheque_bank": rng.choice(BANKS),
            "cheque_date": cheque_date or on,
        }
    if method == PaymentMethod.TRANSFER:
        return {"reference": f"FT{on:%y%m%d}{rng.randint(10000, 99999)}"}
    if method in (PaymentMethod.CARD, PaymentMethod.ONLINE):
        return {"reference": f"AUTH-{rng.randint(100000, 999999)}"}
    return {}


def pay(
    rng,
    *,
    client,
    receivables,
    received_on: date,
    method: str,
    by=None,
    amount: Decimal | None = None,
    note: str = "",
) -> Payment | None:
    """Post one payment from ``client`` allocated to ``receivables`` oldest due first:
    their whole balances, or ``amount`` of them (the rest stays unpaid)."""
    fresh = list(
        Receivable.objects.filter(
            pk__in=[r.pk for r in receivables], status__in=UNSETTLED
        ).order_by("due_date", "pk")
    )
    left = None if amount is None else to_money(amount)
    requests, total = [], Decimal("0.00")
    for receivable in fresh:
        balance = receivable.amount - receivable.amount_paid
        take = balance if left is None else min(balance, left)
        if take <= 0:
            continue
        requests.append(services.AllocationRequest(receivable, take))
        total += take
        if left is not None:
            left -= take
    if not requests:
        return None
    return services.payment_post(
        client=client,
        amount=total,
        method=method,
        received_on=received_on,
        by=by,
        allocations=requests,
        note=note,
        **method_details(rng, method, received_on),
    )


def policies(rng, *, users) -> None:
    """The company's late-fee policies (before any rent is paid)."""
    if not LateFeePolicy.objects.exists():
        _policies()


def seed(rng, *, users) -> dict:
    """Late fees on what is overdue by now, and last month's owner statements."""
    today = timezone.localdate()
    fees = services.late_fees_apply(today)
    last_month = month_start(month_start(today) - timedelta(days=1))
    owners = Client.objects.filter(owned_units__isnull=False).distinct().order_by("pk")
    statements = [
        services.owner_statement_generate(owner=owner, month=last_month, by=users["accountant"])
        for owner in owners
    ]
    return {"late_fees": fees, "statements": statements}


def _policies() -> None:
    LateFeePolicy.objects.create(
        name="Company default: 5% once, after 5 days",
        is_global=True,
        grace_days=5,
        method=LateFeeMethod.PERCENT,
        percent=Decimal("5.00"),
        recurrence=LateFeeRecurrence.ONCE,
    )
    marina = Project.objects.filter(code="marina-heights").first()
    if marina is not None:
        LateFeePolicy.objects.create(
            name="Marina Heights: AED 250 a month, after 3 days",
            project=marina,
            grace_days=3,
            method=LateFeeMethod.FIXED,
            fixed_amount=Decimal("250.00"),
            recurrence=LateFeeRecurrence.PER_PERIOD,
        )
