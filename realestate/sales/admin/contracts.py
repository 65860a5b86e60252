"""The admin of sale contracts."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
)
from unfold.decorators import display
from unfold.forms import BaseDialogForm

from realestate.core.admin import (
    NativeDateInput,
    ReadOnlyInline,
    ReasonForm,
    RecordPaymentMixin,
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
from realestate.core.money import format_money
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.documents.pages import SignedCopyMixin
from realestate.finance.choices import RECEIVABLE_STATUS, UNSETTLED
from realestate.finance.models import Receivable
from realestate.sales import selectors, services
from realestate.sales.admin.plans import plan_terms_text
from realestate.sales.choices import (
    COMMISSION_FLOW,
    CONTRACT_FLOW,
    ContractStatus,
)
from realestate.sales.models import Commission, SaleContract


class SaleContractForm(ServiceForm):
    """Adding goes through ``contract_create`` (the plan's terms are copied); a draft may be
    edited; a signed contract is read-only."""

    computed_fields = ("net_price",)

    class Meta:
        model = SaleContract
        fields = [
            "unit",
            "reservation",
            "buyer",
            "co_buyers",
            "agent",
            "plan",
            "price",
            "discount",
            "commission_rate",
            "signing_date",
            "handover_date",
            "notes",
            *SaleContract.TERM_FIELDS,
        ]

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan is not None and (not self.instance.pk or "plan" in self.changed_data):
            # The contract keeps a snapshot of the plan's terms, as the plan field promises.
            for field in SaleContract.TERM_FIELDS:
                if field in self.fields:
                    cleaned[field] = getattr(plan, field)
        return cleaned

    def save_through_service(self, by):
        if self.instance.pk:
            # A draft's edits: checked like a new contract's, then a plain save (the net
            # price follows the price and the discount).
            services.contract_terms_check(contract=self.instance, changed=self.changed_data)
            return None
        data = self.cleaned_data
        terms = None if data.get("plan") else {f: data[f] for f in SaleContract.TERM_FIELDS}
        return services.contract_create(
            unit=data["unit"],
            buyer=data["buyer"],
            price=data["price"],
            discount=data.get("discount") or 0,
            plan=data.get("plan"),
            agent=data.get("agent"),
            reservation=data.get("reservation"),
            co_buyers=data.get("co_buyers") or (),
            signing_date=data.get("signing_date"),
            handover_date=data.get("handover_date"),
            commission_rate=data.get("commission_rate"),
            notes=data.get("notes", ""),
            terms=terms,
            by=by,
        )


class SignForm(BaseDialogForm):
    signing_date = forms.DateField(
        label=_("Signing date"),
        required=False,
        widget=NativeDateInput,
        help_text=_("Empty: the contract's date, else today."),
    )


class InstalmentInline(ReadOnlyInline):
    """The contract's instalment schedule: its receivables, read-only."""

    model = Receivable
    fk_name = "contract"
    verbose_name = _("instalment")
    verbose_name_plural = _("instalment schedule")
    fields = [
        "sequence",
        "invoice",
        "description",
        "due_date",
        "amount_display",
        "paid_display",
        "balance_display",
        "status_display",
    ]
    readonly_fields = fields
    ordering = ["sequence", "due_date"]

    @display(description=_("Invoice"))
    def invoice(self, obj):
        return link(obj.get_absolute_url(), obj.number)

    amount_display = money_column("amount", _("Amount"))

    paid_display = money_column("amount_paid", _("Paid"))

    balance_display = money_column("balance", _("Balance"))

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, RECEIVABLE_STATUS)


class CommissionInline(ReadOnlyInline):
    model = Commission
    fields = ["agent_link", "rate", "amount_display", "status_display", "paid_on"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent")

    @display(description=_("Agent"))
    def agent_link(self, obj):
        return link(reverse("admin:sales_commission_change", args=[obj.pk]), obj.agent)

    amount_display = money_column("amount", _("Amount"))

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, COMMISSION_FLOW)


