"""The admin of owner statements."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    RangeDateFilter,
)
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminSelectWidget,
)

from realestate.clients.models import Client
from realestate.core.admin import (
    BaseAdmin,
    StepAction,
    StepActionsMixin,
    confirm,
    money,
    money_column,
    small_table,
)
from realestate.core.dates import add_months, month_start
from realestate.core.money import format_money, percent_text
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.finance import selectors, services
from realestate.finance.models import (
    OwnerStatement,
)


def recent_months(count: int = 13) -> list[tuple[str, str]]:
    this_month = month_start(timezone.localdate())
    months = [add_months(this_month, -offset) for offset in range(count)]
    return [(month.isoformat(), f"{month:%B %Y}") for month in months]


class GenerateStatementsForm(BaseDialogForm):
    month = forms.ChoiceField(label=_("Month"), widget=UnfoldAdminSelectWidget)
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"),
        required=False,
        queryset=Client.objects.none(),
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("None ticked: every owner with units."),
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        months = recent_months()
        self.fields["month"].choices = months
        self.fields["month"].initial = months[1][0]  # last month, the usual one
        self.fields["owners"].queryset = selectors.owners_with_units(request.user)
        if not self.fields["owners"].queryset.exists():
            self.fields["owners"].help_text = _(
                "No client owns a unit yet: set the owner on the units first."
            )


@admin.register(OwnerStatement)
class OwnerStatementAdmin(GenerateDocumentsMixin, StepActionsMixin, BaseAdmin):
    export_columns = [
        ("owner__name", "Owner"),
        "period_start",
        "period_end",
        "currency",
        "rent_collected",
        "management_fee_base",
        "management_fee_rate",
        "management_fee",
        "expenses",
        "net_payable",
        ("updated_at", "Updated"),
    ]
    generated_kinds = ("owner_statement",)
    list_display = [
        "owner",
        "period",
        "rent_display",
        "fee_display",
        "expenses_display",
        "net_display",
        "updated_at",
    ]
    list_select_related = ["owner"]
    list_filter = [("period_start", RangeDateFilter), ("owner", AutocompleteSelectFilter)]
    search_fields = ["owner__name"]
    fieldsets = [
        (None, {"fields": ["owner", "period", "updated_at"]}),
        (
            _("Totals"),
            {"fields": ["rent_display", "fee_explained", "expenses_display", "net_display"]},
        ),
        (_("By unit"), {"fields": ["lines_table"]}),
    ]
    readonly_fields = [
        "owner",
        "period",
        "updated_at",
        "rent_display",
        "fee_explained",
        "expenses_display",
        "net_display",
        "lines_table",
    ]
    actions_list = ["generate"]
    actions_detail = ["regenerate"]
    steps = {
        "regenerate": StepAction(
            services.owner_statement_generate,
            _("Generate again"),
            "refresh",
            _("Statement %(record)s generated again."),
            bulk=True,
            dialog=confirm(
                _("Generate again"),
                _(
                    "The statement's figures are computed again from the payments and "
                    "expenses recorded for its month."
                ),
                _("Generate"),
            ),
            call=lambda admin, request, statement, data: services.owner_statement_generate(
                owner=statement.owner, month=statement.period_start, by=request.user
            ),
        ),
    }

    def has_add_permission(self, request):
        return False  # generated, not typed in

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_generate_permission(self, request, obj=None):
        return services.owner_statement_generate.rule.may_at_all(request.user)

    @display(description=_("Period"), ordering="period_start")
    def period(self, obj):
        return f"{obj.period_start:%B %Y}"

    rent_display = money_column("rent_collected", _("Rent collected"), ordering="rent_collected")

    fee_display = money_column("management_fee", _("Management fee"), ordering="management_fee")

    @display(description=_("Management fee"))
    def fee_explained(self, obj):
        return format_html(
            '{} <span class="text-base-500">({}% of {})</span>',
            money(obj.management_fee, obj.currency),
            percent_text(obj.management_fee_rate),
            format_money(obj.management_fee_base, obj.currency),
        )

    expenses_display = money_column("expenses", _("Expenses"), ordering="expenses")

    net_display = money_column("net_payable", _("Net payable"), ordering="net_payable")

    @display(description=_("Lines"))
    def lines_table(self, obj):
        rows = [
            [
                line["unit"],
                money(line["rent_collected"], obj.currency),
                money(line["management_fee"], obj.currency),
                money(line["expenses"], obj.currency),
                money(line["net"], obj.currency),
            ]
            for line in obj.lines
        ]
        return small_table(
            [_("Unit"), _("Rent collected"), _("Management fee"), _("Expenses"), _("Net")],
            rows,
            empty=_("Nothing collected or spent on this owner's units."),
        )

    def _generate(self, request, owners, month: date) -> int:
        made = 0
        for owner in owners:
            with transaction.atomic():
                services.owner_statement_generate(owner=owner, month=month, by=request.user)
            made += 1
        return made

    @action(
        description=_("Generate statements for a month"),
        icon="summarize",
        permissions=["generate"],
        dialog=confirm(
            _("Generate owner statements"),
            _(
                "Rent collected, the management fee and the expenses of the month, "
                "per owner. A statement made before for the same month is "
                "replaced."
            ),
            _("Generate"),
            GenerateStatementsForm,
        ),
    )
    def generate(self, request, form):
        month = date.fromisoformat(form.cleaned_data["month"])
        owners = form.cleaned_data["owners"] or selectors.owners_with_units(request.user)
        made = self._generate(request, owners, month)
        if made:
            self.message_user(
                request,
                _("%(count)s statement(s) generated for %(month)s.")
                % {"count": made, "month": f"{month:%B %Y}"},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("No statement generated: no client owns a unit."), messages.WARNING
            )
        url = (
            reverse("admin:finance_ownerstatement_changelist")
            + f"?period_start_from={month.isoformat()}&period_start_to={month.isoformat()}"
        )
        return self.go(request, url)
