"""The admin of on a client's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from realestate.clients.models import Client
from realestate.core.admin import (
    Panel,
    link,
    money,
    panel_register,
    small_table,
)
from realestate.finance import selectors
from realestate.finance.models import (
    Payment,
    Receivable,
)


def _account_balance(client, user):
    balance = selectors.client_balance(client)
    currency = settings.DEFAULT_CURRENCY
    ageing = balance["ageing"]
    totals = small_table(
        [_("Charged"), _("Received"), _("Credit"), _("Due"), _("Overdue")],
        [
            [
                money(balance[key], currency)
                for key in ("charged", "received", "credit", "due", "overdue")
            ]
        ],
    )
    buckets = small_table(
        [_("Not yet late"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("Over 90 days")],
        [
            [
                money(ageing[key], currency)
                for key in ("current", "1_30", "31_60", "61_90", "over_90")
            ]
        ],
    )
    return format_html('<div class="flex flex-col gap-3 w-full">{}{}</div>', totals, buckets)


def _account_records(client, user):
    lines = []
    for model, label in ((Receivable, _("%(n)s receivable(s)")), (Payment, _("%(n)s payment(s)"))):
        rows = model.objects.restrict(user, "view").filter(client=client)
        url = (
            reverse(f"admin:finance_{model._meta.model_name}_changelist")
            + f"?client__id__exact={client.pk}"
        )
        lines.append(link(url, label % {"n": rows.count()}))
    return format_html("{} · {}", *lines)


def _may_see_money(request) -> bool:
    receivables = admin.site._registry.get(Receivable)
    return bool(receivables and receivables.has_view_permission(request))


panel_register(
    Client,
    Panel(
        _("Account"),
        (
            ("account_balance", _("Balance and ageing"), _account_balance),
            ("account_records", _("Records"), _account_records),
        ),
        visible=_may_see_money,
    ),
)
