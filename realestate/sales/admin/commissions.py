"""The admin of commissions."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import display

from realestate.core.admin import (
    StepAction,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
    confirm,
    money_column,
    status_badge,
    status_label,
)
from realestate.sales import services
from realestate.sales.choices import (
    COMMISSION_FLOW,
    CommissionStatus,
)
from realestate.sales.models import Commission


@admin.register(Commission)
class CommissionAdmin(ViewOnlyHistoryAdmin, WorkflowAdmin):
    export_columns = [
        ("contract__number", "Contract"),
        ("contract__unit__code", "Unit"),
        ("agent__username", "Agent"),
        "rate",
        "amount",
        "currency",
        "status",
        "paid_on",
        ("created_at", "Added"),
    ]
    list_display = [
        "contract",
        "agent",
        "rate",
        "amount_display",
        "commission_status",
        "paid_on",
        "created_at",
    ]
    list_select_related = ["contract", "agent"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("agent", AutocompleteSelectFilter),
        ("paid_on", RangeDateFilter),
    ]
    search_fields = ["contract__number", "agent__username", "agent__first_name", "agent__last_name"]
    fields = ["contract", "agent", "rate", "amount_display", "status_display", "paid_on"]
    readonly_fields = fields
    actions_detail = ["approve", "pay"]
    steps = {
        "approve": StepAction(
            services.commission_approve,
            _("Approve"),
            "done",
            _("Commission %(record)s approved."),
            when={CommissionStatus.PENDING},
            bulk=True,
            dialog=confirm(
                _("Approve commission"),
                _("Approve this commission for payment. Nobody approves their own commission."),
                _("Approve"),
            ),
        ),
        "pay": StepAction(
            services.commission_pay,
            _("Mark paid"),
            "payments",
            _("Commission %(record)s marked paid."),
            when={CommissionStatus.APPROVED},
            bulk=True,
            dialog=confirm(
                _("Mark commission paid"),
                _("Record that the agent has been paid today."),
                _("Mark paid"),
            ),
        ),
    }
    commission_status = status_badge("status", COMMISSION_FLOW)

    def has_add_permission(self, request):
        return False  # made by signing a contract

    def has_change_permission(self, request, obj=None):
        return False  # never edited: approved and paid by its steps

    def has_delete_permission(self, request, obj=None):
        return False

    amount_display = money_column("amount", _("Amount"), ordering="amount")

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, COMMISSION_FLOW)