@admin.register(SaleContract)
class SaleContractAdmin(
    GenerateDocumentsMixin,
    SignedCopyMixin,
    RecordPaymentMixin,
    ViewOnlyHistoryAdmin,
    WorkflowAdmin,
):
    export_columns = [
        "number",
        ("unit__code", "Unit"),
        ("buyer__name", "Buyer"),
        ("agent__username", "Agent"),
        ("reservation__number", "Reservation"),
        ("plan__name", "Payment plan"),
        "price",
        "discount",
        "net_price",
        "currency",
        "down_payment_percent",
        "instalment_count",
        "frequency",
        "handover_percent",
        "signing_date",
        "handover_date",
        "commission_rate",
        "status",
        "cancel_reason",
    ]
    generated_kinds = ("sale_contract",)
    form = SaleContractForm
    list_display = [
        "number",
        "unit",
        "buyer",
        "net_price_display",
        "contract_status",
        "signing_date",
        "paid_summary",
    ]
    list_select_related = ["unit", "buyer"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("signing_date", RangeDateFilter),
        ("agent", AutocompleteSelectFilter),
        ("unit", AutocompleteSelectFilter),
        ("buyer", AutocompleteSelectFilter),
        ("plan", AutocompleteSelectFilter),
    ]
    search_fields = ["number", "unit__code", "buyer__name"]
    autocomplete_fields = ["unit", "reservation", "buyer", "co_buyers", "agent", "plan"]
    actions_detail = ["sign", "record_payment", "upload_signed_copy", "cancel"]
    signed_copy_step = "sales.contract_signed_copy_attach"
    steps = {
        "sign": StepAction(
            services.contract_sign,
            _("Sign"),
            "draw",
            _("Contract %(record)s signed."),
            when={ContractStatus.DRAFT},
            dialog=confirm(
                _("Sign contract"),
                _(
                    "The unit becomes sold, the instalment schedule is invoiced and the "
                    "agent's commission is recorded. A signed contract can no longer "
                    "be edited."
                ),
                _("Sign"),
                SignForm,
            ),
            arguments=lambda data: {"signing_date": data.get("signing_date")},
        ),
        "cancel": StepAction(
            services.contract_cancel,
            _("Cancel contract"),
            "cancel",
            _("Contract %(record)s cancelled."),
            when={ContractStatus.DRAFT, ContractStatus.SIGNED},
            dialog=confirm(
                _("Cancel contract"),
                _(
                    "The unit becomes available again, unpaid instalments are voided "
                    "and an unpaid commission is cancelled. Money already paid stays "
                    "paid."
                ),
                _("Cancel contract"),
                ReasonForm,
            ),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }
    contract_status = status_badge("status", CONTRACT_FLOW)

    terms_fieldset = (
        _("Payment plan"),
        {
            "fields": ["plan", *SaleContract.TERM_FIELDS],
            "description": _(
                "Choosing a plan copies its terms into the contract; without a plan, "
                "enter the terms here."
            ),
        },
    )
    add_fieldsets = [
        (None, {"fields": ["unit", "reservation", "buyer", "co_buyers", "agent"]}),
        (_("Price"), {"fields": ["price", "discount", "commission_rate"]}),
        terms_fieldset,
        (_("Dates"), {"fields": ["signing_date", "handover_date"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    draft_fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status_display",
                    "unit",
                    "reservation",
                    "buyer",
                    "co_buyers",
                    "agent",
                ]
            },
        ),
        (_("Price"), {"fields": ["price", "discount", "net_price_display", "commission_rate"]}),
        terms_fieldset,
        (_("Dates"), {"fields": ["signing_date", "handover_date"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    locked_fieldsets = [
        (
            None,
            {
                "fields": [
                    "number",
                    "status_display",
                    "unit",
                    "reservation",
                    "buyer",
                    "co_buyers",
                    "agent",
                ]
            },
        ),
        (
            _("Price"),
            {
                "fields": [
                    "price_display",
                    "discount_display",
                    "net_price_display",
                    "commission_rate",
                ]
            },
        ),
        (_("Payments"), {"fields": ["schedule_summary"]}),
        (_("Payment plan"), {"fields": ["plan", "plan_terms"]}),
        (_("Dates"), {"fields": ["signing_date", "handover_date"]}),
        (_("Signed copy"), {"fields": ["signed_copy"]}),
        (_("Notes"), {"fields": ["notes", "cancel_reason"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if obj.status == ContractStatus.DRAFT and self.has_change_permission(request, obj):
            return self.draft_fieldsets
        return self.locked_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "number",
            "status_display",
            "unit",
            "reservation",
            "net_price_display",
            "price_display",
            "discount_display",
            "schedule_summary",
            "plan_terms",
            "cancel_reason",
            "signed_copy",
        ]

    def get_inlines(self, request, obj):
        if obj is None or obj.status == ContractStatus.DRAFT:
            return []
        return [InstalmentInline, CommissionInline]

    def get_queryset(self, request):
        return selectors.contracts_with_payments(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ContractStatus.DRAFT:
            return False  # signed, completed or cancelled: read-only
        return super().has_change_permission(request, obj)

    def signed_copy_applies(self, record) -> bool:
        return record.status != ContractStatus.CANCELLED

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted: numbers are never reused

    def unsettled_receivables(self, obj):
        return obj.receivables.filter(status__in=UNSETTLED)

    net_price_display = money_column("net_price", _("Net price"), ordering="net_price")

    price_display = money_column("price", _("Price"))

    discount_display = money_column("discount", _("Discount"))

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, CONTRACT_FLOW)

    @display(description=_("Terms"))
    def plan_terms(self, obj):
        return plan_terms_text(obj)

    @display(description=_("Paid / due"), ordering="paid_total", header=True)
    def paid_summary(self, obj):
        if obj.status == ContractStatus.DRAFT:
            return _("Not signed"), ""
        return (
            _("Paid %(amount)s") % {"amount": format_money(obj.paid_total, obj.currency)},
            _("Due %(amount)s") % {"amount": format_money(obj.due_total, obj.currency)},
        )

    @display(description=_("Schedule"))
    def schedule_summary(self, obj):
        if obj.status == ContractStatus.DRAFT:
            return _("The schedule is made on signing.")
        url = reverse("admin:finance_receivable_changelist") + f"?contract__id__exact={obj.pk}"
        return small_table(
            [_("Scheduled"), _("Paid"), _("Outstanding"), _("Receivables")],
            [
                [
                    money(obj.scheduled_total, obj.currency),
                    money(obj.paid_total, obj.currency),
                    money(obj.due_total, obj.currency),
                    link(url, _("Open the list")),
                ]
            ],
        )
