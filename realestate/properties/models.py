from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from realestate.core.assignments import AgentFieldsMixin
from realestate.core.models import TimeStampedModel
from realestate.core.money import MONEY
from realestate.core.querysets import AGENT_BRANCH
from realestate.core.uploads import PhotoField
from realestate.properties.choices import ProjectStatus, UnitPurpose, UnitStatus, UnitType


def property_manager(related_name: str, help_text) -> models.ForeignKey:
    """The staff member managing a project or building: their grants on it reach everything
    under it (see ``scope_parents``), and follow this field when it changes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("property manager"),
        limit_choices_to={"is_staff": True},
        help_text=help_text,
    )


class Project(TimeStampedModel):
    """An off-plan or completed development."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=160)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING
    )
    city = models.CharField(_("city"), max_length=80)
    address = models.CharField(_("address"), max_length=255, blank=True)
    location = models.PointField(_("location"), srid=4326)
    boundary = models.PolygonField(_("boundary"), srid=4326, null=True, blank=True)
    launch_date = models.DateField(_("launch date"), null=True, blank=True)
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    manager = property_manager(
        "managed_projects",
        _(
            "Sees and manages the project and everything in it: buildings, units, leases, "
            "maintenance."
        ),
    )

    #: The property manager's grants follow this field (a leasing manager's portfolio).
    assignment_fields = ("manager",)
    #: Changing it hands out access: only those who may manage grants can (see core.admin).
    grant_fields = ("manager",)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return self.name

    def clean(self):
        if self.launch_date and self.handover_date and self.handover_date < self.launch_date:
            raise ValidationError({"handover_date": _("Handover cannot come before launch.")})


class Building(TimeStampedModel):
    """A block or tower inside a project."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("project")
    )
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    floors = models.PositiveSmallIntegerField(_("floors"), default=1)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    manager = property_manager(
        "managed_buildings",
        _("Sees and manages the building and everything in it: units, leases, maintenance."),
    )

    assignment_fields = ("manager",)
    grant_fields = ("manager",)
    scope_parents = ("project",)

    class Meta:
        ordering = ["project__name", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")

    def __str__(self):
        return f"{self.name} ({self.project.code})"


class Amenity(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("amenity")
        verbose_name_plural = _("amenities")

    def __str__(self):
        return self.name


class Unit(AgentFieldsMixin, TimeStampedModel):
    """The thing sold or let. May stand alone, without a project."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("project"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("building"),
    )
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=UnitPurpose.choices, default=UnitPurpose.SALE
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=UnitStatus.choices,
        default=UnitStatus.AVAILABLE,
        db_index=True,
        editable=False,
    )
    #: From the basements (-10) to the tallest towers' floors (250): a floor past them is a
    #: typing slip, refused with its name on every database (SQLite would store any number).
    floor = models.SmallIntegerField(
        _("floor"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-10), MaxValueValidator(250)],
    )
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), default=0)
    bathrooms = models.PositiveSmallIntegerField(_("bathrooms"), default=0)
    area_sqm = models.DecimalField(
        _("area (m²)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    list_price = models.DecimalField(
        _("list price"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    monthly_rent = models.DecimalField(
        _("monthly rent"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    currency = models.CharField(_("currency"), max_length=3, default=settings.DEFAULT_CURRENCY)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    owner = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_units",
        verbose_name=_("owner"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_units",
        verbose_name=_("assigned agent"),
        limit_choices_to={"is_staff": True},
    )
    amenities = models.ManyToManyField(Amenity, blank=True, verbose_name=_("amenities"))
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    #: Grants on these follow the assignee (see realestate.core.assignments).
    assignment_fields = ("agent",)
    scope_parents = ("building", "project", AGENT_BRANCH)
    #: The owner sees their units in the app.
    portal_scope = ("owner__portal_user",)

    #: Records of this kind carry documents (realestate.documents).
    takes_documents = True

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["status", "unit_type"]),
            models.Index(fields=["list_price"]),
            models.Index(fields=["agent", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(list_price__gte=0) | models.Q(list_price__isnull=True),
                name="unit_list_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(monthly_rent__gte=0) | models.Q(monthly_rent__isnull=True),
                name="unit_monthly_rent_not_negative",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("admin:properties_unit_change", args=[self.pk])

    def clean(self):
        errors = {}
        if self.building_id:
            if self.project_id is None:
                self.project_id = self.building.project_id
            elif self.building.project_id != self.project_id:
                errors["building"] = _("This building belongs to another project.")
        if self.purpose in (UnitPurpose.SALE, UnitPurpose.BOTH) and self.list_price is None:
            errors["list_price"] = _("A unit for sale needs a list price.")
        if self.purpose in (UnitPurpose.RENT, UnitPurpose.BOTH) and self.monthly_rent is None:
            errors["monthly_rent"] = _("A unit for rent needs a monthly rent.")
        if self.building_id and self.floor is not None and self.floor > self.building.floors:
            errors["floor"] = _("The building has only %(floors)s floors.") % {
                "floors": self.building.floors
            }
        if errors:
            raise ValidationError(errors)

    @property
    def latitude(self):
        return self.location.y if self.location else None

    @property
    def longitude(self):
        return self.location.x if self.location else None


def unit_photo_path(instance, filename):
    return f"units/{instance.unit_id}/photos/{filename}"


class UnitPhoto(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="photos")
    image = PhotoField(_("image"), upload_to=unit_photo_path)
    caption = models.CharField(_("caption"), max_length=160, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    #: Whoever may see the unit may see its photos (see core.files).
    file_owner = "unit"

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


def grant_location() -> models.PointField:
    """The granted unit's location, copied onto the grant by the database (triggers of
    ``properties/0007``: on a grant's insert, and on every grant of a unit when the unit
    moves), never by Django: a ``near`` or ``in_bbox`` search of a user whose scope is their
    unit grants starts from the grants inside the circle (``restrict(narrow=...)``), through the
    index on (user or group, location), not from every grant of theirs."""
    return models.PointField(
        _("location"), srid=4326, null=True, blank=True, editable=False, spatial_index=False
    )


def grant_unit_code() -> models.CharField:
    """The granted unit's code, copied onto the grant by the database (triggers of
    ``properties/0008``, as the location): a field agent's unit list, in code order, starts
    from their first grants by code (``core.permissions.FirstGrants``), through the index on
    (user or group, code), not from the first units of the whole inventory."""
    return models.CharField(_("unit code"), max_length=40, null=True, blank=True, editable=False)


class UnitUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key grants: the scoped unit list filters on an indexed integer."""

    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)
    location = grant_location()
    unit_code = grant_unit_code()


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)
    location = grant_location()
    unit_code = grant_unit_code()


class InventorySnapshot(models.Model):
    """Counts of units by status on one day, taken by the nightly job."""

    taken_on = models.DateField(_("date"), unique=True)
    total = models.PositiveIntegerField(_("units"))
    by_status = models.JSONField(_("units by status"), default=dict)
    taken_at = models.DateTimeField(_("taken at"), auto_now=True)

    class Meta:
        ordering = ["-taken_on"]
        verbose_name = _("inventory snapshot")
        verbose_name_plural = _("inventory snapshots")

    def __str__(self):
        return f"{self.taken_on}: {self.total} units"
