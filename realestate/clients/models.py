from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from realestate.clients.choices import (
    ClientKind,
    ClientSource,
    IdentityDocument,
    LeadStatus,
    LostReason,
    ViewingStatus,
)
from realestate.core.assignments import AgentFieldsMixin
from realestate.core.models import TimeStampedModel
from realestate.core.money import MONEY
from realestate.core.numbering import number_take
from realestate.core.querysets import AGENT_BRANCH
from realestate.properties.choices import UnitType

AGENT_CHOICES = {"is_staff": True}
CLIENT_PREFIX = "CL"
LEAD_PREFIX = "LD"


class CodedMixin:
    """A business code for spreadsheets and other systems (``CL-2026-00017``): taken from the
    numbering when a record is saved without one; an import may bring the codes of the
    system the company moves from."""

    code_prefix: str

    def save(self, *args, **kwargs):
        if self.code:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.code = number_take(self.code_prefix)
            return super().save(*args, **kwargs)


class Client(CodedMixin, AgentFieldsMixin, TimeStampedModel):
    """A person or company: buyer, tenant and owner are roles, not kinds of client."""

    code = models.CharField(
        _("client code"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("Given on saving when left empty (CL-year-number)."),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ClientKind.choices, default=ClientKind.INDIVIDUAL
    )
    name = models.CharField(_("name"), max_length=160, db_index=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    id_type = models.CharField(
        _("identity document"), max_length=20, choices=IdentityDocument.choices, blank=True
    )
    id_number = models.CharField(_("document number"), max_length=40, blank=True)
    id_expiry = models.DateField(_("document expiry"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("assigned agent"),
        limit_choices_to=AGENT_CHOICES,
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ClientSource.choices, default=ClientSource.WALK_IN
    )
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client_profile",
        verbose_name=_("mobile app login"),
        limit_choices_to={"is_staff": False},
    )
    management_fee_percent = models.DecimalField(
        _("management fee %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For owners: the fee on rent collected. Empty: the company default."),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    code_prefix = CLIENT_PREFIX
    assignment_fields = ("agent",)
    scope_parents = (AGENT_BRANCH,)
    #: Identity and contact details: exporting needs ``accounts.export_personal_data``.
    personal_data = True
    #: A client's app login sees their own record (core.permissions.portal_conditions).
    portal_scope = ("portal_user",)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=~models.Q(id_number=""),
                name="client_identity_document_unique",
                violation_error_message=_("Another client has this identity document."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.id_number and not self.id_type:
            raise ValidationError({"id_type": _("Say which document this number belongs to.")})
        if not (self.email or self.phone):
            raise ValidationError(_("A client needs an email address or a phone number."))
        if self.portal_user_id and self.portal_user.is_staff:
            # Owners and tenants use the mobile app; a staff login would open the back office.
            raise ValidationError(
                {
                    "portal_user": _(
                        "%(user)s is a staff login: a client's app login must not be staff."
                    )
                    % {"user": self.portal_user}
                }
            )


class Lead(CodedMixin, AgentFieldsMixin, TimeStampedModel):
    """A client's interest in a unit, a project or a set of criteria."""

    code = models.CharField(
        _("lead code"),
        max_length=30,
        unique=True,
        blank=True,
        help_text=_("Given on saving when left empty (LD-year-number)."),
    )
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="leads", verbose_name=_("client")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        db_index=True,
        editable=False,
    )
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("unit"),
    )
    project = models.ForeignKey(
        "properties.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("project"),
    )
    unit_type = models.CharField(
        _("wanted type"), max_length=20, choices=UnitType.choices, blank=True
    )
    budget_min = models.DecimalField(
        _("budget from"),
        null=True,
        blank=True,
        **MONEY,
        validators=[MinValueValidator(0)],
    )
    budget_max = models.DecimalField(
        _("budget to"),
        null=True,
        blank=True,
        **MONEY,
        validators=[MinValueValidator(0)],
    )
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("assigned agent"),
        limit_choices_to=AGENT_CHOICES,
    )
    source = models.CharField(_("source"), max_length=20, choices=ClientSource.choices, blank=True)
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True, db_index=True)
    lost_reason = models.CharField(
        _("lost reason"), max_length=20, choices=LostReason.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    code_prefix = LEAD_PREFIX
    assignment_fields = ("agent",)
    scope_parents = (AGENT_BRANCH,)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self):
        return f"{self.client} – {self.interest}"

    @property
    def interest(self) -> str:
        if self.unit_id:
            return str(self.unit)
        if self.project_id:
            return str(self.project)
        parts = [self.get_unit_type_display() if self.unit_type else _("Any type")]
        if self.bedrooms is not None:
            parts.append(_("%(n)s bed") % {"n": self.bedrooms})
        if self.budget_max:
            parts.append(_("up to %(max)s") % {"max": f"{self.budget_max:,.0f}"})
        return ", ".join(str(p) for p in parts)

    def clean(self):
        if self.budget_min and self.budget_max and self.budget_min > self.budget_max:
            raise ValidationError(
                {"budget_max": _("The budget's upper end is below its lower end.")}
            )


class Viewing(AgentFieldsMixin, TimeStampedModel):
    """A visit of a unit by a client with an agent."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="viewings", verbose_name=_("client")
    )
    unit = models.ForeignKey(
        "properties.Unit",
        on_delete=models.CASCADE,
        related_name="viewings",
        verbose_name=_("unit"),
    )
    lead = models.ForeignKey(
        Lead,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="viewings",
        verbose_name=_("lead"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="viewings",
        verbose_name=_("agent"),
        limit_choices_to=AGENT_CHOICES,
    )
    scheduled_at = models.DateTimeField(_("time"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ViewingStatus.choices,
        default=ViewingStatus.SCHEDULED,
        editable=False,
    )
    feedback = models.TextField(_("feedback"), blank=True)
    # Check-in on site from the agent's app (``viewing_check_in``): where the device was and
    # when, and how far that was from the unit (null when the unit has no location).
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, editable=False)
    check_in_location = models.PointField(
        _("check-in location"), srid=4326, null=True, blank=True, editable=False
    )
    check_in_distance_m = models.PositiveIntegerField(
        _("distance from the unit at check-in (m)"), null=True, blank=True, editable=False
    )

    assignment_fields = ("agent",)
    scope_parents = (AGENT_BRANCH,)

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("viewing")
        verbose_name_plural = _("viewings")

    def __str__(self):
        return f"{self.unit} – {self.client} ({self.scheduled_at:%Y-%m-%d %H:%M})"


# Direct foreign-key guardian tables: scoped lists filter on an indexed integer.


class ClientUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Client, on_delete=models.CASCADE)


class ClientGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Client, on_delete=models.CASCADE)


class LeadUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Lead, on_delete=models.CASCADE)


class LeadGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Lead, on_delete=models.CASCADE)


class ViewingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Viewing, on_delete=models.CASCADE)


class ViewingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Viewing, on_delete=models.CASCADE)
