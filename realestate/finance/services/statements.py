"""Owner statements: rent collected, the management fee and expenses, per owner and month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import (
    Sum,
)
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.money import to_money
from realestate.core.workflow import step
from realestate.finance.choices import (
    PaymentStatus,
    ReceivableKind,
)
from realestate.finance.models import (
    Allocation,
    Expense,
    OwnerStatement,
)
from realestate.finance.signals import owner_statement_generated

ZERO = Decimal("0.00")


@step(
    _lazy("Generate owner statement"),
    record="owner",
    permission="finance.generate_ownerstatement",
    log_on="result",
)
def owner_statement_generate(*, owner, month: date, by=None):
    """The owner's statement for ``month``: rent collected on their units (allocations of
    posted payments received that month), the management fee on it, the units' expenses and
    the net payable. Generating it again for the same month replaces the figures. The owner
    is told it is ready (with its PDF) the first time."""
    from django.conf import settings

    from realestate.core.dates import month_end, month_start

    first, last = month_start(month), month_end(month)
    collected_rows = (
        Allocation.objects.filter(
            receivable__unit__owner=owner,
            receivable__kind=ReceivableKind.RENT,
            payment__status=PaymentStatus.POSTED,
            payment__received_on__range=(first, last),
        )
        .values("receivable__unit__code")
        .annotate(total=Sum("amount"))
    )
    expense_rows = (
        Expense.objects.filter(unit__owner=owner, incurred_on__range=(first, last))
        .values("unit__code")
        .annotate(total=Sum("amount"))
    )
    collected = {row["receivable__unit__code"]: to_money(row["total"]) for row in collected_rows}
    spent = {row["unit__code"]: to_money(row["total"]) for row in expense_rows}
    rate = owner.management_fee_percent
    if rate is None:
        rate = settings.MANAGEMENT_FEE_PERCENT
    lines = []
    for code in sorted(set(collected) | set(spent)):
        rent, cost = collected.get(code, ZERO), spent.get(code, ZERO)
        fee = to_money(rent * rate / 100)
        lines.append(
            {
                "unit": code,
                "rent_collected": str(rent),
                "management_fee": str(fee),
                "expenses": str(cost),
                "net": str(rent - fee - cost),
            }
        )
    rent_total = to_money(sum(collected.values(), ZERO))
    fee_total = sum((Decimal(line["management_fee"]) for line in lines), ZERO)
    expenses_total = to_money(sum(spent.values(), ZERO))
    statement, _created = OwnerStatement.objects.update_or_create(
        owner=owner,
        period_start=first,
        defaults={
            "period_end": last,
            "rent_collected": rent_total,
            "management_fee_base": rent_total,
            "management_fee_rate": rate,
            "management_fee": fee_total,
            "expenses": expenses_total,
            "net_payable": rent_total - fee_total - expenses_total,
            "lines": lines,
        },
    )
    owner_statement_generated.send(sender=OwnerStatement, statement=statement)
    return statement
