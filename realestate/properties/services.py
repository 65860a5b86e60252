"""Inventory services: every change of a unit's status goes through here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.workflow import step
from realestate.properties.choices import UNIT_STATUS_FLOW, WORKFLOW_STATUSES, UnitStatus
from realestate.properties.models import InventorySnapshot, Unit


@transaction.atomic
def unit_status_change(*, unit: Unit, status: str, by=None, workflow: bool = False) -> Unit:
    """Move a unit to ``status`` if its flow allows it.

    The row is locked first, so two workflows racing for one unit see each other's change:
    the second finds the unit no longer available and is refused. Reserved, sold and leased
    are set, and left, only by the sales and leasing services (``workflow=True``), never by
    hand.
    """
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if status in WORKFLOW_STATUSES and not workflow:
        raise ValidationError(
            _("A unit becomes %(status)s only through its reservation, contract or lease."),
            code="workflow_only",
            params={"status": UnitStatus(status).label.lower()},
        )
    if locked.status == status:
        return locked
    if locked.status in WORKFLOW_STATUSES and not workflow:
        # Putting a reserved, sold or let unit back by hand would leave its reservation,
        # contract or lease standing while the unit is offered again: it could be taken twice.
        raise ValidationError(
            _(
                "A %(status)s unit is released only by cancelling its reservation or contract, "
                "or by ending its lease."
            ),
            code="workflow_only",
            params={"status": UnitStatus(locked.status).label.lower()},
        )
    UNIT_STATUS_FLOW.apply(locked, status, by)
    unit.status = locked.status
    return locked


def _unit_market_move(unit: Unit, status: str, by) -> Unit:
    current = Unit.objects.filter(pk=unit.pk).values_list("status", flat=True).get()
    if current == status:
        raise ValidationError(
            _("Unit %(code)s is already %(status)s: nothing changed."),
            code="unchanged",
            params={"code": unit.code, "status": UnitStatus(status).label.lower()},
        )
    return unit_status_change(unit=unit, status=status, by=by)


@step(_lazy("Take off market"), record="unit")
def unit_take_off_market(*, unit: Unit, by=None) -> Unit:
    return _unit_market_move(unit, UnitStatus.OFF_MARKET, by)


@step(_lazy("Return to market"), record="unit")
def unit_return_to_market(*, unit: Unit, by=None) -> Unit:
    return _unit_market_move(unit, UnitStatus.AVAILABLE, by)


def inventory_snapshot_take(*, on=None) -> InventorySnapshot:
    """Record today's counts of units by status; a second run the same day updates the row."""
    from realestate.properties.selectors import unit_counts_by_status

    on = on or timezone.localdate()
    counts = unit_counts_by_status()
    snapshot, _created = InventorySnapshot.objects.update_or_create(
        taken_on=on, defaults={"total": sum(counts.values()), "by_status": counts}
    )
    return snapshot
