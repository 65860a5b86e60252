"""Reminders about leases ending."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from realestate.notifications.choices import MessageKind as K
from realestate.notifications.events import (
    Managers,
    company_name,
    content_type_id,
    day,
    staff_people,
    to_client,
    to_staff,
)
from realestate.notifications.reminders.base import chunks, days_step
from realestate.notifications.services import notify_many


def leases_ending(today: date | None = None) -> int:
    """Leases ending in ``LEASE_ENDING_DAYS`` (90, 60, 30): to the tenant and the unit's
    leasing manager, the nearest step reached, once. A lease already renewed is left out."""
    from realestate.leasing.choices import LeaseStatus
    from realestate.leasing.models import Lease

    today = today or timezone.localdate()
    steps = sorted(set(settings.LEASE_ENDING_DAYS))
    if not steps:
        return 0
    company = company_name()
    ct_id = content_type_id(Lease)
    ending = (
        Lease.objects.filter(
            status=LeaseStatus.ACTIVE,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=steps[-1]),
        )
        .exclude(Exists(Lease.objects.filter(renewed_from=OuterRef("pk"))))
        .annotate(step_name=days_step("end_date", today, steps, before=True))
    )
    fields = (
        "step_name",
        "number",
        "unit__code",
        "end_date",
        "tenant_id",
        "tenant__name",
        "tenant__portal_user_id",
        "tenant__portal_user__language",
        "unit__building__manager_id",
        "unit__project__manager_id",
    )
    managers = Managers()
    written = 0
    for rows in chunks(ending, *fields):
        people = staff_people(user_id for row in rows for user_id in managers.of(row[9], row[10]))
        messages = []
        for row in rows:
            pk, step, number, unit, end_date, tenant_id, tenant, portal_user_id = row[:8]
            language, building_manager, project_manager = row[8:]
            context = {
                "lease": number,
                "unit": unit,
                "tenant": tenant,
                "end_date": day(end_date),
                "days": (end_date - today).days,
                "company": company,
            }
            messages.append(
                to_client(
                    K.LEASE_ENDING,
                    client_id=tenant_id,
                    name=tenant,
                    portal_user_id=portal_user_id,
                    language=language,
                    ct_id=ct_id,
                    object_id=pk,
                    step=step,
                    context=context,
                )
            )
            for user_id in managers.of(building_manager, project_manager):
                message = to_staff(
                    K.LEASE_ENDING,
                    user_id=user_id,
                    people=people,
                    model=Lease,
                    object_id=pk,
                    ct_id=ct_id,
                    step=step,
                    context=context,
                )
                if message is not None:
                    messages.append(message)
        written += notify_many(messages)
    return written
