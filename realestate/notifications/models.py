"""Notifications: one message to one person about one record and step, and its deliveries.

- ``Notification``: a message to a person (a user, or a client without a login), about a record
  and a step ("7 days before", "30 days past due"): its kind, the data its templates render
  (``context``, plain JSON) and, for the notification centre, its rendered title and body and
  when it was read. ``key`` is unique per kind, step, recipient and record, so however often or
  late a job runs, or two run at once, a message is written once.
- ``Delivery``: the message on one channel (in-app, e-mail, SMS, push): the address it went
  to, its status, attempts, the provider's id and the last error. Written in the same
  transaction as the notification; sent after commit by the dispatch job, retried with backoff.
- ``MessageTemplate``: the subject and body staff edit, per kind, channel and language,
  rendered in the document templates' sandbox.
- ``KindSetting``: the company's default channels per kind of message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from realestate.core.models import TimeStampedModel
from realestate.documents.choices import Language
from realestate.notifications.choices import Channel, DeliveryStatus, MessageKind


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The notification centre of ``user``: their in-app notifications."""
        return self.filter(user=user, in_app=True)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    step = models.CharField(_("step"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("user"),
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("client"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    #: ``kind|step|recipient|record``: one message per recipient, record and step.
    key = models.CharField(max_length=200, unique=True)
    #: Which insert wrote it (``services.notify_many`` writes deliveries for its own rows).
    batch = models.UUIDField(db_index=True, editable=False)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    #: Plain data; Decimal amounts and dates are kept as their text (2500.00, 2027-01-31).
    context = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    #: Shown in the notification centre (a user with in-app on for this kind).
    in_app = models.BooleanField(_("in-app"), default=False)
    title = models.CharField(_("title"), max_length=255, blank=True)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(in_app=True),
                name="notification_centre",
            ),
            models.Index(
                fields=["user"],
                condition=Q(in_app=True, read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["content_type", "object_id"], name="notification_record"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(client__isnull=False),
                name="notification_has_recipient",
            )
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.step}".strip()

    @property
    def recipient_label(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.username
        return str(self.client)


class Delivery(TimeStampedModel):
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    #: The e-mail address, phone number or device push token it went to (filled when sent).
    address = models.CharField(_("to"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=255, blank=True)
    error = models.TextField(_("last error"), blank=True)
    #: The dispatch run sending it now (``dispatch.deliveries_claim``), until its lease ends.
    claim = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_one_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.notification}"


class MessageTemplate(TimeStampedModel):
    """Subject and body of one kind of message on one channel in one language. The body is a
    document-template body (the sandbox's tags and filters) over the kind's placeholders."""

    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    subject = models.CharField(
        _("subject"),
        max_length=255,
        blank=True,
        help_text=_("E-mail subject, push and in-app title. Placeholders allowed."),
    )
    body = models.TextField(_("body"))

    class Meta:
        ordering = ["kind", "channel", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "channel", "language"], name="message_template_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.get_channel_display()} ({self.language})"


class KindSetting(TimeStampedModel):
    """The company's default channels for one kind of message; a person's own choice for the
    kind's topic wins over it (not for a legal notice's in-app and e-mail)."""

    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices, unique=True)
    in_app = models.BooleanField(_("in-app"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=False)
    push = models.BooleanField(_("push"), default=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("company default")
        verbose_name_plural = _("company defaults")

    def __str__(self):
        return self.get_kind_display()

    def channels(self) -> tuple[str, ...]:
        return tuple(channel for channel in Channel.values if getattr(self, channel))
