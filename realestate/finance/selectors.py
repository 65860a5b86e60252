"""Read queries over money: balances and ageing, owners to state, what is due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from realestate.clients.models import Client
from realestate.core.money import to_money
from realestate.finance.choices import UNSETTLED, PaymentStatus, ReceivableKind, ReceivableStatus
from realestate.finance.models import Allocation, Payment, Receivable

ZERO = Decimal("0.00")


def _sum(queryset, field: str) -> Decimal:
    # SQLite sums decimals as floats-in-text; rounding to the cent restores exact money.
    return to_money(queryset.aggregate(total=Sum(field))["total"] or ZERO)


AGEING_BUCKETS = (
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)


def client_balance(client, today: date | None = None) -> dict:
    """What a client owes, their unallocated credit and the ageing of what is overdue."""
    today = today or timezone.localdate()
    open_items = Receivable.objects.filter(client=client, status__in=UNSETTLED)
    ageing = dict.fromkeys([name for name, _, _ in AGEING_BUCKETS], ZERO)
    for due_date, amount, paid in open_items.values_list("due_date", "amount", "amount_paid"):
        late = (today - due_date).days
        for name, low, high in AGEING_BUCKETS:
            if (low is None and late < 1) or (
                low is not None and late >= low and (high is None or late <= high)
            ):
                ageing[name] += amount - paid
                break
    charged = _sum(
        Receivable.objects.filter(client=client).exclude(status=ReceivableStatus.VOID), "amount"
    )
    posted = Payment.objects.filter(client=client, status=PaymentStatus.POSTED)
    received = _sum(posted, "amount")
    allocated = _sum(posted, "amount_allocated")
    # Money paid on receivables later voided stays paid: it counts as settled charges.
    paid_on_void = _sum(
        Receivable.objects.filter(client=client, status=ReceivableStatus.VOID), "amount_paid"
    )
    due = sum(ageing.values(), ZERO)
    return {
        "charged": charged + paid_on_void,
        "received": received,
        "credit": received - allocated,
        "due": due,
        "overdue": due - ageing["current"],
        "ageing": ageing,
    }


def owners_with_units(user=None):
    """Clients who own units (whose statements can be generated), within ``user``'s scope
    when given."""
    owners = Client.objects.all() if user is None else Client.objects.restrict(user, "view")
    return owners.filter(owned_units__isnull=False).distinct().order_by("name")


def unsettled_receivables(queryset=None):
    """Receivables that still expect money."""
    queryset = Receivable.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=UNSETTLED)


def rent_collected_by_unit(units, first: date, last: date) -> dict[int, Decimal]:
    """Rent collected on each of ``units`` (ids or a queryset of units) from ``first`` to
    ``last``: allocations of posted payments received then, as owner statements count it."""
    rows = (
        Allocation.objects.filter(
            receivable__unit__in=units,
            receivable__kind=ReceivableKind.RENT,
            payment__status=PaymentStatus.POSTED,
            payment__received_on__range=(first, last),
        )
        .values("receivable__unit")
        .annotate(total=Sum("amount"))
    )
    return {row["receivable__unit"]: to_money(row["total"]) for row in rows}
