"""Sales in the admin: payment plans, reservations, sale contracts and commissions.

Records are created and moved only through ``realestate.sales.services``: the add forms call
``reservation_create`` / ``contract_create``, and every status change is a detail or bulk
action calling its service. A signed contract is read-only; its instalment schedule (the
finance receivables of the contract) is shown beside it.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeDateFilter,
    RangeDateTimeFilter,
)
from unfold.decorators import display
from unfold.forms import BaseDialogForm

from realestate.core.admin import (
    BaseAdmin,
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
from realestate.core.money import format_money, percent_text
from realestate.finance.choices import RECEIVABLE_STATUS, UNSETTLED, ReceivableStatus
from realestate.finance.models import Receivable
from realestate.properties.deals import DealKind, deal_kind_register
from realestate.sales import services
from realestate.sales.choices import (
    COMMISSION_FLOW,
    CONTRACT_FLOW,
    RESERVATION_FLOW,
    CommissionStatus,
    ContractStatus,
    ReservationStatus,
)
from realestate.sales.models import Commission, PaymentPlan, Reservation, SaleContract

ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


# --- payment plans ------------------------------------------------------------------------
@admin.register(PaymentPlan)
class PaymentPlanAdmin(BaseAdmin):
    list_display = ["name", "terms", "is_active", "contract_count"]
    list_filter = ["is_active", ("frequency", ChoicesDropdownFilter)]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "is_active", "notes"]}),
        (_("Terms"), {
            "fields": ["down_payment_percent", "instalment_count", "frequency",
                       "handover_percent", "grace_months"],
            "description": _("A contract copies these terms when it is made on this plan; "
                             "changing the plan later does not change signed contracts."),
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contract_total=Count("contracts"))

    @display(description=_("Terms"))
    def terms(self, obj):
        return plan_terms_text(obj)

    @display(description=_("Contracts"), ordering="contract_total")
    def contract_count(self, obj):
        return obj.contract_total


def plan_terms_text(terms) -> str:
    parts = [_("%(p)s%% down") % {"p": percent_text(terms.down_payment_percent)}]
    if terms.instalment_count:
        parts.append(_("%(n)s × %(f)s") % {"n": terms.instalment_count,
                                           "f": terms.get_frequency_display().lower()})
    if terms.handover_percent:
        parts.append(_("%(p)s%% on handover") % {"p": percent_text(terms.handover_percent)})
    if terms.grace_months:
        parts.append(_("%(n)s grace month(s)") % {"n": terms.grace_months})
    return " · ".join(str(part) for part in parts)


# --- reservations -------------------------------------------------------------------------
class ReservationForm(ServiceForm):
    """Adding reserves the unit through ``reservation_create``; afterwards only the agent
    and the notes are edited here, everything else moves by the detail actions."""

    class Meta:
        model = Reservation
        fields = ["unit", "client", "agent", "deposit", "expires_at", "notes"]

    def save_through_service(self, by):
        if self.instance.pk:
            return None  # agent and notes: a plain save
        data = self.cleaned_data
        return services.reservation_create(
            unit=data["unit"], client=data["client"], deposit=data["deposit"],
            expires_at=data["expires_at"], agent=data.get("agent"),
            notes=data.get("notes", ""), by=by,
        )


@admin.register(Reservation)
class ReservationAdmin(ViewOnlyHistoryAdmin, WorkflowAdmin):
    form = ReservationForm
    list_display = ["number", "unit", "client", "agent", "deposit_display", "expires_at",
                    "reservation_status"]
    list_select_related = ["unit", "client", "agent"]
    list_filter = [("status", ChoicesDropdownFilter), ("agent", AutocompleteSelectFilter),
                   ("unit", AutocompleteSelectFilter), ("expires_at", RangeDateTimeFilter)]
    search_fields = ["number", "unit__code", "client__name"]
    autocomplete_fields = ["unit", "client", "agent"]
    actions_detail = ["convert", "cancel"]
    steps = {
        "convert": StepAction(
            services.contract_create, _("Convert to contract"), "handshake",
            _("Draft contract made from reservation %(record)s: check it and sign it."),
            when=lambda r: r.status == ReservationStatus.ACTIVE and not _has_contract(r),
            dialog=confirm(_("Convert to contract"),
                           _("A draft sale contract is made for the client at the unit's list "
                             "price. Signing it converts this reservation."),
                           _("Make draft contract")),
            call=lambda admin, request, reservation, data: _convert(reservation, request.user),
            opens=lambda contract, reservation: contract,
        ),
        "cancel": StepAction(
            services.reservation_cancel, _("Cancel reservation"), "cancel",
            _("Reservation %(record)s cancelled."), when={ReservationStatus.ACTIVE},
            dialog=confirm(_("Cancel reservation"),
                           _("The unit becomes available again and the unpaid deposit invoice "
                             "is voided."), _("Cancel reservation"), ReasonForm),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }
    reservation_status = status_badge("status", RESERVATION_FLOW)

    add_fieldsets = [
        (None, {"fields": ["unit", "client", "agent"]}),
        (_("Deposit and expiry"), {
            "fields": ["deposit", "expires_at"],
            "description": _("The unit must be available. The deposit is invoiced to the "
                             "client today; it counts towards the price if the reservation "
                             "turns into a signed contract."),
        }),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    change_fieldsets = [
        (None, {"fields": ["number", "status_display", "unit", "client", "agent"]}),
        (_("Deposit and expiry"), {"fields": ["deposit_display", "deposit_invoice",
                                               "expires_at", "closed_at", "cancel_reason"]}),
        (_("Contract"), {"fields": ["contract_link"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    computed = ["number", "status_display", "deposit_display", "deposit_invoice", "closed_at",
                "cancel_reason", "contract_link"]

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.computed, "unit", "client", "expires_at"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        in_a_week = timezone.localtime() + timedelta(days=7)
        initial.setdefault("expires_at", in_a_week.replace(hour=18, minute=0, second=0,
                                                           microsecond=0))
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ReservationStatus.ACTIVE:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # cancelled, never deleted: its number and deposit stay on record

    deposit_display = money_column("deposit", _("Deposit"), ordering="deposit")

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, RESERVATION_FLOW)

    @display(description=_("Deposit invoice"))
    def deposit_invoice(self, obj):
        receivable = obj.receivables.order_by("pk").first()
        if receivable is None:
            return "—"
        return link(receivable.get_absolute_url(),
                    f"{receivable.number} · {receivable.get_status_display()}")

    @display(description=_("Sale contract"))
    def contract_link(self, obj):
        contract = _contract_of(obj)
        if contract is None:
            return _("None yet: “Convert to contract” makes a draft at the unit's list price.")
        return link(contract.get_absolute_url(),
                    f"{contract.number} · {contract.get_status_display()}")



def _convert(reservation, by):
    """A draft contract for the reservation's client at the unit's list price."""
    unit = reservation.unit
    if unit.list_price is None:
        raise ValidationError(_("Unit %(code)s has no list price: add one to the unit, or add "
                                "the contract by hand.") % {"code": unit.code})
    return services.contract_create(unit=unit, buyer=reservation.client, price=unit.list_price,
                                    reservation=reservation, by=by)


def _contract_of(reservation):
    try:
        return reservation.contract
    except SaleContract.DoesNotExist:
        return None


def _has_contract(reservation) -> bool:
    contract = _contract_of(reservation)
    return contract is not None and contract.status != ContractStatus.CANCELLED


# --- sale contracts -----------------------------------------------------------------------
class SaleContractForm(ServiceForm):
    """Adding goes through ``contract_create`` (the plan's terms are copied); a draft may be
    edited; a signed contract is read-only."""

    computed_fields = ("net_price",)

    class Meta:
        model = SaleContract
        fields = ["unit", "reservation", "buyer", "co_buyers", "agent", "plan", "price",
                  "discount", "commission_rate", "signing_date", "handover_date", "notes",
                  *SaleContract.TERM_FIELDS]

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
            unit=data["unit"], buyer=data["buyer"], price=data["price"],
            discount=data.get("discount") or 0, plan=data.get("plan"), agent=data.get("agent"),
            reservation=data.get("reservation"), co_buyers=data.get("co_buyers") or (),
            signing_date=data.get("signing_date"), handover_date=data.get("handover_date"),
            commission_rate=data.get("commission_rate"), notes=data.get("notes", ""),
            terms=terms, by=by,
        )


class SignForm(BaseDialogForm):
    signing_date = forms.DateField(label=_("Signing date"), required=False,
                                   widget=NativeDateInput,
                                   help_text=_("Empty: the contract's date, else today."))


class InstalmentInline(ReadOnlyInline):
    """The contract's instalment schedule: its receivables, read-only."""

    model = Receivable
    fk_name = "contract"
    verbose_name = _("instalment")
    verbose_name_plural = _("instalment schedule")
    fields = ["sequence", "invoice", "description", "due_date", "amount_display",
              "paid_display", "balance_display", "status_display"]
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
class SaleContractAdmin(RecordPaymentMixin, ViewOnlyHistoryAdmin, WorkflowAdmin):
    form = SaleContractForm
    list_display = ["number", "unit", "buyer", "net_price_display", "contract_status",
                    "signing_date", "paid_summary"]
    list_select_related = ["unit", "buyer"]
    list_filter = [("status", ChoicesDropdownFilter), ("signing_date", RangeDateFilter),
                   ("agent", AutocompleteSelectFilter), ("unit", AutocompleteSelectFilter),
                   ("buyer", AutocompleteSelectFilter), ("plan", AutocompleteSelectFilter)]
    search_fields = ["number", "unit__code", "buyer__name"]
    autocomplete_fields = ["unit", "reservation", "buyer", "co_buyers", "agent", "plan"]
    actions_detail = ["sign", "record_payment", "cancel"]
    steps = {
        "sign": StepAction(
            services.contract_sign, _("Sign"), "draw", _("Contract %(record)s signed."),
            when={ContractStatus.DRAFT},
            dialog=confirm(_("Sign contract"),
                           _("The unit becomes sold, the instalment schedule is invoiced and the "
                             "agent's commission is recorded. A signed contract can no longer "
                             "be edited."), _("Sign"), SignForm),
            arguments=lambda data: {"signing_date": data.get("signing_date")},
        ),
        "cancel": StepAction(
            services.contract_cancel, _("Cancel contract"), "cancel",
            _("Contract %(record)s cancelled."),
            when={ContractStatus.DRAFT, ContractStatus.SIGNED},
            dialog=confirm(_("Cancel contract"),
                           _("The unit becomes available again, unpaid instalments are voided "
                             "and an unpaid commission is cancelled. Money already paid stays "
                             "paid."), _("Cancel contract"), ReasonForm),
            arguments=lambda data: {"reason": data["reason"]},
        ),
    }
    contract_status = status_badge("status", CONTRACT_FLOW)

    terms_fieldset = (_("Payment plan"), {
        "fields": ["plan", *SaleContract.TERM_FIELDS],
        "description": _("Choosing a plan copies its terms into the contract; without a plan, "
                         "enter the terms here."),
    })
    add_fieldsets = [
        (None, {"fields": ["unit", "reservation", "buyer", "co_buyers", "agent"]}),
        (_("Price"), {"fields": ["price", "discount", "commission_rate"]}),
        terms_fieldset,
        (_("Dates"), {"fields": ["signing_date", "handover_date"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    draft_fieldsets = [
        (None, {"fields": ["number", "status_display", "unit", "reservation", "buyer",
                           "co_buyers", "agent"]}),
        (_("Price"), {"fields": ["price", "discount", "net_price_display",
                                 "commission_rate"]}),
        terms_fieldset,
        (_("Dates"), {"fields": ["signing_date", "handover_date"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]
    locked_fieldsets = [
        (None, {"fields": ["number", "status_display", "unit", "reservation", "buyer",
                           "co_buyers", "agent"]}),
        (_("Price"), {"fields": ["price_display", "discount_display", "net_price_display",
                                 "commission_rate"]}),
        (_("Payments"), {"fields": ["schedule_summary"]}),
        (_("Payment plan"), {"fields": ["plan", "plan_terms"]}),
        (_("Dates"), {"fields": ["signing_date", "handover_date"]}),
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
        return ["number", "status_display", "unit", "reservation", "net_price_display",
                "price_display", "discount_display", "schedule_summary", "plan_terms",
                "cancel_reason"]

    def get_inlines(self, request, obj):
        if obj is None or obj.status == ContractStatus.DRAFT:
            return []
        return [InstalmentInline, CommissionInline]

    def get_queryset(self, request):
        receivables = Q(receivables__isnull=False) & ~Q(receivables__status=ReceivableStatus.VOID)
        return super().get_queryset(request).annotate(
            paid_total=Coalesce(Sum("receivables__amount_paid"), ZERO),
            due_total=Coalesce(Sum(F("receivables__amount") - F("receivables__amount_paid"),
                                   filter=Q(receivables__status__in=UNSETTLED)), ZERO),
            scheduled_total=Coalesce(Sum("receivables__amount", filter=receivables), ZERO),
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != ContractStatus.DRAFT:
            return False  # signed, completed or cancelled: read-only
        return super().has_change_permission(request, obj)

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
        return (_("Paid %(amount)s") % {"amount": format_money(obj.paid_total, obj.currency)},
                _("Due %(amount)s") % {"amount": format_money(obj.due_total, obj.currency)})

    @display(description=_("Schedule"))
    def schedule_summary(self, obj):
        if obj.status == ContractStatus.DRAFT:
            return _("The schedule is made on signing.")
        url = (reverse("admin:finance_receivable_changelist")
               + f"?contract__id__exact={obj.pk}")
        return small_table(
            [_("Scheduled"), _("Paid"), _("Outstanding"), _("Receivables")],
            [[money(obj.scheduled_total, obj.currency), money(obj.paid_total, obj.currency),
              money(obj.due_total, obj.currency), link(url, _("Open the list"))]],
        )


# --- commissions --------------------------------------------------------------------------
@admin.register(Commission)
class CommissionAdmin(ViewOnlyHistoryAdmin, WorkflowAdmin):
    list_display = ["contract", "agent", "rate", "amount_display", "commission_status",
                    "paid_on", "created_at"]
    list_select_related = ["contract", "agent"]
    list_filter = [("status", ChoicesDropdownFilter), ("agent", AutocompleteSelectFilter),
                   ("paid_on", RangeDateFilter)]
    search_fields = ["contract__number", "agent__username", "agent__first_name",
                     "agent__last_name"]
    fields = ["contract", "agent", "rate", "amount_display", "status_display", "paid_on"]
    readonly_fields = fields
    actions_detail = ["approve", "pay"]
    steps = {
        "approve": StepAction(
            services.commission_approve, _("Approve"), "done", _("Commission %(record)s approved."),
            when={CommissionStatus.PENDING}, bulk=True,
            dialog=confirm(_("Approve commission"),
                           _("Approve this commission for payment. Nobody approves their own "
                             "commission."), _("Approve")),
        ),
        "pay": StepAction(
            services.commission_pay, _("Mark paid"), "payments",
            _("Commission %(record)s marked paid."), when={CommissionStatus.APPROVED}, bulk=True,
            dialog=confirm(_("Mark commission paid"),
                           _("Record that the agent has been paid today."), _("Mark paid")),
        ),
    }
    commission_status = status_badge("status", COMMISSION_FLOW)

    def has_add_permission(self, request):
        return False  # made by signing a contract

    def has_change_permission(self, request, obj=None):
        return False  # never edited: approved and paid by its steps

    def has_delete_permission(self, request, obj=None):
        return False

    amount_display = money_column("amount", _("Amount"), ordering="amount")

    @display(description=_("Status"))
    def status_display(self, obj):
        return status_label(obj, COMMISSION_FLOW)


# --- on a unit's page -----------------------------------------------------------------------
deal_kind_register(DealKind(
    Reservation, _("Reservation"), "client", "created_at", RESERVATION_FLOW,
    lambda r: f"{r.created_at:%d %b %Y} → {r.expires_at:%d %b %Y}"))
deal_kind_register(DealKind(
    SaleContract, _("Sale contract"), "buyer", "created_at", CONTRACT_FLOW,
    lambda c: (f"{_('signed')} {c.signing_date:%d %b %Y}" if c.signing_date
               else f"{_('drafted')} {c.created_at:%d %b %Y}")))
