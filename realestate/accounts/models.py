from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password, make_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from realestate.accounts.choices import DevicePlatform, NotificationTopic
from realestate.core.models import TimeStampedModel
from realestate.core.permissions import can_manage_grants

NOTIFICATION_CHANNELS = ("in_app", "email", "sms", "push")
#: The languages messages are written in (as ``documents.choices.Language``'s single ones).
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]


def notification_preferences_validate(value) -> None:
    """``{topic: true|false}`` (every channel) or ``{topic: {channel: true|false}}`` over
    ``NotificationTopic`` and the channels, naming what is wrong."""
    if not isinstance(value, dict):
        raise ValidationError(_("Expected an object of topics, each true or false."))
    unknown = sorted(set(value) - set(NotificationTopic.values))
    if unknown:
        raise ValidationError(
            _("Unknown topic %(topic)s: topics are %(topics)s.")
            % {"topic": unknown[0], "topics": ", ".join(NotificationTopic.values)}
        )
    for topic, on in value.items():
        if isinstance(on, dict):
            wrong = sorted(set(on) - set(NOTIFICATION_CHANNELS))
            if wrong:
                raise ValidationError(
                    _("%(topic)s: unknown channel %(channel)s: channels are %(channels)s.")
                    % {
                        "topic": topic,
                        "channel": wrong[0],
                        "channels": ", ".join(NOTIFICATION_CHANNELS),
                    }
                )
            for channel, flag in on.items():
                if not isinstance(flag, bool):
                    raise ValidationError(
                        _("%(topic)s.%(channel)s: expected true or false.")
                        % {"topic": topic, "channel": channel}
                    )
        elif not isinstance(on, bool):
            raise ValidationError(_("%(topic)s: expected true or false.") % {"topic": topic})


def notification_preferences_full(value: dict) -> dict[str, bool]:
    """Every topic with its setting: on unless turned off (for every channel)."""
    return {
        topic: any(value.get(topic).values())
        if isinstance(value.get(topic), dict)
        else bool(value.get(topic, True))
        for topic in NotificationTopic.values
    }


class UserQuerySet(models.QuerySet):
    def active_agents(self):
        """Users with an active agent profile: the only ones a sales record is assigned to."""
        return self.filter(agent_profile__is_active=True)

    def assignable_by(self, user, current_ids=(), *, agents_only=False):
        """Whom ``user`` may assign a record to (its ``assignment_fields``): assigning hands
        out the record's grants, so only administrators (``manage_grants``) choose anybody.
        Others choose among the agents of the branches they may change (a sales manager's),
        themselves if they are an agent, and whoever holds the record now (an unchanged form
        stays valid). ``agents_only`` (an agent field): administrators too choose among active
        agents."""
        active_agent = Q(agent_profile__is_active=True)
        current = Q(pk__in=list(current_ids)) if current_ids else None
        if can_manage_grants(user):
            if not agents_only:
                return self
            return self.filter((active_agent | current) if current else active_agent)
        branches = Branch.objects.restrict(user, "change")
        allowed = Q(agent_profile__branch__in=branches.values("pk")) & active_agent
        allowed |= Q(pk=user.pk) & active_agent
        if current:
            allowed |= current
        return self.filter(allowed)


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """Staff log in to the admin; owners, tenants and field agents use the API."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    #: Written into every API token; a password change or a deactivation adds one, so every
    #: token issued before stops working (realestate/accounts/api/authentication.py).
    token_generation = models.PositiveIntegerField(default=0, editable=False)
    #: ``{topic: bool}`` over ``NotificationTopic``; a topic not named is on.
    notification_preferences = models.JSONField(
        _("notification preferences"),
        default=dict,
        blank=True,
        validators=[notification_preferences_validate],
    )

    #: The language of the messages they get (``notifications.MessageTemplate``).
    language = models.CharField(_("language"), max_length=5, default="en", choices=LANGUAGES)

    objects = StaffUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]
        permissions = [
            ("export_personal_data", "Can export personal data (clients, leads, viewings, staff)"),
            ("manage_grants", "Can grant or withdraw single records to users and groups"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    # --- API token revocation ------------------------------------------------------------
    # set_password / set_unusable_password anywhere (admin forms, the user's own change,
    # a password reset, a shell) and is_active turning off end every token of the user on
    # the next save. A rehash of the same password at login (new hasher parameters) does not.

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self._password_replaced = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_replaced = True

    def check_password(self, raw_password):
        def rehash(raw):  # same password, stronger hash: the user's tokens stay valid
            self.password = make_password(raw)
            self.save(update_fields=["password"])

        return check_password(raw_password, self.password, rehash)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        revoke = self._ends_tokens(update_fields)
        # The generation is counted in the database: a save never writes back the value an
        # instance loaded earlier (that would bring revoked tokens back to life).
        counted = not self._state.adding and (update_fields is None or revoke)
        if counted:
            self.token_generation = models.F("token_generation") + (1 if revoke else 0)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "token_generation"}
        if update_fields is None or "password" in update_fields:
            self._password_replaced = False
        super().save(*args, **kwargs)
        if counted:
            self.refresh_from_db(fields=["token_generation"])

    def _ends_tokens(self, update_fields) -> bool:
        if self._state.adding:
            return False
        saved = type(self)._default_manager.filter(pk=self.pk)
        if getattr(self, "_password_replaced", False) and (
            update_fields is None or "password" in update_fields
        ):
            # A user who never had a usable password was never issued a token with one.
            before = saved.values_list("password", flat=True).first()
            if before and not before.startswith(UNUSABLE_PASSWORD_PREFIX):
                return True
        return (
            not self.is_active
            and (update_fields is None or "is_active" in update_fields)
            and saved.filter(is_active=True).exists()
        )


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
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_branches",
        verbose_name=_("branch manager"),
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


class Device(TimeStampedModel):
    """A phone (or browser) of a user that takes push notifications: its push token."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="devices", verbose_name=_("user")
    )
    platform = models.CharField(_("platform"), max_length=10, choices=DevicePlatform.choices)
    push_token = models.CharField(_("push token"), max_length=255, unique=True)
    name = models.CharField(_("name"), max_length=80, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self):
        return self.name or f"{self.get_platform_display()} {self.push_token[:12]}"
