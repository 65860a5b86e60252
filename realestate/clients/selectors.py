"""Read queries over clients, leads and viewings."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from realestate.clients.choices import OPEN_LEAD_STATUSES, ViewingStatus
from realestate.clients.models import Lead, Viewing


def leads_open(leads: QuerySet[Lead] | None = None) -> QuerySet[Lead]:
    """Leads still being worked (not won, not lost)."""
    leads = Lead.objects.all() if leads is None else leads
    return leads.filter(status__in=OPEN_LEAD_STATUSES)


def follow_ups_due(leads: QuerySet[Lead], *, on: date, limit: int = 8) -> list[Lead]:
    """Open leads whose next follow-up is ``on`` or before, the most overdue first."""
    return list(
        leads_open(leads)
        .filter(next_follow_up__lte=on)
        .select_related("client", "unit", "project")
        .order_by("next_follow_up")[:limit]
    )


def viewings_upcoming(viewings: QuerySet[Viewing], *, since: date, limit: int = 8) -> list[Viewing]:
    """Scheduled viewings from ``since`` on, the soonest first."""
    return list(
        viewings.filter(status=ViewingStatus.SCHEDULED, scheduled_at__date__gte=since)
        .select_related("client", "unit")
        .order_by("scheduled_at")[:limit]
    )
