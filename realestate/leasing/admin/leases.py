"""The admin of leases."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import display
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextInputWidget,
)

from realestate.core.admin import (
    NativeDateInput,
    ReadOnlyInline,
    RecordPaymentMixin,
    ServiceForm,
    StepAction,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
    confirm,
    label_html,
    link,
    money,
    money_column,
    small_table,
    status_badge,
    status_label,
)
from realestate.core.money import format_money
from realestate.finance.choices import RECEIVABLE_STATUS, UNSETTLED
from realestate.leasing import selectors, services
from realestate.leasing.choices import (
    HOLDING_STATUSES,
    LEASE_FLOW,
    DepositMovement,
    LeaseStatus,
)
from realestate.leasing.models import (
    DepositTransaction,
    Lease,
    RentCharge,
)
from realestate.properties.models import Unit


class LeaseForm(ServiceForm):
    """Adding calls ``lease_create``; changing a draft or active lease calls ``lease_update``
    with the fields that changed."""

    TERMS = ("term_type", "billing_frequency", "billing_day", "deposit_amount",
             "escalation_percent")
    EDITABLE = ("agent", "start_date", "end_date", "monthly_rent", "notes", *TERMS)

    class Meta:
        model = Lease
        fields = ["unit", "tenant", "agent", "start_date", "end_date", "term_type",
                  "monthly_rent", "billing_frequency", "billing_day", "deposit_amount",
                  "escalation_percent", "notes"]

    class Media:
        # Picking the unit fills an empty rent with the unit's listed one (a static file:
        # the pages run under a Content-Security-Policy without inline scripts).
        js = ["leasing/lease_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "monthly_rent" in self.fields:
            self.fields["monthly_rent"].required = False
            self.fields["monthly_rent"].help_text = _(
                "Empty: the unit's listed rent. Rent is in the unit's currency.")

    def save_through_service(self, by):
        data = self.cleaned_data
        if not self.instance.pk:
            return services.lease_create(
                unit=data["unit"], tenant=data["tenant"], start_date=data["start_date"],
                end_date=data.get("end_date"), monthly_rent=data.get("monthly_rent"),
                agent=data.get("agent"), notes=data.get("notes", ""), by=by,
                **{field: data[field] for field in self.TERMS if field in data},
            )
        changes = {field: data[field] for field in self.changed_data if field in self.EDITABLE}
        if not changes:
            return Lease.objects.get(pk=self.instance.pk)
        return services.lease_update(lease=self.instance, by=by, **changes)


class RentChargeInline(ReadOnlyInline):
    model = RentCharge
    verbose_name = _("rent period")
    verbose_name_plural = _("rent schedule")
    fields = ["period_start", "period_end", "due_date", "amount_display", "invoice"]
    readonly_fields = fields
    ordering = ["period_start"]
    per_page = 12

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("receivable")

    amount_display = money_column("amount", _("Amount"))

    @display(description=_("Invoiced"))
    def invoice(self, obj):
        receivable = getattr(obj, "receivable", None)  # reverse one-to-one, selected
        if receivable is None:
            return label_html(_("Not invoiced"))
        return format_html("{} {}", link(receivable.get_absolute_url(), receivable.number),
                           status_label(receivable, RECEIVABLE_STATUS))


class DepositMovementInline(ReadOnlyInline):
    model = DepositTransaction
    verbose_name_plural = _("deposit movements")
    fields = ["occurred_on", "movement", "amount_display", "note", "recorded_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by", "lease")

    @display(description=_("Amount"))
    def amount_display(self, obj):
        return money(obj.amount, obj.lease.currency if obj.lease_id else "")


class LeaseDialogForm(BaseDialogForm):
    """A dialog about one lease: ``self.lease`` is the lease, scoped to the user."""

    def __init__(self, request, object_id=None, *args, **kwargs):
        super().__init__(request, object_id, *args, **kwargs)
        self.lease = (Lease.objects.restrict(request.user, "view").filter(pk=object_id).first()
                      if object_id else None)


class RenewForm(LeaseDialogForm):
    start_date = forms.DateField(label=_("Start"), required=False, widget=NativeDateInput,
                                 help_text=_("Empty: the day after this lease ends."))
    end_date = forms.DateField(label=_("End"), required=False, widget=NativeDateInput,
                               help_text=_("Empty: the same length as this lease."))
    monthly_rent = forms.DecimalField(label=_("Monthly rent"), required=False, min_value=0,
                                      max_digits=14, decimal_places=2,
                                      widget=UnfoldAdminDecimalFieldWidget,
                                      help_text=_("Empty: this lease's rent plus its yearly "
                                                  "escalation."))


class EndForm(LeaseDialogForm):
    on = forms.DateField(label=_("Ended on"), widget=NativeDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.lease is not None:
            self.fields["on"].initial = self.lease.end_date or timezone.localdate()


class TerminateForm(LeaseDialogForm):
    reason = forms.CharField(label=_("Reason"), max_length=255,
                             widget=UnfoldAdminTextInputWidget)
    on = forms.DateField(label=_("Terminated on"), initial=timezone.localdate,
                         widget=NativeDateInput)


class DepositReceivedForm(LeaseDialogForm):
    amount = forms.DecimalField(label=_("Amount"), min_value=Decimal("0.01"), max_digits=14,
                                decimal_places=2, widget=UnfoldAdminDecimalFieldWidget)
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=NativeDateInput)
    note = forms.CharField(label=_("Note"), max_length=255, required=False,
                           widget=UnfoldAdminTextInputWidget,
                           help_text=_("Required when the deposit is kept: say what for."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.lease is not None:
            held = selectors.deposit_held(self.lease)
            self.fields["amount"].help_text = _("%(held)s of %(agreed)s is held now.") % {
                "held": format_money(held, self.lease.currency),
                "agreed": format_money(self.lease.deposit_amount, self.lease.currency)}
            if not held:
                self.fields["amount"].initial = self.lease.deposit_amount


class DepositReleaseForm(DepositReceivedForm):
    movement = forms.ChoiceField(
        label=_("Movement"), widget=UnfoldAdminSelectWidget,
        choices=[(value, label) for value, label in DepositMovement.choices
                 if value != DepositMovement.RECEIVED])
    field_order = ["movement", "amount", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = None


@admin.register(Lease)
class LeaseAdmin(RecordPaymentMixin, ViewOnlyHistoryAdmin, WorkflowAdmin):
    form = LeaseForm
    list_display = ["number", "unit", "tenant", "start_date", "end_date", "rent_display",
                    "lease_status"]
    list_select_related = ["unit", "tenant"]
    list_filter = [("status", ChoicesDropdownFilter), ("term_type", ChoicesDropdownFilter),
                   ("unit", AutocompleteSelectFilter), ("tenant", AutocompleteSelectFilter),
                   ("start_date", RangeDateFilter), ("end_date", RangeDateFilter)]
    search_fields = ["number", "unit__code", "tenant__name"]
    autocomplete_fields = ["unit", "tenant", "agent"]
    actions_detail = [
        "activate", "renew", "record_payment",
        {"title": _("Deposit"), "icon": "savings", "items": ["receive_deposit",
                                                             "release_deposit"]},
        {"title": _("End lease"), "icon": "event_busy", "items": ["end", "terminate"]},
    ]
    steps = {
        "activate": StepAction(
            services.lease_activate, _("Activate"), "play_arrow", _("Lease %(record)s is active."),
            when={LeaseStatus.DRAFT},
            dialog=confirm(_("Activate lease"),
                           _("The unit becomes leased, the rent schedule is laid out and the "
                             "deposit is invoiced."), _("Activate")),
        ),
        "renew": StepAction(
            services.lease_renew, _("Renew"), "autorenew",
            _("Draft renewal made for %(record)s."),
            when=lambda lease: lease.status in (LeaseStatus.ACTIVE, LeaseStatus.ENDED)
            and not lease.renewal_exists(),
            dialog=confirm(_("Renew lease"),
                           _("A draft renewal is made for the same unit and tenant, on the same "
                             "terms. Activate it when it starts."), _("Make renewal"),
                           RenewForm),
            arguments=lambda data: {key: data.get(key)
                                    for key in ("start_date", "end_date", "monthly_rent")},
            opens=lambda renewal, lease: renewal,
        ),
        "end": StepAction(
            services.lease_end, _("End as agreed"), "event_available",
            _("Lease %(record)s ended."), when={LeaseStatus.ACTIVE},
            dialog=confirm(_("End lease"),
                           _("The lease ends as agreed; the unit becomes available unless "
                             "another lease holds it. Periods after the end are not billed."),
                           _("End lease"), EndForm),
            arguments=lambda data: {"on": data["on"]},
        ),
        "terminate": StepAction(
            services.lease_terminate, _("Terminate early"), "block",
            _("Lease %(record)s terminated."), when={LeaseStatus.DRAFT, LeaseStatus.ACTIVE},
            dialog=confirm(_("Terminate lease"),
                           _("The lease stops early; periods after the date are not billed and "
                             "their unpaid invoices are voided."), _("Terminate"),
                           TerminateForm),
            arguments=lambda data: {"reason": data["reason"], "on": data["on"]},
        ),
        "receive_deposit": StepAction(
            services.deposit_receive, _("Deposit received"), "savings",
            _("Deposit received on %(record)s."), when={LeaseStatus.ACTIVE},
            dialog=confirm(_("Record deposit received"),
                           _("The security deposit, or part of it, received from the tenant."),
                           _("Record"), DepositReceivedForm),
            arguments=lambda data: {"amount": data["amount"], "on": data["on"],
                                    "note": data.get("note", "")},
        ),
        "release_deposit": StepAction(
            services.deposit_release, _("Return or keep deposit"), "move_up",
            _("Deposit movement recorded on %(record)s."),
            when={LeaseStatus.ACTIVE, LeaseStatus.ENDED, LeaseStatus.TERMINATED},
            dialog=confirm(_("Return or keep deposit"),
                           _("The deposit returned to the tenant, or kept for unpaid rent or "
                             "repairs. No more can go out than is held."), _("Record"),
                           DepositReleaseForm),
            arguments=lambda data: {"movement": data["movement"], "amount": data["amount"],
                                    "on": data["on"], "note": data.get("note", "")},
        ),
    }
    lease_status = status_badge("status", LEASE_FLOW)

    terms = (_("Rent and terms"), {
        "fields": ["term_type", "start_date", "end_date", "monthly_rent", "billing_frequency",
                   "billing_day", "escalation_percent", "deposit_amount"],
        "description": _("Changing the terms of an active lease lays out its rent schedule "
                         "again from the first period not yet invoiced; invoiced periods never "
                         "change."),
    })
    add_fieldsets = [
        (None, {"fields": ["unit", "tenant", "agent"]}),
        terms,
        (_("Notes"), {"fields": ["notes"]}),
    ]
    change_fieldsets = [
        (None, {"fields": ["number", "status_display", "unit", "tenant", "agent",
                           "renewal_links"]}),
        terms,
        (_("Billing"), {"fields": ["billing_summary"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    closed_fieldset = (_("Closed"), {"fields": ["ended_on", "termination_reason"]})
    computed = ["number", "status_display", "renewal_links", "billing_summary", "ended_on",
                "termination_reason", "deposit_display"]

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
        return [(title, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
                for title, options in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.computed, "unit", "tenant", "rent_display"]

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
        return (Unit.objects.restrict(request.user, "view")
                .only("pk", "monthly_rent", "currency").filter(pk=unit_id).first())

    def get_urls(self):
        rent = path("unit-rent/", self.admin_site.admin_view(self.unit_rent_view),
                    name="leasing_lease_unit_rent")
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
        return JsonResponse({"monthly_rent": None if rent is None else f"{rent:.2f}",
                             "currency": unit.currency})

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
            parts.append(link(previous.get_absolute_url(),
                              _("Renews %(number)s") % {"number": previous.number}))
        renewal = Lease.objects.filter(renewed_from=obj).first()
        if renewal is not None:
            parts.append(link(renewal.get_absolute_url(),
                              _("Renewed by %(number)s (%(status)s)")
                              % {"number": renewal.number,
                                 "status": renewal.get_status_display().lower()}))
        if not parts:
            return "—"
        return format_html_join(" · ", "{}", ((part,) for part in parts))

    @display(description=_("Invoices and deposit"))
    def billing_summary(self, obj):
        totals = selectors.lease_billing_totals(obj)
        url = reverse("admin:finance_receivable_changelist") + f"?lease__id__exact={obj.pk}"
        return small_table(
            [_("Invoiced"), _("Paid"), _("Outstanding"), _("Deposit held"), _("Receivables")],
            [[money(totals[key], obj.currency)
              for key in ("charged", "paid", "outstanding", "deposit_held")]
             + [link(url, _("Open the list"))]],
        )
