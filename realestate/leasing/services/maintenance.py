"""Maintenance requests (work orders): reported, moved along, completed with a cost."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from realestate.core.money import to_money
from realestate.core.numbering import number_take
from realestate.core.workflow import StepRefused, step
from realestate.finance import services as finance
from realestate.finance.choices import ExpenseCategory
from realestate.leasing import signals
from realestate.leasing.choices import (
    MAINTENANCE_FLOW,
    LeaseStatus,
    MaintenanceCategory,
    MaintenanceStatus,
    Priority,
)
from realestate.leasing.models import (
    Lease,
    MaintenanceComment,
    MaintenancePhoto,
    MaintenanceRequest,
)
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
        signals.maintenance_received.send(sender=MaintenanceRequest, request=request, by=by)
    return request


@step(_lazy("Move work order"), record="request")
def maintenance_status_change(
    *, request: MaintenanceRequest, status: str, by=None, cost: Decimal | None = None, vendor=None
) -> MaintenanceRequest:
    """Move a work order along; completing it with a cost books that cost as an expense of
    the unit (once, however often it is completed). The tenant hears when a vendor is
    assigned and when the work is completed."""
    with transaction.atomic():
        locked = MaintenanceRequest.objects.select_for_update().get(pk=request.pk)
        vendor_before = locked.vendor_id
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
        if locked.vendor_id and locked.vendor_id != vendor_before:
            signals.maintenance_assigned.send(sender=MaintenanceRequest, request=locked)
        if status == MaintenanceStatus.COMPLETED:
            signals.maintenance_completed.send(sender=MaintenanceRequest, request=locked)
    request.status = locked.status
    return locked


def _photos_add(request: MaintenanceRequest, photos) -> None:
    errors = {}
    for index, upload in enumerate(photos):
        photo = MaintenancePhoto(request=request, image=upload)
        try:
            photo.full_clean(exclude=["request"])
        except ValidationError as error:
            errors[f"photos.{index}"] = error.message_dict.get("image", error.messages)
            continue
        photo.save()
    if errors:
        raise ValidationError(errors)


def maintenance_request_report(
    *,
    lease: Lease,
    by,
    category: str,
    description: str,
    priority: str = Priority.NORMAL,
    title: str = "",
    permission_to_enter: bool = False,
    photos=(),
) -> MaintenanceRequest:
    """A tenant reports a problem with the unit of their lease, from the app, with photos.

    Only the tenant's own active lease (``by`` is its tenant's app login): anything else is
    answered as if it did not exist. Not a workflow step: reporting moves no status and no
    money, and the tenant holds no staff permission."""
    if (
        by is None
        or by.is_staff
        or lease.tenant.portal_user_id != by.pk
        or not Lease.objects.restrict(by, "view").filter(pk=lease.pk).exists()
    ):
        raise StepRefused(_("No such lease, or not one you may see."), out_of_scope=True)
    if lease.status != LeaseStatus.ACTIVE:
        raise ValidationError({"lease": _("%(lease)s is not active.") % {"lease": lease}})
    with transaction.atomic():
        request = MaintenanceRequest(
            number=number_take("MR"),
            unit=lease.unit,
            lease=lease,
            reported_by_client=lease.tenant,
            category=category,
            priority=priority,
            title=title or str(MaintenanceCategory(category).label),
            description=description,
            permission_to_enter=permission_to_enter,
        )
        request.full_clean(exclude=["number"])
        request.save()
        _photos_add(request, photos)
        signals.maintenance_received.send(sender=MaintenanceRequest, request=request, by=None)
    return request


def maintenance_comment_add(*, request: MaintenanceRequest, by, body: str) -> MaintenanceComment:
    """A comment on a request by whoever may see it: its tenant or owner from the app, staff
    from the admin."""
    if not MaintenanceRequest.objects.restrict(by, "view").filter(pk=request.pk).exists():
        raise StepRefused(_("No such request, or not one you may see."), out_of_scope=True)
    comment = MaintenanceComment(request=request, author=by, body=body)
    comment.full_clean()
    comment.save()
    return comment
