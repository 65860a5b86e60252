from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from realestate.core.assignments import AgentFieldsMixin
from realestate.core.models import TimeStampedModel
from realestate.core.money import MONEY
from realestate.core.querysets import AGENT_BRANCH
from realestate.sales.choices import (
    CommissionStatus,
    ContractStatus,
    Frequency,
    ReservationStatus,
)

PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}
STAFF = {"is_staff": True}


class PlanTerms(models.Model):
    """The terms of a payment plan; templates define them, contracts keep a copy."""

    down_payment_percent = models.DecimalField(
        _("down payment %"), default=Decimal("10"), **PERCENT
    )
    instalment_count = models.PositiveSmallIntegerField(
        _("instalments"), default=12, validators=[MaxValueValidator(360)]
    )
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    handover_percent = models.DecimalField(_("on handover %"), default=Decimal("0"), **PERCENT)
    grace_months = models.PositiveSmallIntegerField(
        _("grace months"),
        default=0,
        help_text=_("Months between signing and the first instalment."),
    )

    class Meta:
        abstract = True

    TERM_FIELDS = (
        "down_payment_percent",
        "instalment_count",
        "frequency",
        "handover_percent",
        "grace_months",
    )

    def clean_terms(self):
        if (self.down_payment_percent or 0) + (self.handover_percent or 0) > 100:
            raise ValidationError(_("Down payment and handover together exceed 100%."))
        if (
            self.instalment_count == 0
            and (self.down_payment_percent or 0) + (self.handover_percent or 0) != 100
        ):
            raise ValidationError(
                {
                    "instalment_count": _(
                        "Without instalments, down payment and handover must make 100%."
                    )
                }
            )


class PaymentPlan(PlanTerms, TimeStampedModel):
    """A payment-plan template staff offer buyers (e.g. 10/70/20 over 24 months)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("offered"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")

    def __str__(self):
        return self.name

    def clean(self):
        self.clean_terms()


class Reservation(AgentFieldsMixin, TimeStampedModel):
    """Holds a unit for a client against a deposit until it expires."""

    takes_documents = True  # generated and uploaded documents (realestate.documents)

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("unit"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("client"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reservations",
        verbose_name=_("agent"),
        limit_choices_to=STAFF,
    )
    deposit = models.DecimalField(_("deposit"), validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
        editable=False,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    assignment_fields = ("agent",)
    scope_parents = (AGENT_BRANCH,)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(status="active"),
                name="reservation_one_active_per_unit",
                violation_error_message=_("This unit already has an active reservation."),
            ),
        ]

    def __str__(self):
        return self.number or f"Reservation of {self.unit}"

    def get_absolute_url(self):
        return reverse("admin:sales_reservation_change", args=[self.pk])


class SaleContract(AgentFieldsMixin, PlanTerms, TimeStampedModel):
    """A sale of a unit to one or more buyers, with the payment plan it was signed on."""

    takes_documents = True  # generated and uploaded documents (realestate.documents)

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        related_name="sale_contracts",
        verbose_name=_("unit"),
    )
    buyer = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=_("buyer"),
    )
    co_buyers = models.ManyToManyField(
        "clients.Client", blank=True, related_name="co_purchases", verbose_name=_("co-buyers")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sale_contracts",
        verbose_name=_("agent"),
        limit_choices_to=STAFF,
    )
    reservation = models.OneToOneField(
        Reservation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
        verbose_name=_("from reservation"),
    )
    plan = models.ForeignKey(
        PaymentPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("payment plan"),
        help_text=_("Its terms are copied into the contract on saving."),
    )
    price = models.DecimalField(_("price"), validators=[MinValueValidator(0)], **MONEY)
    discount = models.DecimalField(
        _("discount"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY
    )
    net_price = models.DecimalField(_("net price"), editable=False, **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    signing_date = models.DateField(_("signing date"), null=True, blank=True)
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    commission_rate = models.DecimalField(
        _("commission %"),
        null=True,
        blank=True,
        help_text=_("Empty: the agent's default rate."),
        **PERCENT,
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    cancel_reason = models.CharField(_("cancellation reason"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    assignment_fields = ("agent",)
    scope_parents = (AGENT_BRANCH,)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sale contract")
        verbose_name_plural = _("sale contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=~models.Q(status="cancelled"),
                name="sale_contract_one_live_per_unit",
                violation_error_message=_(
                    "This unit already has a contract that is not cancelled."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(discount__lte=models.F("price")),
                name="sale_contract_discount_within_price",
            ),
            models.CheckConstraint(
                condition=models.Q(net_price=models.F("price") - models.F("discount")),
                name="sale_contract_net_price_is_price_less_discount",
            ),
        ]

    def __str__(self):
        return self.number or f"Contract for {self.unit}"

    def save(self, *args, **kwargs):
        if self.price is not None:
            self.net_price = self.price - (self.discount or 0)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:sales_salecontract_change", args=[self.pk])

    def clean(self):
        if self.price is not None and self.discount and self.discount > self.price:
            raise ValidationError({"discount": _("The discount exceeds the price.")})
        self.clean_terms()


class Commission(TimeStampedModel):
    """The agent's commission on a signed contract."""

    contract = models.ForeignKey(
        SaleContract,
        on_delete=models.PROTECT,
        related_name="commissions",
        verbose_name=_("contract"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commissions",
        verbose_name=_("agent"),
    )
    rate = models.DecimalField(_("rate %"), **PERCENT)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CommissionStatus.choices,
        default=CommissionStatus.PENDING,
        editable=False,
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    history = HistoricalRecords()
    assignment_fields = ("agent",)
    scope_parents = (AGENT_BRANCH,)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        permissions = [
            ("approve_commission", "Can approve commissions (never one's own)"),
            ("pay_commission", "Can mark commissions paid (never one's own)"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "agent"], name="commission_one_per_agent_per_contract"
            ),
        ]

    def __str__(self):
        return f"{self.agent} – {self.contract}"


# Direct foreign-key guardian tables: scoped lists filter on an indexed integer.


class ReservationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Reservation, on_delete=models.CASCADE)


class ReservationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Reservation, on_delete=models.CASCADE)


class SaleContractUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SaleContract, on_delete=models.CASCADE)


class SaleContractGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SaleContract, on_delete=models.CASCADE)


class CommissionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Commission, on_delete=models.CASCADE)


class CommissionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Commission, on_delete=models.CASCADE)
