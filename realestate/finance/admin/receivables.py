"""The admin of receivables."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Case, F, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import display

from realestate.core.admin import (
    BaseAdmin,
    ImportButtonMixin,
    ReadOnlyInline,
    ReadOnlyMixin,
    ReasonForm,
    RecordPaymentMixin,
    StepAction,
    StepActionsMixin,
    ViewOnlyHistoryAdmin,
    confirm,
    link,
    money,
    money_column,
    status_badge,
    status_label,
)
from realestate.core.importing.columns import Col
from realestate.core.money import money_field
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.finance import services
from realestate.finance.choices import (
    PAYMENT_STATUS,
    RECEIVABLE_STATUS,
    UNSETTLED,
    ReceivableStatus,
)
from realestate.finance.models import (
    Allocation,
    Receivable,
)


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
class ReceivableAdmin(
    ImportButtonMixin,
    GenerateDocumentsMixin,
    RecordPaymentMixin,
    ReadOnlyMixin,
    ViewOnlyHistoryAdmin,
    StepActionsMixin,
    BaseAdmin,
):
    """Read-only: receivables are issued by contracts, leases and the late-fee job; what is
    still due can be voided (waived) by those who may."""

    export_columns = [
        "number",
        "kind",
        ("client__name", "Client"),
        ("unit__code", "Unit"),
        ("contract__number", "Contract"),
        ("reservation__number", "Reservation"),
        ("lease__number", "Lease"),
        ("parent__number", "Late fee of"),
        "sequence",
        "description",
        "issue_date",
        "due_date",
        "amount",
        "amount_paid",
        Col("export_balance", "Balance"),
        "currency",
        "status",
    ]

    def export_queryset(self, request, queryset):
        return queryset.annotate(export_balance=F("amount") - F("amount_paid"))

    generated_kinds = ("invoice",)

    list_display = [
        "number",
        "client",
        "kind",
        "unit",
        "due_date",
        "amount_display",
        "paid_display",
        "balance_display",
        "receivable_status",
    ]
    list_select_related = ["client", "unit"]
    list_filter = [
        ("kind", ChoicesDropdownFilter),
        ("status", ChoicesDropdownFilter),
        ("due_date", RangeDateFilter),
        ("client", AutocompleteSelectFilter),
        ("unit", AutocompleteSelectFilter),
    ]
    search_fields = ["number", "client__name", "description", "unit__code"]
    fieldsets = [
        (None, {"fields": ["number", "status_display", "kind", "client", "unit", "description"]}),
        (_("Amounts"), {"fields": ["amount_display", "paid_display", "balance_display"]}),
        (_("Dates"), {"fields": ["issue_date", "due_date"]}),
        (_("Issued for"), {"fields": ["reservation", "contract", "sequence", "lease", "parent"]}),
    ]
    readonly_fields = [
        "number",
        "status_display",
        "amount_display",
        "paid_display",
        "balance_display",
    ]
    inlines = [ReceivableAllocationInline]
    receivable_status = status_badge("status", RECEIVABLE_STATUS)
    actions_detail = ["record_payment", "void"]
    steps = {
        "void": StepAction(
            services.receivable_void,
            _("Void"),
            "block",
            _("Receivable %(record)s voided."),
            when=set(UNSETTLED),
            dialog=confirm(
                _("Void receivable"),
                _(
                    "Nothing more is expected on this receivable: a charge made in "
                    "error, or a balance waived. Money already paid on it stays paid."
                ),
                _("Void"),
                ReasonForm,
            ),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }

    def unsettled_receivables(self, obj):
        return Receivable.objects.filter(pk=obj.pk, status__in=UNSETTLED)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                balance_value=Case(
                    When(status=ReceivableStatus.VOID, then=Value(0)),
                    default=F("amount") - F("amount_paid"),
                    output_field=money_field(),
                ),
            )
        )

    amount_display = money_column("amount", _("Amount"), ordering="amount")

    paid_display = money_column("amount_paid", _("Paid"), ordering="amount_paid")

    balance_display = money_column("balance", _("Balance"), ordering="balance_value")

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, RECEIVABLE_STATUS)
