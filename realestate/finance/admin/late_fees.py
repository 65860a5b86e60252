"""The admin of late fees."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    ChoicesDropdownFilter,
)
from unfold.decorators import display
from unfold.widgets import (
    UnfoldBooleanSwitchWidget,
)

from realestate.core.admin import (
    BaseAdmin,
)
from realestate.core.money import format_money, percent_text
from realestate.finance.choices import (
    LateFeeMethod,
)
from realestate.finance.models import (
    LateFeePolicy,
)


class LateFeePolicyForm(forms.ModelForm):
    """Exactly one scope: company-wide (``is_global``, set by the switch), a project or a
    lease."""

    make_global = forms.BooleanField(
        label=_("Company-wide default"),
        required=False,
        widget=UnfoldBooleanSwitchWidget,
        help_text=_(
            "Applies wherever no project or lease policy does. Only one policy can be "
            "the company-wide default."
        ),
    )

    class Meta:
        model = LateFeePolicy
        fields = [
            "name",
            "project",
            "lease",
            "grace_days",
            "method",
            "fixed_amount",
            "percent",
            "recurrence",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["make_global"].initial = self.instance.is_global

    def clean(self):
        cleaned = super().clean()
        scopes = [
            bool(cleaned.get("make_global")),
            bool(cleaned.get("project")),
            bool(cleaned.get("lease")),
        ]
        if sum(scopes) != 1:
            raise forms.ValidationError(
                _("Choose exactly one scope: company-wide, a project or a lease.")
            )
        if cleaned.get("make_global"):
            other = LateFeePolicy.objects.filter(is_global=True).exclude(pk=self.instance.pk)
            if other.exists():
                self.add_error(
                    "make_global",
                    _("“%(name)s” is already the company-wide default.")
                    % {"name": other.first().name},
                )
        self.instance.is_global = bool(cleaned.get("make_global"))
        return cleaned


@admin.register(LateFeePolicy)
class LateFeePolicyAdmin(BaseAdmin):
    export_columns = [
        "name",
        "is_global",
        ("project__code", "Project"),
        ("lease__number", "Lease"),
        "grace_days",
        "method",
        "fixed_amount",
        "percent",
        "recurrence",
        "is_active",
    ]
    form = LateFeePolicyForm
    list_display = ["name", "scope", "grace_days", "charge", "recurrence", "is_active"]
    list_select_related = ["project", "lease"]
    list_filter = [
        "is_active",
        "is_global",
        ("method", ChoicesDropdownFilter),
        ("recurrence", ChoicesDropdownFilter),
    ]
    search_fields = ["name", "project__name", "lease__number"]
    autocomplete_fields = ["project", "lease"]
    conditional_fields = {"fixed_amount": "method == 'fixed'", "percent": "method == 'percent'"}
    fieldsets = [
        (
            _("Scope"),
            {
                "fields": ["name", "make_global", "project", "lease"],
                "description": _(
                    "A lease's policy wins over its project's, which wins over the "
                    "company-wide default."
                ),
            },
        ),
        (
            _("Fee"),
            {
                "fields": [
                    "grace_days",
                    "method",
                    "fixed_amount",
                    "percent",
                    "recurrence",
                    "is_active",
                ]
            },
        ),
    ]

    @display(description=_("Applies to"), ordering="-is_global")
    def scope(self, obj):
        return obj.scope_label

    @display(description=_("Fee"))
    def charge(self, obj):
        if obj.method == LateFeeMethod.FIXED:
            return format_money(obj.fixed_amount, settings.DEFAULT_CURRENCY)
        return _("%(percent)s%% of the overdue amount") % {"percent": percent_text(obj.percent)}
