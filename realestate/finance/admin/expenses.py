"""The admin of expenses."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)

from realestate.core.admin import (
    BaseAdmin,
    money_column,
)
from realestate.finance.models import (
    Expense,
)


@admin.register(Expense)
class ExpenseAdmin(BaseAdmin):
    export_columns = [
        "incurred_on",
        ("unit__code", "Unit"),
        "category",
        "description",
        "amount",
        "currency",
        ("vendor__name", "Vendor"),
        ("maintenance_request__number", "Maintenance request"),
    ]
    list_display = [
        "incurred_on",
        "unit",
        "category",
        "description",
        "amount_display",
        "vendor",
        "maintenance_request",
    ]
    list_select_related = ["unit", "vendor", "maintenance_request"]
    list_filter = [
        ("category", ChoicesDropdownFilter),
        ("incurred_on", RangeDateFilter),
        ("unit", AutocompleteSelectFilter),
        ("vendor", AutocompleteSelectFilter),
    ]
    search_fields = ["description", "unit__code", "vendor__name"]
    autocomplete_fields = ["unit", "vendor"]
    fields = [
        "unit",
        "category",
        "description",
        "amount",
        "incurred_on",
        "vendor",
        "maintenance_request",
    ]
    readonly_fields = ["maintenance_request"]
    date_hierarchy = "incurred_on"

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.maintenance_request_id:
            return False  # booked by completing the work order: change it there
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.maintenance_request_id:
            return False
        return super().has_delete_permission(request, obj)

    amount_display = money_column("amount", _("Amount"), ordering="amount")
