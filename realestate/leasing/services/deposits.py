"""Deposits: received, returned or kept; never more out than is held."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.money import to_money
from realestate.core.workflow import step
from realestate.leasing.choices import (
    DepositMovement,
)
from realestate.leasing.models import DepositTransaction, Lease
from realestate.leasing.selectors import deposit_held

#: How far ahead the schedule of an open-ended (periodic) lease is laid out.


def deposit_record(
    *, lease: Lease, movement: str, amount: Decimal, by=None, on: date | None = None, note: str = ""
) -> DepositTransaction:
    """Record the deposit received (``deposit_receive``), or returned or kept
    (``deposit_release``, money going out: the accountants' step)."""
    if movement == DepositMovement.RECEIVED:
        return deposit_receive(lease=lease, amount=amount, by=by, on=on, note=note)
    return deposit_release(lease=lease, movement=movement, amount=amount, by=by, on=on, note=note)


@step(_lazy("Record deposit received"), record="lease")
def deposit_receive(
    *, lease: Lease, amount: Decimal, by=None, on: date | None = None, note: str = ""
) -> DepositTransaction:
    return _deposit_movement(lease, DepositMovement.RECEIVED, amount, by, on, note)


@step(_lazy("Return or keep deposit"), record="lease", permission="leasing.release_deposit")
def deposit_release(
    *, lease: Lease, movement: str, amount: Decimal, by=None, on: date | None = None, note: str = ""
) -> DepositTransaction:
    if movement == DepositMovement.RECEIVED:
        raise ValidationError({"movement": _("Choose returned or kept.")})
    return _deposit_movement(lease, movement, amount, by, on, note)


def _deposit_movement(lease: Lease, movement: str, amount: Decimal, by, on, note: str):
    """Record the deposit received, returned or kept; never more out than is held."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    with transaction.atomic():
        locked = Lease.objects.select_for_update().get(pk=lease.pk)
        if movement != DepositMovement.RECEIVED and amount > deposit_held(locked):
            raise ValidationError(
                _("Only %(held)s of the deposit is held on %(number)s.")
                % {"held": deposit_held(locked), "number": locked.number}
            )
        if movement in (DepositMovement.KEPT_REPAIRS, DepositMovement.KEPT_RENT) and not note:
            raise ValidationError({"note": _("Say what the deposit was kept for.")})
        return DepositTransaction.objects.create(
            lease=locked,
            movement=movement,
            amount=amount,
            occurred_on=on or timezone.localdate(),
            note=note,
            recorded_by=by,
        )
