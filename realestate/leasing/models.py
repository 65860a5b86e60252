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
from realestate.core.uploads import PhotoField
from realestate.leasing.choices import (
    BillingFrequency,
    DepositMovement,
    LeaseStatus,
    MaintenanceCategory,
    MaintenanceStatus,
    Priority,
    TermType,
)

STAFF = {"is_staff": True}


class Lease(AgentFieldsMixin, TimeStampedModel):
    """A tenancy of one unit. Renewal makes a new lease linked to this one."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "properties.Unit", on_delete=models.PROTECT, related_name="leases", verbose_name=_("unit")
    )
    tenant = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="leases", verbose_name=_("tenant")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leases",
        verbose_name=_("leasing agent"),
        limit_choices_to=STAFF,
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Empty for a periodic lease.")
    )
    term_type = models.CharField(
        _("term"), max_length=10, choices=TermType.choices, default=TermType.FIXED
    )
    monthly_rent = models.DecimalField(
        _("monthly rent"), validators=[MinValueValidator(0)], **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    billing_frequency = models.CharField(
        _("billing"),
        max_length=10,
        choices=BillingFrequency.choices,
        default=BillingFrequency.MONTHLY,
    )
    billing_day = models.PositiveSmallIntegerField(
        _("billing day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Day of the month rent falls due (1–28)."),
    )
    deposit_amount = models.DecimalField(
        _("deposit"), default=Decimal("0"), validators=[MinValueValidator(0)], **MONEY
    )
    escalation_percent = models.DecimalField(
        _("yearly escalation %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=LeaseStatus.choices,
        default=LeaseStatus.DRAFT,
        editable=False,
        db_index=True,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, editable=False)
    termination_reason = models.CharField(_("termination reason"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    signed_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("signed copy"),
        help_text=_("The scan of the signed lease (“Upload signed copy”)."),
    )

    history = HistoricalRecords()
    assignment_fields = ("agent",)
    #: A grant on the unit, or on its building or project (a property manager's), reaches
    #: the lease.
    scope_parents = ("unit", "unit__building", "unit__project")
    #: The tenant sees their leases in the app; an owner sees a summary through the unit.
    portal_scope = ("tenant__portal_user",)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="lease_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.number or f"Lease of {self.unit}"

    def get_absolute_url(self):
        return reverse("admin:leasing_lease_change", args=[self.pk])

    def renewal_exists(self) -> bool:
        return Lease.objects.filter(renewed_from=self).exists()

    def clean(self):
        if self.term_type == TermType.PERIODIC:
            if self.end_date:
                raise ValidationError({"end_date": _("A periodic lease has no end date.")})
        elif not self.end_date:
            raise ValidationError({"end_date": _("A fixed-term lease needs an end date.")})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The lease cannot end before it starts.")})


class RentCharge(models.Model):
    """One period of a lease's rent schedule; invoiced when its receivable exists."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="rent_charges")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_date = models.DateField(_("due"), db_index=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)

    class Meta:
        ordering = ["lease", "period_start"]
        verbose_name = _("rent charge")
        verbose_name_plural = _("rent schedule")
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "period_start"], name="rent_charge_one_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.lease} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class DepositTransaction(TimeStampedModel):
    """A movement of a lease's security deposit: received, returned or kept."""

    lease = models.ForeignKey(Lease, on_delete=models.PROTECT, related_name="deposit_movements")
    movement = models.CharField(_("movement"), max_length=14, choices=DepositMovement.choices)
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("deposit movement")
        verbose_name_plural = _("deposit movements")
        permissions = [
            ("release_deposit", "Can return or keep tenants' deposits"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="deposit_movement_positive"
            )
        ]

    def __str__(self):
        return f"{self.get_movement_display()} {self.amount}"


class Vendor(TimeStampedModel):
    name = models.CharField(_("name"), max_length=160, unique=True)
    trade = models.CharField(
        _("trade"),
        max_length=20,
        choices=MaintenanceCategory.choices,
        default=MaintenanceCategory.OTHER,
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name


class MaintenanceRequest(TimeStampedModel):
    """A repair or service job on a unit; its cost becomes an expense of the unit."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.PROTECT,
        related_name="maintenance_requests",
        verbose_name=_("unit"),
    )
    lease = models.ForeignKey(
        Lease,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="maintenance_requests",
        verbose_name=_("lease"),
    )
    reported_by_client = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by (tenant)"),
    )
    reported_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by (staff)"),
    )
    category = models.CharField(_("category"), max_length=20, choices=MaintenanceCategory.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    permission_to_enter = models.BooleanField(
        _("permission to enter"),
        default=False,
        help_text=_("The tenant lets the technician in when nobody is at home."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MaintenanceStatus.choices,
        default=MaintenanceStatus.OPEN,
        editable=False,
        db_index=True,
    )
    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("vendor"),
    )
    cost = models.DecimalField(
        _("cost"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    scope_parents = ("unit", "unit__building", "unit__project", "lease")
    #: The tenant of its lease (or who reported it) and the owner of its unit see it.
    portal_scope = (
        "lease__tenant__portal_user",
        "reported_by_client__portal_user",
        "unit__owner__portal_user",
    )

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("maintenance request")
        verbose_name_plural = _("maintenance requests")

    def __str__(self):
        return f"{self.number} {self.title}"


def maintenance_photo_path(instance, filename):
    return f"maintenance/{instance.request_id}/{filename}"


class MaintenancePhoto(models.Model):
    request = models.ForeignKey(MaintenanceRequest, on_delete=models.CASCADE, related_name="photos")
    image = PhotoField(_("image"), upload_to=maintenance_photo_path)
    caption = models.CharField(_("caption"), max_length=160, blank=True)

    #: Whoever may see the request may see its photos (see core.files).
    file_owner = "request"

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


class MaintenanceComment(models.Model):
    """A message on a maintenance request: the tenant's from the app, staff's from the admin;
    both see the same thread."""

    request = models.ForeignKey(
        MaintenanceRequest, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author or _('Someone')}: {self.body[:40]}"


# Direct foreign-key guardian tables: scoped lists filter on an indexed integer.


class LeaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Lease, on_delete=models.CASCADE)


class LeaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Lease, on_delete=models.CASCADE)
