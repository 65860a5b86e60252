"""The admin's front page: figures a user may see, each scoped like the lists behind it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from realestate.clients import selectors as clients
from realestate.clients.models import Lead, Viewing
from realestate.core.money import format_money
from realestate.finance.choices import PaymentStatus, ReceivableStatus
from realestate.finance.models import Payment, Receivable
from realestate.leasing.choices import LeaseStatus, MaintenanceStatus
from realestate.leasing.models import Lease, MaintenanceRequest
from realestate.notifications.choices import DeliveryStatus
from realestate.notifications.models import Delivery
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.selectors import unit_counts_by_status

#: Leases ending within this many days are counted on the dashboard.
LEASE_NOTICE_DAYS = 60
OPEN_MAINTENANCE = (MaintenanceStatus.OPEN, MaintenanceStatus.IN_PROGRESS)


def environment_label(request):
    if settings.DEBUG:
        return [_("Development"), "warning"]
    return None


def _may_view(request, model) -> bool:
    model_admin = admin.site._registry.get(model)
    return bool(model_admin and model_admin.has_view_permission(request))


def _list_url(model, query: str = "") -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{query}" if query else url


def _unit_figures(request):
    counts = unit_counts_by_status(Unit.objects.restrict(request.user, "view"))
    return [
        {"title": _("Units"), "value": sum(counts.values()), "href": _list_url(Unit)},
        *[
            {
                "title": label,
                "value": counts[value],
                "href": _list_url(Unit, f"status__exact={value}"),
            }
            for value, label in UnitStatus.choices
        ],
    ]


def _leasing_figures(request, today):
    leases = Lease.objects.restrict(request.user, "view")
    soon = today + timedelta(days=LEASE_NOTICE_DAYS)
    figures = [
        {
            "title": _("Active leases"),
            "value": leases.filter(status=LeaseStatus.ACTIVE).count(),
            "href": _list_url(Lease, f"status__exact={LeaseStatus.ACTIVE}"),
        },
        {
            "title": _("Ending in %(days)s days") % {"days": LEASE_NOTICE_DAYS},
            "value": leases.filter(
                status=LeaseStatus.ACTIVE, end_date__gte=today, end_date__lte=soon
            ).count(),
            "href": _list_url(
                Lease,
                f"status__exact={LeaseStatus.ACTIVE}"
                f"&end_date_from={today.isoformat()}"
                f"&end_date_to={soon.isoformat()}",
            ),
        },
    ]
    if _may_view(request, MaintenanceRequest):
        figures.append(
            {
                "title": _("Open maintenance"),
                "value": MaintenanceRequest.objects.restrict(request.user, "view")
                .filter(status__in=OPEN_MAINTENANCE)
                .count(),
                "href": _list_url(MaintenanceRequest),
            }
        )
    return figures


def _money_figures(request, today):
    currency = settings.DEFAULT_CURRENCY
    overdue = (
        Receivable.objects.restrict(request.user, "view")
        .filter(status=ReceivableStatus.OVERDUE)
        .aggregate(count=Count("id"), due=Sum(F("amount") - F("amount_paid")))
    )
    overdue_list = _list_url(Receivable, f"status__exact={ReceivableStatus.OVERDUE}")
    figures = [
        {"title": _("Overdue invoices"), "value": overdue["count"], "href": overdue_list},
        {
            "title": _("Overdue amount"),
            "value": format_money(overdue["due"] or 0, currency),
            "href": overdue_list,
        },
    ]
    if _may_view(request, Payment):
        month = today.replace(day=1)
        received = (
            Payment.objects.restrict(request.user, "view")
            .filter(
                status=PaymentStatus.POSTED,
                received_on__gte=month,
                received_on__lte=today,
            )
            .aggregate(total=Sum("amount"))["total"]
        )
        figures.append(
            {
                "title": _("Received this month"),
                "value": format_money(received or 0, currency),
                "href": _list_url(
                    Payment,
                    f"received_on_from={month.isoformat()}&received_on_to={today.isoformat()}",
                ),
            }
        )
    return figures


def _message_figures(request):
    """Deliveries that need staff: failed after their last attempt, or bounced."""
    counts = dict(
        Delivery.objects.filter(status__in=[DeliveryStatus.FAILED, DeliveryStatus.BOUNCED])
        .values_list("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [
        {
            "title": _("Failed messages"),
            "value": counts.get(DeliveryStatus.FAILED, 0),
            "href": _list_url(Delivery, f"status__exact={DeliveryStatus.FAILED}"),
        },
        {
            "title": _("Bounced e-mails"),
            "value": counts.get(DeliveryStatus.BOUNCED, 0),
            "href": _list_url(Delivery, f"status__exact={DeliveryStatus.BOUNCED}"),
        },
    ]


def dashboard_callback(request, context):
    """Figure groups for what the user may see (units, leasing, money), each scoped like the
    list it links to; the follow-up and viewing tables for those who work leads."""
    user = request.user
    today = timezone.localdate()
    groups = []
    if _may_view(request, Unit):
        groups.append({"title": _("Inventory"), "kpis": _unit_figures(request)})
    if _may_view(request, Lease):
        groups.append({"title": _("Leasing"), "kpis": _leasing_figures(request, today)})
    if _may_view(request, Receivable):
        groups.append({"title": _("Money"), "kpis": _money_figures(request, today)})
    if _may_view(request, Delivery):
        groups.append({"title": _("Messages"), "kpis": _message_figures(request)})
    context["kpi_groups"] = groups

    if _may_view(request, Lead):
        leads = Lead.objects.restrict(user, "view")
        follow_ups = clients.follow_ups_due(leads, on=today)
        context["follow_ups"] = {
            "headers": [_("Client"), _("Interest"), _("Due")],
            "rows": [[lead.client.name, lead.interest, lead.next_follow_up] for lead in follow_ups],
        }
        context["open_leads"] = clients.leads_open(leads).count()
    if _may_view(request, Viewing):
        upcoming = clients.viewings_upcoming(Viewing.objects.restrict(user, "view"), since=today)
        context["viewings"] = {
            "headers": [_("When"), _("Unit"), _("Client")],
            "rows": [
                [
                    timezone.localtime(v.scheduled_at).strftime("%a %d %b %H:%M"),
                    v.unit.code,
                    v.client.name,
                ]
                for v in upcoming
            ],
        }
    return context
