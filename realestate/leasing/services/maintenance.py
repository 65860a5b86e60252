"""Maintenance requests (work orders): reported, moved along, completed with a cost."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.money import to_money
from realestate.core.numbering import number_take
from realestate.core.workflow import step
from realestate.finance import services as finance
from realestate.finance.choices import ExpenseCategory
from realestate.leasing.choices import (
    MAINTENANCE_FLOW,
    LeaseStatus,
    MaintenanceStatus,
)
from realestate.leasing.models import Lease, MaintenanceRequest
from realestate.properties.models import Unit

#: How far ahead the schedule of an open-ended (periodic) lease is laid out.


@step(
    _lazy("Report maintenance"),
    record="unit",
    permission="leasing.add_maintenancerequest",
    log_on=None,
)
def maintenance_request_create(
    *, unit: Unit, title: str, category: str, by=None, reported_by_client=None, **fields
) -> MaintenanceRequest:
    with transaction.atomic():
        lease = Lease.objects.filter(unit=unit, status=LeaseStatus.ACTIVE).first()
        request = MaintenanceRequest(
            number=number_take("MR"),
            unit=unit,
            title=title,
            category=category,
            reported_by_user=by,
            lease=lease,
            reported_by_client=reported_by_client,
            **fields,
        )
        request.full_clean(exclude=["number"])
        request.save()
    return request


@step(_lazy("Move work order"), record="request")
def maintenance_status_change(
    *, request: MaintenanceRequest, status: str, by=None, cost: Decimal | None = None, vendor=None
) -> MaintenanceRequest:
    """Move a work order along; completing it with a cost books that cost as an expense of
    the unit (once, however often it is completed)."""
    with transaction.atomic():
        locked = MaintenanceRequest.objects.select_for_update().get(pk=request.pk)
        fields = {}
        if vendor is not None:
            fields["vendor"] = vendor
        if cost is not None:
            fields["cost"] = to_money(cost)
        if status == MaintenanceStatus.COMPLETED:
            fields["completed_on"] = timezone.localdate()
        MAINTENANCE_FLOW.apply(locked, status, by, **fields)
        if status == MaintenanceStatus.COMPLETED and locked.cost:
            finance.expense_book(
                maintenance_request=locked,
                unit=locked.unit,
                amount=locked.cost,
                currency=locked.currency,
                incurred_on=locked.completed_on,
                vendor=locked.vendor,
                category=ExpenseCategory.MAINTENANCE,
                description=f"{locked.number} {locked.title}",
            )
    request.status = locked.status
    return locked
