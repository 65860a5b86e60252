from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from realestate.core.models import TimeStampedModel
from realestate.core.money import MONEY
from realestate.core.querysets import AGENT_BRANCH
from realestate.finance.choices import (
    ExpenseCategory,
    LateFeeMethod,
    LateFeeRecurrence,
    OnlineEventOutcome,
    PaymentMethod,
    PaymentStatus,
    ReceivableKind,
    ReceivableStatus,
)


def receivable_balance(status: str, amount: Decimal, amount_paid: Decimal) -> Decimal:
    """What is still due on a receivable: its amount less what was paid, nothing when void
    (``Receivable.balance``; the app's invoice list reads it from values)."""
    if status == ReceivableStatus.VOID:
        return Decimal("0")
    return amount - amount_paid


class Receivable(TimeStampedModel):
    """Money a client owes: an instalment, a rent period, a deposit, a fee or a late fee.

    One shape for all of them keeps balances, ageing, reminders and late fees in one place.
    ``amount_paid`` is the sum of the allocations of posted payments, kept by the services.
    """

    number = models.CharField(_("invoice number"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="receivables",
        verbose_name=_("client"),
    )
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivables",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReceivableKind.choices)
    reservation = models.ForeignKey(
        "sales.Reservation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivables",
        verbose_name=_("reservation"),
    )
    contract = models.ForeignKey(
        "sales.SaleContract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivables",
        verbose_name=_("sale contract"),
    )
    sequence = models.PositiveSmallIntegerField(
        _("no."), null=True, blank=True, help_text=_("Order within a contract's schedule.")
    )
    lease = models.ForeignKey(
        "leasing.Lease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivables",
        verbose_name=_("lease"),
    )
    rent_charge = models.OneToOneField(
        "leasing.RentCharge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receivable",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="late_fees",
        verbose_name=_("late fee on"),
    )
    late_fee_period = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    description = models.CharField(_("description"), max_length=255)
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    issue_date = models.DateField(_("issued"))
    due_date = models.DateField(_("due"), db_index=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    amount_paid = models.DecimalField(_("paid"), default=Decimal("0"), editable=False, **MONEY)
    #: An opening balance's reference in the former system: importing it twice issues it once.
    reference = models.CharField(
        _("reference"), max_length=80, null=True, blank=True, unique=True, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReceivableStatus.choices,
        default=ReceivableStatus.OPEN,
        editable=False,
        db_index=True,
    )

    history = HistoricalRecords()

    #: Who sees a receivable besides the money roles: whoever sees its sale contract or lease
    #: (the agent, the branch manager), and the property manager of its building or project.
    scope_parents = (
        "contract",
        "lease",
        "unit__building",
        "unit__project",
        f"contract__{AGENT_BRANCH}",
    )
    #: The client who owes it sees it in the app (a tenant's rent, a buyer's instalment).
    portal_scope = ("client__portal_user",)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("receivable")
        verbose_name_plural = _("receivables")
        permissions = [
            ("void_receivable", "Can void or waive what is due on receivables"),
        ]
        indexes = [
            models.Index(fields=["client", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receivable_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_paid__gte=0) & Q(amount_paid__lte=F("amount")),
                name="receivable_paid_within_amount",
            ),
            models.UniqueConstraint(
                fields=["contract", "sequence"],
                condition=Q(contract__isnull=False),
                name="receivable_one_per_contract_sequence",
            ),
            # A late fee is charged at most once per overdue charge and period, however
            # often (or concurrently) the job runs.
            models.UniqueConstraint(
                fields=["parent", "late_fee_period"],
                condition=Q(parent__isnull=False),
                name="receivable_one_late_fee_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description}"

    def get_absolute_url(self):
        return reverse("admin:finance_receivable_change", args=[self.pk])

    @property
    def balance(self) -> Decimal:
        return receivable_balance(self.status, self.amount, self.amount_paid)


class Payment(TimeStampedModel):
    """Money received from a client: posted once, never edited; reversed by a reversal."""

    number = models.CharField(_("receipt number"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("client"),
    )
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(
        _("reference"),
        max_length=80,
        blank=True,
        help_text=_("Bank or card transaction reference."),
    )
    cheque_number = models.CharField(_("cheque number"), max_length=30, blank=True)
    cheque_bank = models.CharField(_("cheque bank"), max_length=80, blank=True)
    cheque_date = models.DateField(
        _("cheque date"),
        null=True,
        blank=True,
        help_text=_("Post-dated cheques carry a later date."),
    )
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=80, null=True, blank=True, unique=True, editable=False
    )
    amount_allocated = models.DecimalField(
        _("allocated"), default=Decimal("0"), editable=False, **MONEY
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.POSTED,
        editable=False,
        db_index=True,
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    #: Besides the money roles, the manager of the branch whose agent holds the client.
    scope_parents = (f"client__{AGENT_BRANCH}",)
    #: The client who paid sees their payments in the app.
    portal_scope = ("client__portal_user",)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        permissions = [
            ("reverse_payment", "Can reverse posted payments"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_allocated__gte=0) & Q(amount_allocated__lte=F("amount")),
                name="payment_allocated_within_amount",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("admin:finance_payment_change", args=[self.pk])

    @property
    def unallocated(self) -> Decimal:
        if self.status != PaymentStatus.POSTED:
            return Decimal("0")
        return self.amount - self.amount_allocated


class Allocation(models.Model):
    """Part of a payment applied to a receivable."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    receivable = models.ForeignKey(Receivable, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
        ]

    def __str__(self):
        return f"{self.payment} → {self.receivable}: {self.amount}"


class PaymentReversal(TimeStampedModel):
    """The record that reverses a posted payment (bounced cheque, mistake). Both stay."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="reversal")
    reason = models.CharField(_("reason"), max_length=255)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment reversal")
        verbose_name_plural = _("payment reversals")

    def __str__(self):
        return f"Reversal of {self.payment}"


class LateFeePolicy(TimeStampedModel):
    """Grace, amount and recurrence of late fees: global, per project or per lease."""

    name = models.CharField(_("name"), max_length=120)
    project = models.OneToOneField(
        "properties.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="late_fee_policy",
    )
    lease = models.OneToOneField(
        "leasing.Lease",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="late_fee_policy",
    )
    is_global = models.BooleanField(_("company-wide default"), default=False, editable=False)
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=5)
    method = models.CharField(
        _("method"), max_length=10, choices=LateFeeMethod.choices, default=LateFeeMethod.PERCENT
    )
    fixed_amount = models.DecimalField(
        _("fixed amount"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY
    )
    percent = models.DecimalField(
        _("percent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    recurrence = models.CharField(
        _("charged"),
        max_length=12,
        choices=LateFeeRecurrence.choices,
        default=LateFeeRecurrence.ONCE,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-is_global", "name"]
        verbose_name = _("late-fee policy")
        verbose_name_plural = _("late-fee policies")
        constraints = [
            models.UniqueConstraint(
                fields=["is_global"], condition=Q(is_global=True), name="late_fee_policy_one_global"
            ),
            models.CheckConstraint(
                condition=(
                    Q(is_global=True, project__isnull=True, lease__isnull=True)
                    | Q(is_global=False, project__isnull=False, lease__isnull=True)
                    | Q(is_global=False, project__isnull=True, lease__isnull=False)
                ),
                name="late_fee_policy_one_scope",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_label(self) -> str:
        if self.is_global:
            return str(_("Company-wide"))
        return str(self.project or self.lease)


class Expense(TimeStampedModel):
    """A cost of a unit (repairs, service charges) that reduces its owner's payout."""

    unit = models.ForeignKey(
        "properties.Unit", on_delete=models.PROTECT, related_name="expenses", verbose_name=_("unit")
    )
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    incurred_on = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("description"), max_length=255)
    vendor = models.ForeignKey(
        "leasing.Vendor", on_delete=models.SET_NULL, null=True, blank=True, related_name="expenses"
    )
    maintenance_request = models.OneToOneField(
        "leasing.MaintenanceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expense",
    )

    class Meta:
        ordering = ["-incurred_on", "-id"]
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")

    def __str__(self):
        return f"{self.unit} {self.description}: {self.amount}"


class OwnerStatement(TimeStampedModel):
    """What the company owes an owner for one month: rent collected less fee and expenses."""

    owner = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="owner_statements",
        verbose_name=_("owner"),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    rent_collected = models.DecimalField(_("rent collected"), **MONEY)
    management_fee_base = models.DecimalField(_("fee base"), **MONEY)
    management_fee_rate = models.DecimalField(_("fee rate %"), max_digits=5, decimal_places=2)
    management_fee = models.DecimalField(_("management fee"), **MONEY)
    expenses = models.DecimalField(_("expenses"), **MONEY)
    net_payable = models.DecimalField(_("net payable"), **MONEY)
    lines = models.JSONField(_("lines"), default=list)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True
    #: The owner sees their statements in the app.
    portal_scope = ("owner__portal_user",)

    class Meta:
        ordering = ["-period_start", "owner__name"]
        verbose_name = _("owner statement")
        verbose_name_plural = _("owner statements")
        permissions = [
            ("generate_ownerstatement", "Can generate owner statements"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "period_start"], name="owner_statement_one_per_month"
            ),
        ]

    def __str__(self):
        return f"{self.owner} {self.period_start:%B %Y}"


class OnlinePaymentEvent(TimeStampedModel):
    """An event a payment provider sent to its webhook, once per event id (the provider
    retries): what it was about and what it did here. A refused one (an amount or currency
    that does not match the invoice) posted nothing and waits for staff."""

    provider = models.CharField(_("provider"), max_length=20)
    event_id = models.CharField(_("event id"), max_length=255)
    event_type = models.CharField(_("event type"), max_length=100)
    payment_intent = models.CharField(_("provider's payment id"), max_length=255, blank=True)
    receivable = models.ForeignKey(
        Receivable, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=OnlineEventOutcome.choices)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("online payment event")
        verbose_name_plural = _("online payment events")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="online_payment_event_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.event_id}"
