"""Read queries over money: balances and ageing, owners to state, what is due."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from realestate.clients.models import Client
from realestate.core.money import to_money
from realestate.finance.choices import (
    UNSETTLED,
    PaymentMethod,
    PaymentStatus,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import Allocation, OwnerStatement, Payment, Receivable

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
        "balance": charged + paid_on_void - received,
        "charged": charged + paid_on_void,
        "received": received,
        "credit": received - allocated,
        "due": due,
        "overdue": due - ageing["current"],
        "ageing": ageing,
    }


def client_statement(client, start: date, end: date) -> dict:
    """A client's statement of account from ``start`` to ``end``: the balance brought forward,
    each charge (by issue date) and payment (by date received) in the period with the running
    balance, and the closing balance, which is ``client_balance(client)["balance"]`` once
    every charge and payment is dated on or before ``end``. As in ``client_balance``, void
    charges count for what was paid on them, and reversed payments not at all."""
    charges = Receivable.objects.filter(client=client).exclude(
        status=ReceivableStatus.VOID, amount_paid=0
    )
    payments = Payment.objects.filter(client=client, status=PaymentStatus.POSTED)

    def charged(queryset) -> Decimal:
        live = queryset.exclude(status=ReceivableStatus.VOID)
        void = queryset.filter(status=ReceivableStatus.VOID)
        return _sum(live, "amount") + _sum(void, "amount_paid")

    opening = charged(charges.filter(issue_date__lt=start)) - _sum(
        payments.filter(received_on__lt=start), "amount"
    )
    rows = [
        (
            issued,
            0,
            pk,
            number,
            description,
            amount_paid if status == ReceivableStatus.VOID else amount,
            ZERO,
            due,
        )
        for pk, issued, number, description, amount, amount_paid, status, due in charges.filter(
            issue_date__range=(start, end)
        ).values_list(
            "pk",
            "issue_date",
            "number",
            "description",
            "amount",
            "amount_paid",
            "status",
            "due_date",
        )
    ]
    rows += [
        (received, 1, pk, number, _payment_description(method, reference), ZERO, amount, None)
        for pk, received, number, method, reference, amount in payments.filter(
            received_on__range=(start, end)
        ).values_list("pk", "received_on", "number", "method", "reference", "amount")
    ]
    rows.sort(key=lambda row: row[:3])
    balance = opening
    lines = []
    for day, _order, _pk, number, description, debit, credit, due in rows:
        balance += to_money(debit) - to_money(credit)
        lines.append(
            {
                "date": day,
                "reference": number,
                "description": description,
                "due_date": due,
                "charge": to_money(debit),
                "payment": to_money(credit),
                "balance": balance,
            }
        )
    total_charges = sum((line["charge"] for line in lines), ZERO)
    total_payments = sum((line["payment"] for line in lines), ZERO)
    return {
        "opening_balance": opening,
        "lines": lines,
        "total_charges": total_charges,
        "total_payments": total_payments,
        "closing_balance": opening + total_charges - total_payments,
        "ageing": client_balance(client, today=end)["ageing"],
    }


def _payment_description(method: str, reference: str) -> str:
    label = str(PaymentMethod(method).label)
    return f"Payment by {label.lower()}" + (f" ({reference})" if reference else "")


def month_receivables(first: date, last: date):
    """Receivables issued from ``first`` to ``last`` (an invoice batch)."""
    return Receivable.objects.filter(issue_date__range=(first, last)).exclude(
        status=ReceivableStatus.VOID
    )


def month_payments(first: date, last: date):
    """Posted payments received from ``first`` to ``last`` (a receipt batch)."""
    return Payment.objects.filter(received_on__range=(first, last))


def month_owner_statements(first: date, last: date):
    return OwnerStatement.objects.filter(period_start__range=(first, last))


def month_clients_with_activity(first: date, last: date):
    """Clients charged or paying from ``first`` to ``last`` (a statement batch)."""
    charged = Receivable.objects.filter(issue_date__range=(first, last)).values("client_id")
    paid = Payment.objects.filter(received_on__range=(first, last)).values("client_id")
    return Client.objects.filter(Q(pk__in=charged) | Q(pk__in=paid))


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
