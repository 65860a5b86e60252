"""The admin of leases."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import display

from realestate.core.admin import (
    ImportButtonMixin,
    RecordPaymentMixin,
    StepAction,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
    confirm,
    link,
    money,
    money_column,
    small_table,
    status_badge,
    status_label,
)
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.documents.pages import SignedCopyMixin
from realestate.finance.choices import UNSETTLED
from realestate.leasing import selectors, services
from realestate.leasing.admin.lease_forms import (
    DepositMovementInline,
    DepositReceivedForm,
    DepositReleaseForm,
    EndForm,
    LeaseForm,
    RenewForm,
    RentChargeInline,
    TerminateForm,
)
from realestate.leasing.choices import (
    HOLDING_STATUSES,
    LEASE_FLOW,
    LeaseStatus,
)
from realestate.leasing.models import (
    Lease,
)
from realestate.properties.models import Unit


@admin.register(Lease)
class LeaseAdmin(
    ImportButtonMixin,
    GenerateDocumentsMixin,
    SignedCopyMixin,
    RecordPaymentMixin,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
):
    export_columns = [
        "number",
        ("unit__code", "Unit"),
        ("tenant__name", "Tenant"),
        ("agent__username", "Agent"),
        "start_date",
        "end_date",
        "term_type",
        "monthly_rent",
        "currency",
        "billing_frequency",
        "billing_day",
        "deposit_amount",
        "escalation_percent",
        ("renewed_from__number", "Renewal of"),
        "status",
        "ended_on",
        "termination_reason",
    ]
    generated_kinds = ("lease_agreement",)
    form = LeaseForm
    list_display = [
        "number",
        "unit",
        "tenant",
        "start_date",
        "end_date",
        "rent_display",
        "lease_status",
    ]
    list_select_related = ["unit", "tenant"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("term_type", ChoicesDropdownFilter),
        ("unit", AutocompleteSelectFilter),
        ("tenant", AutocompleteSelectFilter),
        ("start_date", RangeDateFilter),
        ("end_date", RangeDateFilter),
    ]
    search_fields = ["number", "unit__code", "tenant__name"]
    autocomplete_fields = ["unit", "tenant", "agent"]
    actions_detail = [
        "activate",
        "renew",
        "record_payment",
        "upload_signed_copy",
        {"title": _("Deposit"), "icon": "savings", "items": ["receive_deposit", "release_deposit"]},
        {"title": _("End lease"), "icon": "event_busy", "items": ["end", "terminate"]},
    ]
    signed_copy_step = "leasing.lease_signed_copy_attach"
    steps = {
        "activate": StepAction(
            services.lease_activate,
            _("Activate"),
            "play_arrow",
            _("Lease %(record)s is active."),
            when={LeaseStatus.DRAFT},
            dialog=confirm(
                _("Activate lease"),
                _(
                    "The unit becomes leased, the rent schedule is laid out and the "
                    "deposit is invoiced."
                ),
                _("Activate"),
            ),
        ),
        "renew": StepAction(
            services.lease_renew,
            _("Renew"),
            "autorenew",
            _("Draft renewal made for %(record)s."),
            when=lambda lease: (
                lease.status in (LeaseStatus.ACTIVE, LeaseStatus.ENDED)
                and not lease.renewal_exists()
            ),
            dialog=confirm(
                _("Renew lease"),
                _(
                    "A draft renewal is made for the same unit and tenant, on the same "
                    "terms. Activate it when it starts."
                ),
                _("Make renewal"),
                RenewForm,
            ),
            arguments=lambda data: {
                key: data.get(key) for key in ("start_date", "end_date", "monthly_rent")
            },
            opens=lambda renewal, lease: renewal,
        ),
        "end": StepAction(
            services.lease_end,
            _("End as agreed"),
            "event_available",
            _("Lease %(record)s ended."),
            when={LeaseStatus.ACTIVE},
            dialog=confirm(
                _("End lease"),
                _(
                    "The lease ends as agreed; the unit becomes available unless "
                    "another lease holds it. Periods after the end are not billed."
                ),
                _("End lease"),
                EndForm,
            ),
            arguments=lambda data: {"on": data["on"]},
        ),
        "terminate": StepAction(
            services.lease_terminate,
            _("Terminate early"),
            "block",
            _("Lease %(record)s terminated."),
            when={LeaseStatus.DRAFT, LeaseStatus.ACTIVE},
            dialog=confirm(
                _("Terminate lease"),
                _(
                    "The lease stops early; periods after the date are not billed and "
                    "their unpaid invoices are voided."
                ),
                _("Terminate"),
                TerminateForm,
            ),
            arguments=lambda data: {"reason": data["reason"], "on": data["on"]},
        ),
        "receive_deposit": StepAction(
            services.deposit_receive,
            _("Deposit received"),
            "savings",
            _("Deposit received on %(record)s."),
            when={LeaseStatus.ACTIVE},
            dialog=confirm(
                _("Record deposit received"),
                _("The security deposit, or part of it, received from the tenant."),
                _("Record"),
                DepositReceivedForm,
            ),
            arguments=lambda data: {
                "amount": data["amount"],
                "on": data["on"],
                "note": data.get("note", ""),
            },
        ),
        "release_deposit": StepAction(
            services.deposit_release,
            _("Return or keep deposit"),
            "move_up",
            _("Deposit movement recorded on %(record)s."),
            when={LeaseStatus.ACTIVE, LeaseStatus.ENDED, LeaseStatus.TERMINATED},
            dialog=confirm(
                _("Return or keep deposit"),
                _(
                    "The deposit returned to the tenant, or kept for unpaid rent or "
                    "repairs. No more can go out than is held."
                ),
                _("Record"),
                DepositReleaseForm,
            ),
            arguments=lambda data: {
                "movement": data["movement"],
                "amount": data["amount"],
                "on": data["on"],
                "note": data.get("note", ""),
            },
        ),
    }
    lease_status = status_badge("status", LEASE_FLOW)

    terms = (
        _("Rent and terms"),
        {
            "fields": [
                "term_type",
                "start_date",
                "end_date",
                "monthly_rent",
                "billing_frequency",
                "billing_day",
                "escalation_percent",
                "deposit_amount",
            ],
            "description": _(
                "Changing the terms of an active lease lays out its rent schedule "
                "again from the first period not yet invoiced; invoiced periods never "
                "change."
            ),
        },
    )
    add_fieldsets = [
        (None, {"fields": ["unit", "tenant", "agent"]}),
        terms,
        (_("Notes"), {"fields": ["notes"]}),
    ]
    change_fieldsets = [
        (
            None,
            {"fields": ["number", "status_display", "unit", "tenant", "agent", "renewal_links"]},
        ),
        terms,
        (_("Billing"), {"fields": ["billing_summary"]}),
        (_("Signed copy"), {"fields": ["signed_copy"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    closed_fieldset = (_("Closed"), {"fields": ["ended_on", "termination_reason"]})
    computed = [
        "number",
        "status_display",
        "renewal_links",
        "billing_summary",
        "ended_on",
        "termination_reason",
        "deposit_display",
        "signed_copy",
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        # Money that can no longer be edited is shown formatted: the deposit once the lease
        # is active (it was invoiced then), every amount once the lease is closed.
        shown = {"deposit_amount": "deposit_display"} if obj.status != LeaseStatus.DRAFT else {}
        if not self.has_change_permission(request, obj):
            shown["monthly_rent"] = "rent_display"
        fieldsets = [*self.change_fieldsets]
        if obj.status not in HOLDING_STATUSES:
            fieldsets.append(self.closed_fieldset)
        return [
            (title, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.computed, "unit", "tenant", "rent_display"]

    def signed_copy_applies(self, record) -> bool:
        return record.status != LeaseStatus.TERMINATED

    def get_inlines(self, request, obj):
        return [] if obj is None else [RentChargeInline, DepositMovementInline]

    # --- a new lease takes the unit's listed rent ----------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        unit = form.base_fields.get("unit")
        if obj is None and unit is not None:
            widget = getattr(unit.widget, "widget", unit.widget)  # inside the "+" wrapper
            widget.attrs["data-rent-url"] = reverse("admin:leasing_lease_unit_rent")
        return form

    def get_changeform_initial_data(self, request):
        # "New lease" on a unit's page opens this form with ?unit=<id>.
        initial = super().get_changeform_initial_data(request)
        unit = self._unit_for_rent(request, initial.get("unit"))
        if unit is not None and unit.monthly_rent is not None:
            initial.setdefault("monthly_rent", unit.monthly_rent)
        return initial

    @staticmethod
    def _unit_for_rent(request, unit_id):
        if not str(unit_id or "").isdigit():
            return None
        return (
            Unit.objects.restrict(request.user, "view")
            .only("pk", "monthly_rent", "currency")
            .filter(pk=unit_id)
            .first()
        )

    def get_urls(self):
        rent = path(
            "unit-rent/",
            self.admin_site.admin_view(self.unit_rent_view),
            name="leasing_lease_unit_rent",
        )
        return [rent, *super().get_urls()]

    def unit_rent_view(self, request):
        """``{"monthly_rent": "9500.00", "currency": "AED"}`` of a unit the user may see, for
        the add form's script; 404 for any other."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        unit = self._unit_for_rent(request, request.GET.get("unit"))
        if unit is None:
            raise Http404
        rent = unit.monthly_rent
        return JsonResponse(
            {"monthly_rent": None if rent is None else f"{rent:.2f}", "currency": unit.currency}
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status not in HOLDING_STATUSES:
            return False  # ended or terminated: read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # terminated, never deleted

    def unsettled_receivables(self, obj):
        return obj.receivables.filter(status__in=UNSETTLED)

    @display(description=_("Rent"), ordering="monthly_rent")
    def rent_display(self, obj):
        return format_html("{} / mo", money(obj.monthly_rent, obj.currency))

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, LEASE_FLOW)

    deposit_display = money_column("deposit_amount", _("Deposit"))

    @display(description=_("Renewals"))
    def renewal_links(self, obj):
        parts = []
        if obj.renewed_from_id:
            previous = obj.renewed_from
            parts.append(
                link(
                    previous.get_absolute_url(),
                    _("Renews %(number)s") % {"number": previous.number},
                )
            )
        renewal = Lease.objects.filter(renewed_from=obj).first()
        if renewal is not None:
            parts.append(
                link(
                    renewal.get_absolute_url(),
                    _("Renewed by %(number)s (%(status)s)")
                    % {"number": renewal.number, "status": renewal.get_status_display().lower()},
                )
            )
        if not parts:
            return "—"
        return format_html_join(" · ", "{}", ((part,) for part in parts))

    @display(description=_("Invoices and deposit"))
    def billing_summary(self, obj):
        totals = selectors.lease_billing_totals(obj)
        url = reverse("admin:finance_receivable_changelist") + f"?lease__id__exact={obj.pk}"
        return small_table(
            [_("Invoiced"), _("Paid"), _("Outstanding"), _("Deposit held"), _("Receivables")],
            [
                [
                    money(totals[key], obj.currency)
                    for key in ("charged", "paid", "outstanding", "deposit_held")
                ]
                + [link(url, _("Open the list"))]
            ],
        )
