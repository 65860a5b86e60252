"""Money services: receivables, payments, allocations, reversals, late fees, statements.

Every amount is a ``Decimal``. Rows that can be taken twice (a payment's unallocated money, a
receivable's balance, an invoice number) are locked with ``select_for_update`` inside the
transaction that changes them, and the database's check constraints stand behind the locks:
an allocation can never exceed the payment or the receivable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.dates import add_months
from realestate.core.money import to_money
from realestate.core.numbering import numbers_lock, numbers_take
from realestate.core.workflow import step
from realestate.finance.choices import (
    UNSETTLED,
    LateFeeMethod,
    LateFeeRecurrence,
    PaymentMethod,
    PaymentStatus,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import (
    Allocation,
    LateFeePolicy,
    Payment,
    PaymentReversal,
    Receivable,
)
from realestate.finance.signals import receivables_settled

INVOICE_PREFIX = "INV"
RECEIPT_PREFIX = "RC"
ZERO = Decimal("0.00")


# --- receivables ------------------------------------------------------------------------------
def receivable_status(receivable: Receivable, today: date | None = None) -> str:
    """The status a receivable's amounts and due date call for."""
    if receivable.status == ReceivableStatus.VOID:
        return ReceivableStatus.VOID
    if receivable.amount_paid >= receivable.amount:
        return ReceivableStatus.PAID
    today = today or timezone.localdate()
    if receivable.due_date < today:
        return ReceivableStatus.OVERDUE
    if receivable.amount_paid > 0:
        return ReceivableStatus.PARTIALLY_PAID
    return ReceivableStatus.OPEN


def receivable_create(*, client, kind: str, amount: Decimal, due_date: date, description: str,
                      issue_date: date | None = None, currency: str | None = None,
                      **links) -> Receivable:
    """Issue one receivable with the next invoice number. ``links``: unit, contract,
    sequence, reservation, lease, rent_charge, parent, late_fee_period."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("A charge must be more than zero.")})
    with transaction.atomic():
        [number] = numbers_take(INVOICE_PREFIX)
        receivable = Receivable(
            number=number, client=client, kind=kind, amount=amount, due_date=due_date,
            description=description, issue_date=issue_date or timezone.localdate(), **links,
        )
        if currency:
            receivable.currency = currency
        receivable.status = receivable_status(receivable)
        receivable.full_clean(exclude=["number"])
        receivable.save()
    return receivable


@step(_lazy("Void receivable"), record="receivable", permission="finance.void_receivable")
def receivable_void(*, receivable: Receivable, reason: str, by=None) -> Receivable:
    """Void what is still due on one receivable (a charge made in error, a balance waived):
    money already paid on it stays paid, and nothing more is expected."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the receivable is voided.")})
    with transaction.atomic():
        locked = Receivable.objects.select_for_update().get(pk=receivable.pk)
        if locked.status not in UNSETTLED:
            raise ValidationError(_("%(number)s is %(status)s: nothing is due on it.")
                                  % {"number": locked.number,
                                     "status": locked.get_status_display().lower()})
        locked.status = ReceivableStatus.VOID
        locked._change_reason = reason
        if by is not None:
            locked._history_user = by
        locked.save(update_fields=["status", "updated_at"])
    receivable.status = locked.status
    return locked


def receivables_void(queryset, *, reason: str = "") -> int:
    """Void the unsettled receivables in ``queryset`` (money already paid stays paid)."""
    voided = 0
    for receivable in queryset.select_for_update().filter(status__in=UNSETTLED):
        receivable.status = ReceivableStatus.VOID
        receivable._change_reason = reason
        receivable.save(update_fields=["status", "updated_at"])
        voided += 1
    return voided


def receivables_mark_overdue(today: date | None = None) -> int:
    """Flag unsettled receivables past their due date. Set-based; running twice is harmless."""
    today = today or timezone.localdate()
    return Receivable.objects.filter(
        status__in=(ReceivableStatus.OPEN, ReceivableStatus.PARTIALLY_PAID), due_date__lt=today
    ).update(status=ReceivableStatus.OVERDUE, updated_at=timezone.now())


# --- payments -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AllocationRequest:
    receivable: Receivable
    amount: Decimal


