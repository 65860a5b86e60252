"""Money in the admin: receivables, payments and their reversals, late-fee policies,
expenses and owner statements.

Receivables are made by the workflows (contracts, leases, late fees) and are read-only here.
A payment is posted through ``payment_post`` (allocated oldest first) and is never edited or
deleted: it is reversed through ``payment_reverse``, and both records stay.
"""

import uuid
from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Case, DecimalField, F, Value, When
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import action, display
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminSelectWidget,
    UnfoldBooleanSwitchWidget,
)

from realestate.clients.models import Client
from realestate.core.admin import (
    BaseAdmin,
    Panel,
    ReadOnlyInline,
    ReadOnlyMixin,
    ReasonForm,
    RecordPaymentMixin,
    ServiceForm,
    StepAction,
    StepActionsMixin,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
    confirm,
    link,
    money,
    money_column,
    panel_register,
    small_table,
    status_badge,
    status_label,
)
from realestate.core.dates import add_months, month_start
from realestate.core.money import format_money, percent_text, to_money
from realestate.finance import selectors, services
from realestate.finance.choices import (
    PAYMENT_STATUS,
    RECEIVABLE_STATUS,
    UNSETTLED,
    LateFeeMethod,
    PaymentMethod,
    PaymentStatus,
    ReceivableStatus,
)
from realestate.finance.models import (
    Allocation,
    Expense,
    LateFeePolicy,
    OwnerStatement,
    Payment,
    PaymentReversal,
    Receivable,
)
from realestate.finance.pdf import payment_receipt_pdf

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


# --- receivables --------------------------------------------------------------------------
class ReceivableAllocationInline(ReadOnlyInline):
    """The payments applied to a receivable."""

    model = Allocation
    fk_name = "receivable"
    verbose_name = _("payment applied")
    verbose_name_plural = _("payments applied")
    fields = ["payment_link", "received_on", "method", "amount_display", "payment_status"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment")

    @display(description=_("Receipt"))
    def payment_link(self, obj):
        return link(obj.payment.get_absolute_url(), obj.payment.number)

    @display(description=_("Received on"))
    def received_on(self, obj):
        return date_format(obj.payment.received_on)

    @display(description=_("Method"))
    def method(self, obj):
        return obj.payment.get_method_display()

    @display(description=_("Amount"))
    def amount_display(self, obj):
        return money(obj.amount, obj.payment.currency)

    @display(description=_("Payment"))
    def payment_status(self, obj):
        return status_label(obj.payment, PAYMENT_STATUS)


@admin.register(Receivable)
class ReceivableAdmin(RecordPaymentMixin, ReadOnlyMixin, ViewOnlyHistoryAdmin, StepActionsMixin,
                      BaseAdmin):
    """Read-only: receivables are issued by contracts, leases and the late-fee job; what is
    still due can be voided (waived) by those who may."""

    list_display = ["number", "client", "kind", "unit", "due_date", "amount_display",
                    "paid_display", "balance_display", "receivable_status"]
    list_select_related = ["client", "unit"]
    list_filter = [("kind", ChoicesDropdownFilter), ("status", ChoicesDropdownFilter),
                   ("due_date", RangeDateFilter), ("client", AutocompleteSelectFilter),
                   ("unit", AutocompleteSelectFilter)]
    search_fields = ["number", "client__name", "description", "unit__code"]
    fieldsets = [
        (None, {"fields": ["number", "status_display", "kind", "client", "unit",
                           "description"]}),
        (_("Amounts"), {"fields": ["amount_display", "paid_display", "balance_display"]}),
        (_("Dates"), {"fields": ["issue_date", "due_date"]}),
        (_("Issued for"), {"fields": ["reservation", "contract", "sequence", "lease", "parent"]}),
    ]
    readonly_fields = ["number", "status_display", "amount_display", "paid_display",
                       "balance_display"]
    inlines = [ReceivableAllocationInline]
    receivable_status = status_badge("status", RECEIVABLE_STATUS)
    actions_detail = ["record_payment", "void"]
    steps = {
        "void": StepAction(
            services.receivable_void, _("Void"), "block", _("Receivable %(record)s voided."),
            when=set(UNSETTLED),
            dialog=confirm(_("Void receivable"),
                           _("Nothing more is expected on this receivable: a charge made in "
                             "error, or a balance waived. Money already paid on it stays paid."),
                           _("Void"), ReasonForm),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }

    def unsettled_receivables(self, obj):
        return Receivable.objects.filter(pk=obj.pk, status__in=UNSETTLED)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            balance_value=Case(When(status=ReceivableStatus.VOID, then=Value(0)),
                               default=F("amount") - F("amount_paid"), output_field=MONEY_FIELD),
        )

    amount_display = money_column("amount", _("Amount"), ordering="amount")

    paid_display = money_column("amount_paid", _("Paid"), ordering="amount_paid")

    balance_display = money_column("balance", _("Balance"), ordering="balance_value")

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, RECEIVABLE_STATUS)


