from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.gis.db import models
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from realestate.core.models import TimeStampedModel


class User(AbstractUser):
    """Staff log in to the admin; owners, tenants and field agents use the API."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]
        permissions = [
            ("export_personal_data",
             "Can export personal data (clients, leads, viewings, staff)"),
            ("manage_grants", "Can grant or withdraw single records to users and groups"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Branch(TimeStampedModel):
    """An office of the company."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=80)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    location = models.PointField(_("location"), srid=4326, null=True, blank=True)
    manager = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="managed_branches", verbose_name=_("branch manager"),
        limit_choices_to={"is_staff": True},
        help_text=_("Sees and manages every record assigned to the branch's agents."),
    )

    #: The branch manager's grants follow this field (a sales manager's branch).
    assignment_fields = ("manager",)
    #: Changing it hands out access: only those who may manage grants can (see core.admin).
    grant_fields = ("manager",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self):
        return self.name


class Agent(TimeStampedModel):
    """The sales profile of a staff user: branch, licence, commission and territory."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="agent_profile", verbose_name=_("user")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="agents", verbose_name=_("branch")
    )
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    licence_expiry = models.DateField(_("licence expiry"), null=True, blank=True)
    commission_rate = models.DecimalField(
        _("default commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("2.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    territory = models.PolygonField(_("territory"), srid=4326, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self):
        return str(self.user)


class RolePolicy(models.Model):
    """Security policy of a role (a Django group): whether its members must use 2FA."""

    group = models.OneToOneField(
        "auth.Group", on_delete=models.CASCADE, related_name="policy", verbose_name=_("role")
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Members must enrol an authenticator app before using the admin."),
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self):
        return str(self.group)