@step(_lazy("Post payment"), record="client", permission="finance.add_payment", log_on=None)
def payment_post(*, client, amount: Decimal, method: str, received_on: date, by=None,
                 idempotency_key: str | None = None, allocations: list | None = None,
                 reference: str = "", cheque_number: str = "", cheque_bank: str = "",
                 cheque_date: date | None = None, note: str = "", currency: str | None = None,
                 allocate: bool = True, allocate_rest: bool = False) -> Payment:
    """Post a payment and allocate it: to ``allocations`` if staff chose, else oldest first.
    With ``allocate_rest``, what the chosen allocations leave goes to the client's other
    receivables, oldest first (a payment aimed at an invoice that pays more than it owes).

    With an ``idempotency_key``, posting the same payment twice (a double click, a retried
    request, two requests racing) returns the first payment and records nothing new.
    """
    if idempotency_key:
        existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("A payment must be more than zero.")})
    if method == PaymentMethod.CHEQUE and not (cheque_number and cheque_bank and cheque_date):
        raise ValidationError(_("A cheque needs its number, bank and date."))
    try:
        with transaction.atomic():
            [number] = numbers_take(RECEIPT_PREFIX)
            payment = Payment(
                number=number, client=client, amount=amount, method=method,
                received_on=received_on, posted_by=by, idempotency_key=idempotency_key or None,
                reference=reference, cheque_number=cheque_number, cheque_bank=cheque_bank,
                cheque_date=cheque_date, note=note,
            )
            if currency:
                payment.currency = currency
            payment.full_clean(exclude=["number", "idempotency_key"])
            if by is not None:
                payment._history_user = by
            payment.save()
            if allocations:
                payment_allocate(payment=payment, allocations=allocations, by=by)
                if allocate_rest:
                    payment_allocate(payment=payment, by=by)
            elif allocate:
                payment_allocate(payment=payment, by=by)
            payment.refresh_from_db()
    except IntegrityError:
        if idempotency_key:
            existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise
    return payment


def payment_allocate(*, payment: Payment, allocations: list | None = None, by=None) -> list:
    """Apply a payment's unallocated money to receivables.

    ``allocations``: ``[AllocationRequest(receivable, amount), ...]`` chosen by staff;
    without it, the client's unsettled receivables are paid oldest due date first. What is
    left stays on the payment as the client's credit.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.POSTED:
            raise ValidationError(_("A reversed payment cannot be allocated."))
        available = payment.amount - payment.amount_allocated
        if allocations:
            ids = sorted({request.receivable.pk for request in allocations})
            locked = {r.pk: r for r in Receivable.objects.select_for_update()
                      .filter(pk__in=ids).order_by("pk")}
            plan, planned = [], {}
            for request in allocations:
                receivable, wanted = locked[request.receivable.pk], to_money(request.amount)
                # The same receivable may be named twice: check against what is left of it.
                _check_allocation(payment, receivable, wanted, planned.get(receivable.pk, ZERO))
                planned[receivable.pk] = planned.get(receivable.pk, ZERO) + wanted
                plan.append((receivable, wanted))
            total = sum((wanted for _, wanted in plan), ZERO)
            if total > available:
                raise ValidationError(
                    _("%(total)s is more than the %(available)s left on payment %(number)s.")
                    % {"total": total, "available": available, "number": payment.number}
                )
        else:
            plan = []
            candidates = (Receivable.objects.select_for_update()
                          .filter(client_id=payment.client_id, status__in=UNSETTLED,
                                  currency=payment.currency)
                          .order_by("due_date", "pk"))
            for receivable in candidates:
                if available <= 0:
                    break
                take = min(available, receivable.amount - receivable.amount_paid)
                if take > 0:
                    plan.append((receivable, take))
                    available -= take
        made = []
        for receivable, take in plan:
            made.append(Allocation.objects.create(payment=payment, receivable=receivable,
                                                  amount=take))
            receivable.amount_paid += take
            receivable.status = receivable_status(receivable)
            if by is not None:
                receivable._history_user = by
            receivable.save(update_fields=["amount_paid", "status", "updated_at"])
            payment.amount_allocated += take
        if made:
            payment.save(update_fields=["amount_allocated", "updated_at"])
            receivables = [allocation.receivable_id for allocation in made]
            receivables_settled.send(sender=Payment, receivable_ids=receivables)
    return made


def _check_allocation(payment: Payment, receivable: Receivable, amount: Decimal,
                      already: Decimal = ZERO) -> None:
    if receivable.client_id != payment.client_id:
        raise ValidationError(_("%(number)s belongs to another client.")
                              % {"number": receivable.number})
    if receivable.status not in UNSETTLED:
        raise ValidationError(_("%(number)s is %(status)s: nothing to pay.")
                              % {"number": receivable.number,
                                 "status": receivable.get_status_display().lower()})
    if amount <= 0:
        raise ValidationError(_("Allocate a positive amount to %(number)s.")
                              % {"number": receivable.number})
    balance = receivable.amount - receivable.amount_paid - already
    if amount > balance:
        raise ValidationError(_("%(amount)s is more than the %(balance)s due on %(number)s.")
                              % {"amount": amount, "balance": balance,
                                 "number": receivable.number})


@step(_lazy("Reverse payment"), record="payment", permission="finance.reverse_payment")
def payment_reverse(*, payment: Payment, reason: str, by=None) -> PaymentReversal:
    """Reverse a posted payment (a bounced cheque, a mistake): its allocations are undone,
    the receivables it paid are due again, and both records stay."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == PaymentStatus.REVERSED:
            raise ValidationError(_("Payment %(number)s is already reversed.")
                                  % {"number": payment.number})
        allocations = list(payment.allocations.all())
        ids = sorted({a.receivable_id for a in allocations})
        locked = {r.pk: r for r in Receivable.objects.select_for_update()
                  .filter(pk__in=ids).order_by("pk")}
        for allocation in allocations:
            receivable = locked[allocation.receivable_id]
            receivable.amount_paid -= allocation.amount
            receivable.status = receivable_status(receivable)
            receivable._change_reason = f"Payment {payment.number} reversed: {reason}"
            receivable.save(update_fields=["amount_paid", "status", "updated_at"])
        payment.status = PaymentStatus.REVERSED
        payment._change_reason = reason
        if by is not None:
            payment._history_user = by
        payment.save(update_fields=["status", "updated_at"])
        return PaymentReversal.objects.create(payment=payment, reason=reason, reversed_by=by)