# --- payments -----------------------------------------------------------------------------
class PaymentForm(ServiceForm):
    """Posting calls ``payment_post``: the money is allocated to the client's unsettled
    receivables, oldest due date first, and what is left is the client's credit.

    ``submit_key`` is new on every rendering of the empty form and travels with the POST as
    the payment's idempotency key: submitting the same form twice posts one payment."""

    submit_key = forms.CharField(widget=forms.HiddenInput, required=False,
                                      initial=lambda: uuid.uuid4().hex)
    invoices = forms.ModelMultipleChoiceField(
        label=_("Pay first"), required=False, queryset=Receivable.objects.none(),
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_("The payment goes to these invoices first, oldest due date first; what is "
                    "left pays the client's other invoices, then stays as credit."),
    )

    class Meta:
        model = Payment
        fields = ["client", "method", "amount", "received_on", "cheque_number", "cheque_bank",
                  "cheque_date", "reference", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["invoices"]
        user = getattr(self.request, "user", None)
        client = self.data.get("client") or self.initial.get("client")
        if not client or user is None:
            del self.fields["invoices"]  # the plain form: oldest first
            return
        field.queryset = (Receivable.objects.restrict(user, "view")
                          .filter(client_id=client, status__in=UNSETTLED)
                          .order_by("due_date", "pk"))
        field.label_from_instance = lambda r: _("%(number)s · %(description)s · due "
                                                "%(due)s · %(balance)s left") % {
            "number": r.number, "description": r.description, "due": date_format(r.due_date),
            "balance": format_money(r.balance, r.currency)}

    def save_through_service(self, by):
        data = self.cleaned_data
        key = data.get("submit_key") or None
        if key and self.request and Payment.objects.filter(idempotency_key=key).exists():
            self.request._payment_already_posted = True
        chosen = aimed_allocations(data.get("invoices") or (), data["amount"])
        return services.payment_post(
            client=data["client"], amount=data["amount"], method=data["method"],
            received_on=data["received_on"], idempotency_key=key,
            reference=data.get("reference", ""), cheque_number=data.get("cheque_number", ""),
            cheque_bank=data.get("cheque_bank", ""), cheque_date=data.get("cheque_date"),
            note=data.get("note", ""), by=by, allocations=chosen, allocate_rest=bool(chosen),
        )


def aimed_allocations(receivables, amount) -> list:
    """The payment's money on the chosen invoices, oldest due date first, each up to what it
    still owes."""
    left, chosen = to_money(amount), []
    for receivable in sorted(receivables, key=lambda r: (r.due_date, r.pk)):
        take = min(left, receivable.balance)
        if take <= 0:
            break
        chosen.append(services.AllocationRequest(receivable, take))
        left -= take
    return chosen


class PaymentAllocationInline(ReadOnlyInline):
    """Where a payment's money went."""

    model = Allocation
    fk_name = "payment"
    verbose_name = _("allocation")
    verbose_name_plural = _("allocations")
    fields = ["receivable_link", "description", "due_date", "amount_display",
              "receivable_status"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("receivable")

    @display(description=_("Invoice"))
    def receivable_link(self, obj):
        return link(obj.receivable.get_absolute_url(), obj.receivable.number)

    @display(description=_("Description"))
    def description(self, obj):
        return obj.receivable.description

    @display(description=_("Due"))
    def due_date(self, obj):
        return date_format(obj.receivable.due_date)

    @display(description=_("Amount"))
    def amount_display(self, obj):
        return money(obj.amount, obj.receivable.currency)

    @display(description=_("Invoice status"))
    def receivable_status(self, obj):
        return status_label(obj.receivable, RECEIVABLE_STATUS)


@admin.register(Payment)
class PaymentAdmin(ViewOnlyHistoryAdmin, WorkflowAdmin):
    form = PaymentForm
    list_display = ["number", "client", "method", "amount_display", "allocated_display",
                    "received_on", "payment_status"]
    list_select_related = ["client"]
    list_filter = [("status", ChoicesDropdownFilter), ("method", ChoicesDropdownFilter),
                   ("received_on", RangeDateFilter), ("client", AutocompleteSelectFilter)]
    search_fields = ["number", "client__name", "reference", "cheque_number"]
    autocomplete_fields = ["client"]
    actions_detail = ["receipt_pdf", "reverse_payment"]
    steps = {
        "reverse_payment": StepAction(
            services.payment_reverse, _("Reverse"), "undo", _("Payment %(record)s reversed."),
            when={PaymentStatus.POSTED}, url_path="reverse",
            dialog=confirm(_("Reverse payment"),
                           _("The payment's allocations are undone and the invoices it paid are "
                             "due again. The payment and its reversal both stay on record."),
                           _("Reverse payment"), ReasonForm),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }
    # Cheque details only for a cheque; the posted payment's page (no method input) shows all.
    conditional_fields = dict.fromkeys(("cheque_number", "cheque_bank", "cheque_date"),
                                       "typeof method === 'undefined' || method == 'cheque'")
    payment_status = status_badge("status", PAYMENT_STATUS)

    add_fieldsets = [
        (None, {
            "fields": ["client", "method", "cheque_number", "cheque_bank", "cheque_date",
                       "amount", "received_on"],
            "description": _("The payment is applied to the client's unpaid invoices, oldest "
                             "due date first; anything left stays as the client's credit. A "
                             "posted payment cannot be edited or deleted, only reversed."),
        }),
        (_("Reference"), {"fields": ["reference", "note", "submit_key"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fieldsets = [*self.add_fieldsets]
            if request.GET.get("client") or request.POST.get("client"):
                fieldsets.insert(1, (_("Allocation"), {"fields": ["invoices"]}))
            return fieldsets
        return self.change_fieldsets(obj)

    def change_fieldsets(self, obj):
        cheque = (["cheque_number", "cheque_bank", "cheque_date"]
                  if obj.method == PaymentMethod.CHEQUE else [])
        fieldsets = [
            (None, {"fields": ["number", "status_display", "client", "method", *cheque,
                               "received_on", "posted_by"]}),
            (_("Amounts"), {"fields": ["amount_display", "allocated_display",
                                       "credit_display"]}),
            (_("Reference"), {"fields": ["reference", "note"]}),
        ]
        if obj.status == PaymentStatus.REVERSED:
            fieldsets.append((_("Reversal"), {"fields": ["reversal_display"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["number", "status_display", "posted_by", "amount_display",
                "allocated_display", "credit_display", "reversal_display"]

    def get_inlines(self, request, obj):
        return [] if obj is None else [PaymentAllocationInline]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("received_on", timezone.localdate())
        if "invoices" in initial:  # from "Record payment" on an invoice or a contract
            wanted = [pk for pk in str(initial["invoices"]).split(",") if pk.isdigit()]
            initial["invoices"] = wanted
            due = (Receivable.objects.restrict(request.user, "view")
                   .filter(pk__in=wanted, status__in=UNSETTLED))
            total = sum((r.balance for r in due), Decimal("0"))
            if total:
                initial.setdefault("amount", total)
        return initial

    def has_change_permission(self, request, obj=None):
        return False  # posted once, never edited: reversed instead

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the receipt, with what happened to the money.
        if getattr(request, "_payment_already_posted", False):
            self.message_user(request, _("Payment %(number)s had already been posted by this "
                                         "form: nothing new was recorded.")
                              % {"number": obj.number}, messages.WARNING)
        else:
            self.message_user(request, _("Payment %(number)s posted: %(allocated)s allocated, "
                                         "%(credit)s left as credit.")
                              % {"number": obj.number,
                                 "allocated": format_money(obj.amount_allocated, obj.currency),
                                 "credit": format_money(obj.unallocated, obj.currency)},
                              messages.SUCCESS)
        return self.go(request, self.change_url(obj))

    amount_display = money_column("amount", _("Amount"), ordering="amount")

    @display(description=_("Allocated"), ordering="amount_allocated")
    def allocated_display(self, obj):
        if obj.status == PaymentStatus.REVERSED:
            return format_html('{} <span class="text-base-500">({})</span>',
                               money(obj.amount_allocated, obj.currency),
                               _("undone by the reversal"))
        return money(obj.amount_allocated, obj.currency)

    credit_display = money_column("unallocated", _("Left as credit"))

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, PAYMENT_STATUS)

    @display(description=_("Reversal"))
    def reversal_display(self, obj):
        reversal = PaymentReversal.objects.filter(payment=obj).select_related(
            "reversed_by").first()
        if reversal is None:
            return _("Not reversed.")
        when = date_format(timezone.localtime(reversal.created_at), "DATETIME_FORMAT")
        return small_table([_("Reversed on"), _("By"), _("Reason")],
                           [[when, reversal.reversed_by or "—", reversal.reason]], nowrap=False)

    @action(description=_("Receipt (PDF)"), url_path="receipt", icon="receipt_long")
    def receipt_pdf(self, request, object_id):
        payment = self.get_object(request, object_id)
        response = HttpResponse(payment_receipt_pdf(payment=payment),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="receipt-{payment.number}.pdf"'
        return response


@admin.register(PaymentReversal)
class PaymentReversalAdmin(BaseAdmin):
    list_display = ["payment", "client", "amount_display", "reason", "reversed_by",
                    "created_at"]
    list_select_related = ["payment__client", "reversed_by"]
    list_filter = [("created_at", RangeDateFilter)]
    search_fields = ["payment__number", "payment__client__name", "reason"]
    fields = ["payment", "client", "amount_display", "reason", "reversed_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # made by reversing a payment

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("Client"), ordering="payment__client__name")
    def client(self, obj):
        return obj.payment.client

    @display(description=_("Amount"), ordering="payment__amount")
    def amount_display(self, obj):
        return money(obj.payment.amount, obj.payment.currency)


# --- late fees ----------------------------------------------------------------------------
class LateFeePolicyForm(forms.ModelForm):
    """Exactly one scope: company-wide (``is_global``, set by the switch), a project or a
    lease."""

    make_global = forms.BooleanField(
        label=_("Company-wide default"), required=False, widget=UnfoldBooleanSwitchWidget,
        help_text=_("Applies wherever no project or lease policy does. Only one policy can be "
                    "the company-wide default."),
    )

    class Meta:
        model = LateFeePolicy
        fields = ["name", "project", "lease", "grace_days", "method", "fixed_amount", "percent",
                  "recurrence", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["make_global"].initial = self.instance.is_global

    def clean(self):
        cleaned = super().clean()
        scopes = [bool(cleaned.get("make_global")), bool(cleaned.get("project")),
                  bool(cleaned.get("lease"))]
        if sum(scopes) != 1:
            raise forms.ValidationError(_("Choose exactly one scope: company-wide, a project "
                                          "or a lease."))
        if cleaned.get("make_global"):
            other = LateFeePolicy.objects.filter(is_global=True).exclude(pk=self.instance.pk)
            if other.exists():
                self.add_error("make_global", _("“%(name)s” is already the company-wide "
                                                "default.") % {"name": other.first().name})
        self.instance.is_global = bool(cleaned.get("make_global"))
        return cleaned


@admin.register(LateFeePolicy)
class LateFeePolicyAdmin(BaseAdmin):
    form = LateFeePolicyForm
    list_display = ["name", "scope", "grace_days", "charge", "recurrence", "is_active"]
    list_select_related = ["project", "lease"]
    list_filter = ["is_active", "is_global", ("method", ChoicesDropdownFilter),
                   ("recurrence", ChoicesDropdownFilter)]
    search_fields = ["name", "project__name", "lease__number"]
    autocomplete_fields = ["project", "lease"]
    conditional_fields = {"fixed_amount": "method == 'fixed'",
                          "percent": "method == 'percent'"}
    fieldsets = [
        (_("Scope"), {
            "fields": ["name", "make_global", "project", "lease"],
            "description": _("A lease's policy wins over its project's, which wins over the "
                             "company-wide default."),
        }),
        (_("Fee"), {"fields": ["grace_days", "method", "fixed_amount", "percent", "recurrence",
                               "is_active"]}),
    ]

    @display(description=_("Applies to"), ordering="-is_global")
    def scope(self, obj):
        return obj.scope_label

    @display(description=_("Fee"))
    def charge(self, obj):
        if obj.method == LateFeeMethod.FIXED:
            return format_money(obj.fixed_amount, settings.DEFAULT_CURRENCY)
        return _("%(percent)s%% of the overdue amount") % {"percent": percent_text(obj.percent)}


# --- expenses -----------------------------------------------------------------------------
@admin.register(Expense)
class ExpenseAdmin(BaseAdmin):
    list_display = ["incurred_on", "unit", "category", "description", "amount_display",
                    "vendor", "maintenance_request"]
    list_select_related = ["unit", "vendor", "maintenance_request"]
    list_filter = [("category", ChoicesDropdownFilter), ("incurred_on", RangeDateFilter),
                   ("unit", AutocompleteSelectFilter), ("vendor", AutocompleteSelectFilter)]
    search_fields = ["description", "unit__code", "vendor__name"]
    autocomplete_fields = ["unit", "vendor"]
    fields = ["unit", "category", "description", "amount", "incurred_on", "vendor",
              "maintenance_request"]
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


# --- owner statements ---------------------------------------------------------------------
def recent_months(count: int = 13) -> list[tuple[str, str]]:
    this_month = month_start(timezone.localdate())
    months = [add_months(this_month, -offset) for offset in range(count)]
    return [(month.isoformat(), f"{month:%B %Y}") for month in months]


class GenerateStatementsForm(BaseDialogForm):
    month = forms.ChoiceField(label=_("Month"), widget=UnfoldAdminSelectWidget)
    owners = forms.ModelMultipleChoiceField(
        label=_("Owners"), required=False, queryset=Client.objects.none(),
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
            self.fields["owners"].help_text = _("No client owns a unit yet: set the owner on "
                                                "the units first.")


@admin.register(OwnerStatement)
class OwnerStatementAdmin(StepActionsMixin, BaseAdmin):
    list_display = ["owner", "period", "rent_display", "fee_display", "expenses_display",
                    "net_display", "updated_at"]
    list_select_related = ["owner"]
    list_filter = [("period_start", RangeDateFilter), ("owner", AutocompleteSelectFilter)]
    search_fields = ["owner__name"]
    fieldsets = [
        (None, {"fields": ["owner", "period", "updated_at"]}),
        (_("Totals"), {"fields": ["rent_display", "fee_explained", "expenses_display",
                                  "net_display"]}),
        (_("By unit"), {"fields": ["lines_table"]}),
    ]
    readonly_fields = ["owner", "period", "updated_at", "rent_display", "fee_explained",
                       "expenses_display", "net_display", "lines_table"]
    actions_list = ["generate"]
    actions_detail = ["regenerate"]
    steps = {
        "regenerate": StepAction(
            services.owner_statement_generate, _("Generate again"), "refresh",
            _("Statement %(record)s generated again."), bulk=True,
            dialog=confirm(_("Generate again"),
                           _("The statement's figures are computed again from the payments and "
                             "expenses recorded for its month."), _("Generate")),
            call=lambda admin, request, statement, data: services.owner_statement_generate(
                owner=statement.owner, month=statement.period_start, by=request.user),
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
        return format_html("{} <span class=\"text-base-500\">({}% of {})</span>",
                           money(obj.management_fee, obj.currency),
                           percent_text(obj.management_fee_rate),
                           format_money(obj.management_fee_base, obj.currency))

    expenses_display = money_column("expenses", _("Expenses"), ordering="expenses")

    net_display = money_column("net_payable", _("Net payable"), ordering="net_payable")

    @display(description=_("Lines"))
    def lines_table(self, obj):
        rows = [[line["unit"], money(line["rent_collected"], obj.currency),
                 money(line["management_fee"], obj.currency),
                 money(line["expenses"], obj.currency), money(line["net"], obj.currency)]
                for line in obj.lines]
        return small_table([_("Unit"), _("Rent collected"), _("Management fee"),
                            _("Expenses"), _("Net")], rows,
                           empty=_("Nothing collected or spent on this owner's units."))

    def _generate(self, request, owners, month: date) -> int:
        made = 0
        for owner in owners:
            with transaction.atomic():
                services.owner_statement_generate(owner=owner, month=month, by=request.user)
            made += 1
        return made

    @action(description=_("Generate statements for a month"), icon="summarize",
            permissions=["generate"],
            dialog=confirm(_("Generate owner statements"),
                           _("Rent collected, the management fee and the expenses of the month, "
                             "per owner. A statement made before for the same month is "
                             "replaced."), _("Generate"), GenerateStatementsForm))
    def generate(self, request, form):
        month = date.fromisoformat(form.cleaned_data["month"])
        owners = form.cleaned_data["owners"] or selectors.owners_with_units(request.user)
        made = self._generate(request, owners, month)
        if made:
            self.message_user(request, _("%(count)s statement(s) generated for %(month)s.")
                              % {"count": made, "month": f"{month:%B %Y}"}, messages.SUCCESS)
        else:
            self.message_user(request, _("No statement generated: no client owns a unit."),
                              messages.WARNING)
        url = (reverse("admin:finance_ownerstatement_changelist")
               + f"?period_start_from={month.isoformat()}&period_start_to={month.isoformat()}")
        return self.go(request, url)


# --- on a client's page ---------------------------------------------------------------------
def _account_balance(client, user):
    balance = selectors.client_balance(client)
    currency = settings.DEFAULT_CURRENCY
    ageing = balance["ageing"]
    totals = small_table(
        [_("Charged"), _("Received"), _("Credit"), _("Due"), _("Overdue")],
        [[money(balance[key], currency)
          for key in ("charged", "received", "credit", "due", "overdue")]],
    )
    buckets = small_table(
        [_("Not yet late"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("Over 90 days")],
        [[money(ageing[key], currency) for key in ("current", "1_30", "31_60", "61_90",
                                                   "over_90")]],
    )
    return format_html('<div class="flex flex-col gap-3 w-full">{}{}</div>', totals, buckets)


def _account_records(client, user):
    lines = []
    for model, label in ((Receivable, _("%(n)s receivable(s)")), (Payment, _("%(n)s payment(s)"))):
        rows = model.objects.restrict(user, "view").filter(client=client)
        url = (reverse(f"admin:finance_{model._meta.model_name}_changelist")
               + f"?client__id__exact={client.pk}")
        lines.append(link(url, label % {"n": rows.count()}))
    return format_html("{} · {}", *lines)


def _may_see_money(request) -> bool:
    receivables = admin.site._registry.get(Receivable)
    return bool(receivables and receivables.has_view_permission(request))


panel_register(Client, Panel(
    _("Account"),
    (("account_balance", _("Balance and ageing"), _account_balance),
     ("account_records", _("Records"), _account_records)),
    visible=_may_see_money,
))
