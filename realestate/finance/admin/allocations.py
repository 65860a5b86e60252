"""Allocations: which part of which payment settled which receivable, as a list of its own
(Money → Allocations) to read, filter and export; each payment's and each receivable's page
shows its own. Read-only: allocations are written by ``payment_post`` and undone by
``payment_reverse``. Whoever sees a payment sees its allocations, and only those."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import RangeDateFilter
from unfold.decorators import display

from realestate.core.admin import ListExportMixin, MissingIs404Mixin, ReadOnlyMixin, link, money
from realestate.core.permissions import has_any_grant
from realestate.finance.models import Allocation, Payment


@admin.register(Allocation)
class AllocationAdmin(ListExportMixin, MissingIs404Mixin, ReadOnlyMixin, ModelAdmin):
    export_columns = [
        ("payment__number", "Receipt number"),
        ("payment__received_on", "Received on"),
        ("payment__client__name", "Client"),
        ("receivable__number", "Invoice number"),
        ("receivable__kind", "Kind"),
        ("receivable__due_date", "Due"),
        ("receivable__unit__code", "Unit"),
        "amount",
        ("payment__currency", "Currency"),
        ("payment__status", "Payment status"),
        ("created_at", "Allocated at"),
    ]
    list_display = ["payment_link", "received_on", "client", "receivable_link", "amount_display"]
    list_select_related = ["payment__client", "receivable"]
    list_filter = [("payment__received_on", RangeDateFilter), "receivable__kind"]
    list_filter_submit = True
    search_fields = ["payment__number", "receivable__number", "payment__client__name"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        payments = Payment.objects.restrict(request.user, "view")
        return super().get_queryset(request).filter(payment__in=payments.values("pk"))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and user.is_staff and has_any_grant(user, Payment, "view")

    @display(description=_("Receipt"), ordering="payment__number")
    def payment_link(self, obj):
        return link(obj.payment.get_absolute_url(), obj.payment.number)

    @display(description=_("Received on"), ordering="payment__received_on")
    def received_on(self, obj):
        return obj.payment.received_on

    @display(description=_("Client"), ordering="payment__client__name")
    def client(self, obj):
        return obj.payment.client

    @display(description=_("Invoice"), ordering="receivable__number")
    def receivable_link(self, obj):
        return link(obj.receivable.get_absolute_url(), obj.receivable.number)

    @display(description=_("Amount"), ordering="amount")
    def amount_display(self, obj):
        return money(obj.amount, obj.payment.currency)