# --- balances -----------------------------------------------------------------------------
def _sum(queryset, field: str) -> Decimal:
    # SQLite sums decimals as floats-in-text; rounding to the cent restores exact money.
    return to_money(queryset.aggregate(total=Sum(field))["total"] or ZERO)


AGEING_BUCKETS = (("current", None, 0), ("1_30", 1, 30), ("31_60", 31, 60),
                  ("61_90", 61, 90), ("over_90", 91, None))


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
    charged = _sum(Receivable.objects.filter(client=client)
                   .exclude(status=ReceivableStatus.VOID), "amount")
    posted = Payment.objects.filter(client=client, status=PaymentStatus.POSTED)
    received = _sum(posted, "amount")
    allocated = _sum(posted, "amount_allocated")
    # Money paid on receivables later voided stays paid: it counts as settled charges.
    paid_on_void = _sum(Receivable.objects.filter(client=client, status=ReceivableStatus.VOID),
                        "amount_paid")
    due = sum(ageing.values(), ZERO)
    return {
        "charged": charged + paid_on_void,
        "received": received,
        "credit": received - allocated,
        "due": due,
        "overdue": due - ageing["current"],
        "ageing": ageing,
    }


# --- late fees ----------------------------------------------------------------------------
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
        overdue = (Receivable.objects.filter(status=ReceivableStatus.OVERDUE)
                   .exclude(kind=ReceivableKind.LATE_FEE)
                   .select_related("unit", "client"))
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
                    client=receivable.client, kind=ReceivableKind.LATE_FEE, amount=fee,
                    due_date=today, issue_date=today, currency=receivable.currency,
                    description=f"Late fee on {receivable.number}{label}",
                    unit=receivable.unit, lease_id=receivable.lease_id,
                    contract_id=None, parent=receivable, late_fee_period=period,
                )
                created += 1
    return created


def prorate(amount: Decimal, covered_days: int, period_days: int) -> Decimal:
    return to_money(amount * covered_days / period_days)




# --- owner statements -----------------------------------------------------------------------
@step(_lazy("Generate owner statement"), record="owner",
      permission="finance.generate_ownerstatement", log_on="result")
def owner_statement_generate(*, owner, month: date, by=None):
    """The owner's statement for ``month``: rent collected on their units (allocations of
    posted payments received that month), the management fee on it, the units' expenses and
    the net payable. Generating it again for the same month replaces the figures."""
    from django.conf import settings

    from realestate.core.dates import month_end, month_start
    from realestate.finance.models import Allocation, Expense, OwnerStatement

    first, last = month_start(month), month_end(month)
    collected_rows = (
        Allocation.objects.filter(
            receivable__unit__owner=owner, receivable__kind=ReceivableKind.RENT,
            payment__status=PaymentStatus.POSTED, payment__received_on__range=(first, last))
        .values("receivable__unit__code").annotate(total=Sum("amount"))
    )
    expense_rows = (Expense.objects.filter(unit__owner=owner, incurred_on__range=(first, last))
                    .values("unit__code").annotate(total=Sum("amount")))
    collected = {row["receivable__unit__code"]: to_money(row["total"]) for row in collected_rows}
    spent = {row["unit__code"]: to_money(row["total"]) for row in expense_rows}
    rate = owner.management_fee_percent
    if rate is None:
        rate = settings.MANAGEMENT_FEE_PERCENT
    lines = []
    for code in sorted(set(collected) | set(spent)):
        rent, cost = collected.get(code, ZERO), spent.get(code, ZERO)
        fee = to_money(rent * rate / 100)
        lines.append({"unit": code, "rent_collected": str(rent), "management_fee": str(fee),
                      "expenses": str(cost), "net": str(rent - fee - cost)})
    rent_total = to_money(sum(collected.values(), ZERO))
    fee_total = sum((Decimal(line["management_fee"]) for line in lines), ZERO)
    expenses_total = to_money(sum(spent.values(), ZERO))
    statement, _created = OwnerStatement.objects.update_or_create(
        owner=owner, period_start=first,
        defaults={
            "period_end": last, "rent_collected": rent_total, "management_fee_base": rent_total,
            "management_fee_rate": rate, "management_fee": fee_total,
            "expenses": expenses_total, "net_payable": rent_total - fee_total - expenses_total,
            "lines": lines,
        },
    )
    return statement
