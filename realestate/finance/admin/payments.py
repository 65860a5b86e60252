"""The admin of payments."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
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
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
)

from realestate.core.admin import (
    BaseAdmin,
    ImportButtonMixin,
    ReadOnlyInline,
    ReasonForm,
    ServiceForm,
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
from realestate.core.money import format_money, to_money
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.finance import services
from realestate.finance.choices import (
    PAYMENT_STATUS,
    RECEIVABLE_STATUS,
    UNSETTLED,
    PaymentMethod,
    PaymentStatus,
)
from realestate.finance.models import (
    Allocation,
    Payment,
    PaymentReversal,
    Receivable,
)
from realestate.finance.pdf import payment_receipt_pdf


class PaymentForm(ServiceForm):
    """Posting calls ``payment_post``: the money is allocated to the client's unsettled
    receivables, oldest due date first, and what is left is the client's credit.

    ``submit_key`` is new on every rendering of the empty form and travels with the POST as
    the payment's idempotency key: submitting the same form twice posts one payment."""

    submit_key = forms.CharField(
        widget=forms.HiddenInput, required=False, initial=lambda: uuid.uuid4().hex
    )
    invoices = forms.ModelMultipleChoiceField(
        label=_("Pay first"),
        required=False,
        queryset=Receivable.objects.none(),
        widget=UnfoldAdminCheckboxSelectMultipleWidget,
        help_text=_(
            "The payment goes to these invoices first, oldest due date first; what is "
            "left pays the client's other invoices, then stays as credit."
        ),
    )

    class Meta:
        model = Payment
        fields = [
            "client",
            "method",
            "amount",
            "received_on",
            "cheque_number",
            "cheque_bank",
            "cheque_date",
            "reference",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["invoices"]
        user = getattr(self.request, "user", None)
        client = self.data.get("client") or self.initial.get("client")
        if not client or user is None:
            del self.fields["invoices"]  # the plain form: oldest first
            return
        field.queryset = (
            Receivable.objects.restrict(user, "view")
            .filter(client_id=client, status__in=UNSETTLED)
            .order_by("due_date", "pk")
        )
        field.label_from_instance = lambda r: (
            _("%(number)s · %(description)s · due %(due)s · %(balance)s left")
            % {
                "number": r.number,
                "description": r.description,
                "due": date_format(r.due_date),
                "balance": format_money(r.balance, r.currency),
            }
        )

    def save_through_service(self, by):
        data = self.cleaned_data
        key = data.get("submit_key") or None
        if key and self.request and Payment.objects.filter(idempotency_key=key).exists():
            self.request._payment_already_posted = True
        chosen = aimed_allocations(data.get("invoices") or (), data["amount"])
        return services.payment_post(
            client=data["client"],
            amount=data["amount"],
            method=data["method"],
            received_on=data["received_on"],
            idempotency_key=key,
            reference=data.get("reference", ""),
            cheque_number=data.get("cheque_number", ""),
            cheque_bank=data.get("cheque_bank", ""),
            cheque_date=data.get("cheque_date"),
            note=data.get("note", ""),
            by=by,
            allocations=chosen,
            allocate_rest=bool(chosen),
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
    fields = ["receivable_link", "description", "due_date", "amount_display", "receivable_status"]
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
class PaymentAdmin(ImportButtonMixin, GenerateDocumentsMixin, ViewOnlyHistoryAdmin, WorkflowAdmin):
    export_columns = [
        "number",
        ("client__name", "Client"),
        "method",
        "amount",
        "amount_allocated",
        "currency",
        "received_on",
        "reference",
        "cheque_number",
        "cheque_bank",
        "cheque_date",
        "status",
        ("posted_by__username", "Posted by"),
        "note",
    ]
    generated_kinds = ("receipt",)
    form = PaymentForm
    list_display = [
        "number",
        "client",
        "method",
        "amount_display",
        "allocated_display",
        "received_on",
        "payment_status",
    ]
    list_select_related = ["client"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("method", ChoicesDropdownFilter),
        ("received_on", RangeDateFilter),
        ("client", AutocompleteSelectFilter),
    ]
    search_fields = ["number", "client__name", "reference", "cheque_number"]
    autocomplete_fields = ["client"]
    actions_detail = ["receipt_pdf", "reverse_payment"]
    steps = {
        "reverse_payment": StepAction(
            services.payment_reverse,
            _("Reverse"),
            "undo",
            _("Payment %(record)s reversed."),
            when={PaymentStatus.POSTED},
            url_path="reverse",
            dialog=confirm(
                _("Reverse payment"),
                _(
                    "The payment's allocations are undone and the invoices it paid are "
                    "due again. The payment and its reversal both stay on record."
                ),
                _("Reverse payment"),
                ReasonForm,
            ),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }
    # Cheque details only for a cheque; the posted payment's page (no method input) shows all.
    conditional_fields = dict.fromkeys(
        ("cheque_number", "cheque_bank", "cheque_date"),
        "typeof method === 'undefined' || method == 'cheque'",
    )
    payment_status = status_badge("status", PAYMENT_STATUS)

    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "client",
                    "method",
                    "cheque_number",
                    "cheque_bank",
                    "cheque_date",
                    "amount",
                    "received_on",
                ],
                "description": _(
                    "The payment is applied to the client's unpaid invoices, oldest "
                    "due date first; anything left stays as the client's credit. A "
                    "posted payment cannot be edited or deleted, only reversed."
                ),
            },
        ),
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
        cheque = (
            ["cheque_number", "cheque_bank", "cheque_date"]
            if obj.method == PaymentMethod.CHEQUE
            else []
        )
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "number",
                        "status_display",
                        "client",
                        "method",
                        *cheque,
                        "received_on",
                        "posted_by",
                    ]
                },
            ),
            (_("Amounts"), {"fields": ["amount_display", "allocated_display", "credit_display"]}),
            (_("Reference"), {"fields": ["reference", "note"]}),
        ]
        if obj.status == PaymentStatus.REVERSED:
            fieldsets.append((_("Reversal"), {"fields": ["reversal_display"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "number",
            "status_display",
            "posted_by",
            "amount_display",
            "allocated_display",
            "credit_display",
            "reversal_display",
        ]

    def get_inlines(self, request, obj):
        return [] if obj is None else [PaymentAllocationInline]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("received_on", timezone.localdate())
        if "invoices" in initial:  # from "Record payment" on an invoice or a contract
            wanted = [pk for pk in str(initial["invoices"]).split(",") if pk.isdigit()]
            initial["invoices"] = wanted
            due = Receivable.objects.restrict(request.user, "view").filter(
                pk__in=wanted, status__in=UNSETTLED
            )
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
            self.message_user(
                request,
                _(
                    "Payment %(number)s had already been posted by this "
                    "form: nothing new was recorded."
                )
                % {"number": obj.number},
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                _("Payment %(number)s posted: %(allocated)s allocated, %(credit)s left as credit.")
                % {
                    "number": obj.number,
                    "allocated": format_money(obj.amount_allocated, obj.currency),
                    "credit": format_money(obj.unallocated, obj.currency),
                },
                messages.SUCCESS,
            )
        return self.go(request, self.change_url(obj))

    amount_display = money_column("amount", _("Amount"), ordering="amount")

    @display(description=_("Allocated"), ordering="amount_allocated")
    def allocated_display(self, obj):
        if obj.status == PaymentStatus.REVERSED:
            return format_html(
                '{} <span class="text-base-500">({})</span>',
                money(obj.amount_allocated, obj.currency),
                _("undone by the reversal"),
            )
        return money(obj.amount_allocated, obj.currency)

    credit_display = money_column("unallocated", _("Left as credit"))

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, PAYMENT_STATUS)

    @display(description=_("Reversal"))
    def reversal_display(self, obj):
        reversal = PaymentReversal.objects.filter(payment=obj).select_related("reversed_by").first()
        if reversal is None:
            return _("Not reversed.")
        when = date_format(timezone.localtime(reversal.created_at), "DATETIME_FORMAT")
        return small_table(
            [_("Reversed on"), _("By"), _("Reason")],
            [[when, reversal.reversed_by or "—", reversal.reason]],
            nowrap=False,
        )

    @action(description=_("Receipt (PDF)"), url_path="receipt", icon="receipt_long")
    def receipt_pdf(self, request, object_id):
        payment = self.get_object(request, object_id)
        response = HttpResponse(
            payment_receipt_pdf(payment=payment), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="receipt-{payment.number}.pdf"'
        return response


@admin.register(PaymentReversal)
class PaymentReversalAdmin(BaseAdmin):
    export_columns = [
        ("payment__number", "Payment"),
        ("payment__client__name", "Client"),
        ("payment__amount", "Amount"),
        ("payment__currency", "Currency"),
        "reason",
        ("reversed_by__username", "Reversed by"),
        ("created_at", "Reversed at"),
    ]
    list_display = ["payment", "client", "amount_display", "reason", "reversed_by", "created_at"]
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
