"""Late fees: the most specific policy wins; charged once per overdue charge and period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from realestate.core.dates import add_months
from realestate.core.money import to_money
from realestate.core.numbering import numbers_lock
from realestate.finance.choices import (
    LateFeeMethod,
    LateFeeRecurrence,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import (
    LateFeePolicy,
    Receivable,
)
from realestate.finance.services.receivables import (
    INVOICE_PREFIX,
    receivable_create,
    receivables_mark_overdue,
)


class LateFeePolicies:
    """Every active policy, loaded once; ``for_receivable`` picks the most specific one:
    the lease's, else the project's, else the company-wide default."""

    def __init__(self):
        self.by_lease, self.by_project, self.default = {}, {}, None
        for policy in LateFeePolicy.objects.filter(is_active=True):
            if policy.lease_id:
                self.by_lease[policy.lease_id] = policy
            elif policy.project_id:
                self.by_project[policy.project_id] = policy
            else:
                self.default = policy

    def for_receivable(self, receivable: Receivable) -> LateFeePolicy | None:
        if receivable.lease_id in self.by_lease:
            return self.by_lease[receivable.lease_id]
        project_id = receivable.unit.project_id if receivable.unit_id else None
        return self.by_project.get(project_id, self.default)


def late_fee_policy_for(receivable: Receivable) -> LateFeePolicy | None:
    return LateFeePolicies().for_receivable(receivable)


def late_fee_amount(policy: LateFeePolicy, overdue: Decimal) -> Decimal:
    if policy.method == LateFeeMethod.FIXED:
        return to_money(policy.fixed_amount)
    return to_money(overdue * policy.percent / 100)


def late_fee_periods_due(policy: LateFeePolicy, due_date: date, today: date) -> list[int]:
    """Periods (1, 2, …) a late fee is owed for: one, or one per month overdue after grace."""
    start = due_date.toordinal() + policy.grace_days
    if today.toordinal() <= start:
        return []
    if policy.recurrence == LateFeeRecurrence.ONCE:
        return [1]
    first = date.fromordinal(start + 1)
    periods, boundary = 1, add_months(first, 1)
    while boundary <= today:
        periods += 1
        boundary = add_months(first, periods)
    return list(range(1, periods + 1))


def late_fees_apply(today: date | None = None) -> int:
    """Charge the late fees owed today. Safe to run twice, late, or concurrently: a fee is
    unique per overdue charge and period, and runs queue behind the invoice-number lock."""
    today = today or timezone.localdate()
    created = 0
    with transaction.atomic():
        numbers_lock(INVOICE_PREFIX)
        receivables_mark_overdue(today)
        overdue = (
            Receivable.objects.filter(status=ReceivableStatus.OVERDUE)
            .exclude(kind=ReceivableKind.LATE_FEE)
            .select_related("unit", "client")
        )
        policies = LateFeePolicies()
        for receivable in overdue.iterator(chunk_size=2000):
            policy = policies.for_receivable(receivable)
            if policy is None:
                continue
            periods = late_fee_periods_due(policy, receivable.due_date, today)
            if not periods:
                continue
            charged = set(receivable.late_fees.values_list("late_fee_period", flat=True))
            for period in periods:
                if period in charged:
                    continue
                fee = late_fee_amount(policy, receivable.amount - receivable.amount_paid)
                if fee <= 0:
                    continue
                label = "" if policy.recurrence == LateFeeRecurrence.ONCE else f" (month {period})"
                receivable_create(
                    client=receivable.client,
                    kind=ReceivableKind.LATE_FEE,
                    amount=fee,
                    due_date=today,
                    issue_date=today,
                    currency=receivable.currency,
                    description=f"Late fee on {receivable.number}{label}",
                    unit=receivable.unit,
                    lease_id=receivable.lease_id,
                    contract_id=None,
                    parent=receivable,
                    late_fee_period=period,
                )
                created += 1
    return created
