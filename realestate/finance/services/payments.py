"""Payments: posted once, allocated to receivables, reversed by another record.

Every amount is a ``Decimal``. Rows that can be taken twice (a payment's unallocated money, a
receivable's balance, a receipt number) are locked with ``select_for_update`` inside the
transaction that changes them, and the database's check constraints stand behind the locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.money import to_money
from realestate.core.numbering import numbers_take
from realestate.core.workflow import step
from realestate.finance.choices import (
    UNSETTLED,
    PaymentMethod,
    PaymentStatus,
)
from realestate.finance.models import (
    Allocation,
    Payment,
    PaymentReversal,
    Receivable,
)
from realestate.finance.services.receivables import receivable_status
from realestate.finance.signals import payment_posted, payment_reversed, receivables_settled

RECEIPT_PREFIX = "RC"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AllocationRequest:
    receivable: Receivable
    amount: Decimal


@step(_lazy("Post payment"), record="client", permission="finance.add_payment", log_on=None)
def payment_post(
    *,
    client,
    amount: Decimal,
    method: str,
    received_on: date,
    by=None,
    idempotency_key: str | None = None,
    allocations: list | None = None,
    reference: str = "",
    cheque_number: str = "",
    cheque_bank: str = "",
    cheque_date: date | None = None,
    note: str = "",
    currency: str | None = None,
    allocate: bool = True,
    allocate_rest: bool = False,
    notify: bool = True,
) -> Payment:
    """Post a payment and allocate it: to ``allocations`` if staff chose, else oldest first.
    With ``allocate_rest``, what the chosen allocations leave goes to the client's other
    receivables, oldest first (a payment aimed at an invoice that pays more than it owes).

    With an ``idempotency_key``, posting the same payment twice (a double click, a retried
    request, two requests racing) returns the first payment and records nothing new.

    ``payment_posted`` is sent in the transaction (the payer gets the receipt);
    ``notify=False`` says the payment is history brought from a former system.
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
                number=number,
                client=client,
                amount=amount,
                method=method,
                received_on=received_on,
                posted_by=by,
                idempotency_key=idempotency_key or None,
                reference=reference,
                cheque_number=cheque_number,
                cheque_bank=cheque_bank,
                cheque_date=cheque_date,
                note=note,
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
            payment_posted.send(sender=Payment, payment=payment, notify=notify)
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
            locked = {
                r.pk: r
                for r in Receivable.objects.select_for_update().filter(pk__in=ids).order_by("pk")
            }
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
            candidates = (
                Receivable.objects.select_for_update()
                .filter(
                    client_id=payment.client_id, status__in=UNSETTLED, currency=payment.currency
                )
                .order_by("due_date", "pk")
            )
            for receivable in candidates:
                if available <= 0:
                    break
                take = min(available, receivable.amount - receivable.amount_paid)
                if take > 0:
                    plan.append((receivable, take))
                    available -= take
        made = []
        for receivable, take in plan:
            made.append(
                Allocation.objects.create(payment=payment, receivable=receivable, amount=take)
            )
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


def _check_allocation(
    payment: Payment, receivable: Receivable, amount: Decimal, already: Decimal = ZERO
) -> None:
    if receivable.client_id != payment.client_id:
        raise ValidationError(
            _("%(number)s belongs to another client.") % {"number": receivable.number}
        )
    if receivable.status not in UNSETTLED:
        raise ValidationError(
            _("%(number)s is %(status)s: nothing to pay.")
            % {"number": receivable.number, "status": receivable.get_status_display().lower()}
        )
    if amount <= 0:
        raise ValidationError(
            _("Allocate a positive amount to %(number)s.") % {"number": receivable.number}
        )
    balance = receivable.amount - receivable.amount_paid - already
    if amount > balance:
        raise ValidationError(
            _("%(amount)s is more than the %(balance)s due on %(number)s.")
            % {"amount": amount, "balance": balance, "number": receivable.number}
        )


@step(_lazy("Reverse payment"), record="payment", permission="finance.reverse_payment")
def payment_reverse(*, payment: Payment, reason: str, by=None) -> PaymentReversal:
    """Reverse a posted payment (a bounced cheque, a mistake): its allocations are undone,
    the receivables it paid are due again, and both records stay."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the payment is reversed.")})
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == PaymentStatus.REVERSED:
            raise ValidationError(
                _("Payment %(number)s is already reversed.") % {"number": payment.number}
            )
        allocations = list(payment.allocations.all())
        ids = sorted({a.receivable_id for a in allocations})
        locked = {
            r.pk: r
            for r in Receivable.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
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
        reversal = PaymentReversal.objects.create(payment=payment, reason=reason, reversed_by=by)
        payment_reversed.send(sender=Payment, payment=payment, reason=reason)
        return reversal
