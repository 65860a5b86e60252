"""A lease's form, its dialogs (renew, end, terminate, deposits) and its read-only inlines."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
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
    ServiceForm,
    label_html,
    link,
    money,
    money_column,
    status_label,
)
from realestate.core.money import format_money
from realestate.finance.choices import RECEIVABLE_STATUS
from realestate.leasing import selectors, services
from realestate.leasing.choices import (
    DepositMovement,
)
from realestate.leasing.models import (
    DepositTransaction,
    Lease,
    RentCharge,
)


class LeaseForm(ServiceForm):
    """Adding calls ``lease_create``; changing a draft or active lease calls ``lease_update``
    with the fields that changed."""

    TERMS = (
        "term_type",
        "billing_frequency",
        "billing_day",
        "deposit_amount",
        "escalation_percent",
    )
    EDITABLE = ("agent", "start_date", "end_date", "monthly_rent", "notes", *TERMS)

    class Meta:
        model = Lease
        fields = [
            "unit",
            "tenant",
            "agent",
            "start_date",
            "end_date",
            "term_type",
            "monthly_rent",
            "billing_frequency",
            "billing_day",
            "deposit_amount",
            "escalation_percent",
            "notes",
        ]

    class Media:
        # Picking the unit fills an empty rent with the unit's listed one (a static file:
        # the pages run under a Content-Security-Policy without inline scripts).
        js = ["leasing/lease_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "monthly_rent" in self.fields:
            self.fields["monthly_rent"].required = False
            self.fields["monthly_rent"].help_text = _(
                "Empty: the unit's listed rent. Rent is in the unit's currency."
            )

    def save_through_service(self, by):
        data = self.cleaned_data
        if not self.instance.pk:
            return services.lease_create(
                unit=data["unit"],
                tenant=data["tenant"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                monthly_rent=data.get("monthly_rent"),
                agent=data.get("agent"),
                notes=data.get("notes", ""),
                by=by,
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
        return format_html(
            "{} {}",
            link(receivable.get_absolute_url(), receivable.number),
            status_label(receivable, RECEIVABLE_STATUS),
        )


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
        self.lease = (
            Lease.objects.restrict(request.user, "view").filter(pk=object_id).first()
            if object_id
            else None
        )


class RenewForm(LeaseDialogForm):
    start_date = forms.DateField(
        label=_("Start"),
        required=False,
        widget=NativeDateInput,
        help_text=_("Empty: the day after this lease ends."),
    )
    end_date = forms.DateField(
        label=_("End"),
        required=False,
        widget=NativeDateInput,
        help_text=_("Empty: the same length as this lease."),
    )
    monthly_rent = forms.DecimalField(
        label=_("Monthly rent"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=UnfoldAdminDecimalFieldWidget,
        help_text=_("Empty: this lease's rent plus its yearly escalation."),
    )


class EndForm(LeaseDialogForm):
    on = forms.DateField(label=_("Ended on"), widget=NativeDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.lease is not None:
            self.fields["on"].initial = self.lease.end_date or timezone.localdate()


class TerminateForm(LeaseDialogForm):
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=UnfoldAdminTextInputWidget)
    on = forms.DateField(
        label=_("Terminated on"), initial=timezone.localdate, widget=NativeDateInput
    )


class DepositReceivedForm(LeaseDialogForm):
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        widget=UnfoldAdminDecimalFieldWidget,
    )
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=NativeDateInput)
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        widget=UnfoldAdminTextInputWidget,
        help_text=_("Required when the deposit is kept: say what for."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.lease is not None:
            held = selectors.deposit_held(self.lease)
            self.fields["amount"].help_text = _("%(held)s of %(agreed)s is held now.") % {
                "held": format_money(held, self.lease.currency),
                "agreed": format_money(self.lease.deposit_amount, self.lease.currency),
            }
            if not held:
                self.fields["amount"].initial = self.lease.deposit_amount


class DepositReleaseForm(DepositReceivedForm):
    movement = forms.ChoiceField(
        label=_("Movement"),
        widget=UnfoldAdminSelectWidget,
        choices=[
            (value, label)
            for value, label in DepositMovement.choices
            if value != DepositMovement.RECEIVED
        ],
    )
    field_order = ["movement", "amount", "on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = None
