"""Demo money: rent and deposit payments (cheques, a post-dated cheque, one bounced and
reversed), late-fee policies with the fees they charge, and last month's owner statements.
Used by ``seed_demo`` after the sales and leasing demo, through the finance services.

``pay`` is shared with the sales demo: it posts one payment allocated to the receivables
given, oldest first, the way staff would pick them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from realestate.clients.models import Client
from realestate.core.dates import add_months, month_start
from realestate.core.money import to_money
from realestate.finance import services
from realestate.finance.choices import (
    UNSETTLED,
    LateFeeMethod,
    LateFeeRecurrence,
    PaymentMethod,
    ReceivableKind,
)
from realestate.finance.models import LateFeePolicy, Payment, Receivable
from realestate.leasing.choices import BILLING_MONTHS
from realestate.properties.models import Project

BANKS = ["Emirates NBD", "Abu Dhabi Commercial Bank", "Mashreq", "First Abu Dhabi Bank",
         "Dubai Islamic Bank", "RAKBANK"]


def method_details(rng, method: str, on: date, cheque_date: date | None = None) -> dict:
    """The reference or cheque fields a payment by ``method`` carries."""
    if method == PaymentMethod.CHEQUE:
        return {"cheque_number": f"{rng.randint(100000, 999999)}",
                "cheque_bank": rng.choice(BANKS), "cheque_date": cheque_date or on}
    if method == PaymentMethod.TRANSFER:
        return {"reference": f"FT{on:%y%m%d}{rng.randint(10000, 99999)}"}
    if method in (PaymentMethod.CARD, PaymentMethod.ONLINE):
        return {"reference": f"AUTH-{rng.randint(100000, 999999)}"}
    return {}


def pay(rng, *, client, receivables, received_on: date, method: str, by=None,
        amount: Decimal | None = None, note: str = "") -> Payment | None:
    """Post one payment from ``client`` allocated to ``receivables`` oldest due first:
    their whole balances, or ``amount`` of them (the rest stays unpaid)."""
    fresh = list(Receivable.objects.filter(pk__in=[r.pk for r in receivables],
                                           status__in=UNSETTLED).order_by("due_date", "pk"))
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
        client=client, amount=total, method=method, received_on=received_on, by=by,
        allocations=requests, note=note, **method_details(rng, method, received_on),
    )


def seed(rng, *, users, leasing: dict | None = None) -> dict:
    if LateFeePolicy.objects.exists():
        return {}
    today = timezone.localdate()
    by = users["admin"]
    _policies()
    leasing = leasing or {}
    payments = bounced = 0
    for lease, payer in leasing.get("payers", []):
        made, reversal = _rent_payments(rng, lease, payer, today, by)
        payments += made
        bounced += reversal
    fees = services.late_fees_apply(today)
    last_month = month_start(month_start(today) - timedelta(days=1))
    owners = Client.objects.filter(owned_units__isnull=False).distinct().order_by("pk")
    statements = [services.owner_statement_generate(owner=owner, month=last_month)
                  for owner in owners]
    return {"payments": payments, "reversals": bounced, "late_fees": fees,
            "statements": statements}


def _policies() -> None:
    LateFeePolicy.objects.create(
        name="Company default: 5% once, after 5 days", is_global=True, grace_days=5,
        method=LateFeeMethod.PERCENT, percent=Decimal("5.00"),
        recurrence=LateFeeRecurrence.ONCE,
    )
    marina = Project.objects.filter(code="marina-heights").first()
    if marina is not None:
        LateFeePolicy.objects.create(
            name="Marina Heights: AED 250 a month, after 3 days", project=marina,
            grace_days=3, method=LateFeeMethod.FIXED, fixed_amount=Decimal("250.00"),
            recurrence=LateFeeRecurrence.PER_PERIOD,
        )


#: How each kind of tenant pays: the method, and what is left unpaid.
PAYER_METHODS = {
    "prompt": [PaymentMethod.TRANSFER, PaymentMethod.CARD, PaymentMethod.ONLINE],
    "partial": [PaymentMethod.CASH],
    "late": [PaymentMethod.TRANSFER],
    "bounced": [PaymentMethod.CHEQUE],
    "pdc": [PaymentMethod.CHEQUE],
}


def _rent_payments(rng, lease, payer: str, today: date, by) -> tuple[int, int]:
    """Pay a lease's deposit and rent as this kind of tenant does; returns (payments,
    reversals)."""
    tenant = lease.tenant
    due = list(Receivable.objects.filter(lease=lease, kind__in=(ReceivableKind.RENT,
                                                                ReceivableKind.DEPOSIT),
                                         due_date__lte=today, status__in=UNSETTLED)
               .order_by("due_date", "pk"))
    rents = [r for r in due if r.kind == ReceivableKind.RENT]
    skip, half = set(), None
    if payer == "late" and rents:
        skip = {r.pk for r in rents[-2:]}  # two months behind: overdue, and charged late fees
    elif payer == "partial" and rents:
        half = rents[-1].pk
    elif payer == "prompt" and rents and rents[-1].due_date > today - timedelta(days=3):
        skip = {rents[-1].pk}  # this month's rent not in yet, still within grace
    made = 0
    last_cheque = None
    for receivable in due:
        if receivable.pk in skip:
            continue
        on = min(receivable.due_date + timedelta(days=rng.randint(0, 4)), today)
        method = rng.choice(PAYER_METHODS[payer])
        if receivable.kind == ReceivableKind.DEPOSIT:
            method = PaymentMethod.TRANSFER if payer != "pdc" else PaymentMethod.CHEQUE
        amount = None
        if receivable.pk == half:
            amount = to_money(receivable.amount / 2)
        payment = pay(rng, client=tenant, receivables=[receivable], received_on=on,
                      method=method, by=by, amount=amount,
                      note="Part payment, rest promised next week" if amount else "")
        if payment is not None:
            made += 1
            if method == PaymentMethod.CHEQUE and receivable.kind == ReceivableKind.RENT:
                last_cheque = payment
    reversals = 0
    if payer == "bounced" and last_cheque is not None:
        services.payment_reverse(payment=last_cheque, by=by,
                                 reason="Cheque returned unpaid by the bank: insufficient funds")
        reversals = 1
    if payer == "pdc":
        # The cheque for the next period, dated the day it falls due: held as credit until
        # that period is invoiced.
        next_due = _next_due(lease, today)
        services.payment_post(
            client=tenant, amount=lease.monthly_rent * BILLING_MONTHS[lease.billing_frequency],
            method=PaymentMethod.CHEQUE, received_on=today, by=by, allocate=False,
            note=f"Post-dated cheque for the rent due {next_due:%d %b %Y}",
            **method_details(rng, PaymentMethod.CHEQUE, today, cheque_date=next_due),
        )
        made += 1
    return made, reversals


def _next_due(lease, today: date) -> date:
    charge = (lease.rent_charges.filter(due_date__gt=today, receivable__isnull=True)
              .order_by("due_date").first())
    if charge is not None:
        return charge.due_date
    return add_months(month_start(today), 1).replace(day=lease.billing_day)
