"""The admin's front page: figures a user may see, each scoped like the lists behind it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from realestate.clients.choices import OPEN_LEAD_STATUSES, ViewingStatus
from realestate.clients.models import Lead, Viewing
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.selectors import unit_counts_by_status


def environment_label(request):
    if settings.DEBUG:
        return [_("Development"), "warning"]
    return None


def dashboard_callback(request, context):
    user = request.user
    today = timezone.localdate()
    units = Unit.objects.restrict(user, "view")
    counts = unit_counts_by_status(units)
    unit_list = reverse("admin:properties_unit_changelist")
    leads = Lead.objects.restrict(user, "view")
    viewings = Viewing.objects.restrict(user, "view")

    kpis = [
        {"title": _("Units"), "value": sum(counts.values()), "href": unit_list},
        *[
            {
                "title": label,
                "value": counts[value],
                "href": f"{unit_list}?status__exact={value}",
            }
            for value, label in UnitStatus.choices
        ],
    ]
    follow_ups = (
        leads.filter(status__in=OPEN_LEAD_STATUSES, next_follow_up__lte=today)
        .select_related("client", "unit", "project")
        .order_by("next_follow_up")[:8]
    )
    upcoming = (
        viewings.filter(status=ViewingStatus.SCHEDULED, scheduled_at__date__gte=today)
        .select_related("client", "unit")
        .order_by("scheduled_at")[:8]
    )
    context.update(
        {
            "kpis": kpis,
            "follow_ups": {
                "headers": [_("Client"), _("Interest"), _("Due")],
                "rows": [
                    [lead.client.name, lead.interest, lead.next_follow_up] for lead in follow_ups
                ],
            },
            "viewings": {
                "headers": [_("When"), _("Unit"), _("Client")],
                "rows": [
                    [timezone.localtime(v.scheduled_at).strftime("%a %d %b %H:%M"), v.unit.code,
                     v.client.name]
                    for v in upcoming
                ],
            },
            "open_leads": leads.filter(status__in=OPEN_LEAD_STATUSES).count(),
        }
    )
    return context
