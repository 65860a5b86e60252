"""The admin of payment plans."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    ChoicesDropdownFilter,
)
from unfold.decorators import display

from realestate.core.admin import (
    ImportExportAdmin,
)
from realestate.core.money import percent_text
from realestate.sales import selectors
from realestate.sales.models import PaymentPlan


@admin.register(PaymentPlan)
class PaymentPlanAdmin(ImportExportAdmin):
    list_display = ["name", "terms", "is_active", "contract_count"]
    list_filter = ["is_active", ("frequency", ChoicesDropdownFilter)]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "is_active", "notes"]}),
        (
            _("Terms"),
            {
                "fields": [
                    "down_payment_percent",
                    "instalment_count",
                    "frequency",
                    "handover_percent",
                    "grace_months",
                ],
                "description": _(
                    "A contract copies these terms when it is made on this plan; "
                    "changing the plan later does not change signed contracts."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return selectors.plans_with_contract_counts(super().get_queryset(request))

    @display(description=_("Terms"))
    def terms(self, obj):
        return plan_terms_text(obj)

    @display(description=_("Contracts"), ordering="contract_total")
    def contract_count(self, obj):
        return obj.contract_total


def plan_terms_text(terms) -> str:
    parts = [_("%(p)s%% down") % {"p": percent_text(terms.down_payment_percent)}]
    if terms.instalment_count:
        parts.append(
            _("%(n)s × %(f)s")
            % {"n": terms.instalment_count, "f": terms.get_frequency_display().lower()}
        )
    if terms.handover_percent:
        parts.append(_("%(p)s%% on handover") % {"p": percent_text(terms.handover_percent)})
    if terms.grace_months:
        parts.append(_("%(n)s grace month(s)") % {"n": terms.grace_months})
    return " · ".join(str(part) for part in parts)
