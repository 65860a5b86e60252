"""The admin of online payment events: what the payment provider's webhook received and did,
read-only. A refused one (amount or currency not matching the invoice) posted nothing and is
for staff to settle with the client (a refund, or a payment recorded by hand)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RangeDateFilter

from realestate.core.admin import BaseAdmin, money_column, status_badge
from realestate.finance.choices import ONLINE_EVENT_OUTCOME
from realestate.finance.models import OnlinePaymentEvent


@admin.register(OnlinePaymentEvent)
class OnlinePaymentEventAdmin(BaseAdmin):
    export_columns = [
        "event_id",
        ("created_at", "Received"),
        "provider",
        "event_type",
        "payment_intent",
        "outcome",
        ("receivable__number", "Invoice number"),
        ("payment__number", "Receipt number"),
        "amount",
        "currency",
        "message",
    ]
    list_display = [
        "created_at",
        "event_type",
        "outcome_badge",
        "receivable",
        "amount_display",
        "payment",
        "message",
    ]
    list_select_related = ["receivable", "payment"]
    list_filter = [("outcome", ChoicesDropdownFilter), ("created_at", RangeDateFilter)]
    search_fields = ["event_id", "payment_intent", "receivable__number", "payment__number"]
    fields = [
        "provider",
        "event_id",
        "event_type",
        "payment_intent",
        "outcome_badge",
        "message",
        "receivable",
        "amount_display",
        "payment",
        "created_at",
    ]
    readonly_fields = fields

    outcome_badge = status_badge("outcome", ONLINE_EVENT_OUTCOME, _("Outcome"))
    amount_display = money_column("amount", _("Amount"), ordering="amount")

    def has_add_permission(self, request):
        return False  # received from the provider

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
