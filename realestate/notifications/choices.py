"""What the product tells people: the channels, the kinds of message and the delivery states.

Each ``MessageKind`` has a ``KindSpec``: the preference topic a person switches it by
(``accounts.choices.NotificationTopic``), whether it is a legal notice (it reaches its
recipient by in-app and e-mail whatever their preferences say), the channels it takes when
nobody chose otherwise, and the document kind attached to its e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from realestate.accounts.choices import NotificationTopic
from realestate.core.choices import DANGER, GOOD, INFO, NEUTRAL, WARNING, Flow


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Push")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    SKIPPED = "skipped", _("Skipped")


#: queued → sent, or failed after the last attempt (an attempt that fails earlier leaves it
#: queued with a later ``next_attempt_at``); a sent e-mail may bounce later; staff may
#: re-queue a failed or bounced delivery from the admin. ``skipped``: no address to send to.
DELIVERY_FLOW = Flow(
    DeliveryStatus,
    transitions={
        DeliveryStatus.QUEUED: [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED],
        DeliveryStatus.SENT: [DeliveryStatus.BOUNCED],
        DeliveryStatus.FAILED: [DeliveryStatus.QUEUED],
        DeliveryStatus.BOUNCED: [DeliveryStatus.QUEUED],
        DeliveryStatus.SKIPPED: [DeliveryStatus.QUEUED],
    },
    colours={
        DeliveryStatus.QUEUED: INFO,
        DeliveryStatus.SENT: GOOD,
        DeliveryStatus.FAILED: DANGER,
        DeliveryStatus.BOUNCED: WARNING,
        DeliveryStatus.SKIPPED: NEUTRAL,
    },
)


class MessageKind(models.TextChoices):
    INSTALMENT_DUE = "instalment_due", _("Instalment due")
    RENT_INVOICE_ISSUED = "rent_invoice_issued", _("Rent invoice issued")
    OVERDUE_REMINDER = "overdue_reminder", _("Overdue reminder")
    PAYMENT_RECEIVED = "payment_received", _("Payment received")
    PAYMENT_REVERSED = "payment_reversed", _("Payment reversed")
    LEASE_ENDING = "lease_ending", _("Lease ending")
    LEASE_RENEWED = "lease_renewed", _("Lease renewed")
    RESERVATION_EXPIRING = "reservation_expiring", _("Reservation expiring")
    RESERVATION_EXPIRED = "reservation_expired", _("Reservation expired")
    FOLLOW_UP_DUE = "follow_up_due", _("Lead follow-up due")
    VIEWING_TOMORROW = "viewing_tomorrow", _("Viewing tomorrow")
    MAINTENANCE_RECEIVED = "maintenance_received", _("Maintenance request received")
    MAINTENANCE_ASSIGNED = "maintenance_assigned", _("Maintenance request assigned")
    MAINTENANCE_COMPLETED = "maintenance_completed", _("Maintenance request completed")
    STATEMENT_READY = "statement_ready", _("Owner statement ready")
    ID_DOCUMENT_EXPIRING = "id_document_expiring", _("Identity document expiring")


ALL_CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.SMS, Channel.PUSH)
APP_CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.PUSH)


@dataclass(frozen=True)
class KindSpec:
    topic: str
    #: A legal notice: in-app and e-mail always reach its recipient.
    legal: bool = False
    #: The channels it takes when neither the company nor the person chose otherwise.
    channels: tuple[str, ...] = APP_CHANNELS
    #: The document kind (``documents.kinds``) of the record attached to its e-mail.
    attachment: str = ""


T = NotificationTopic
KIND_SPECS: dict[str, KindSpec] = {
    MessageKind.INSTALMENT_DUE: KindSpec(T.INSTALMENTS, channels=ALL_CHANNELS),
    MessageKind.RENT_INVOICE_ISSUED: KindSpec(T.INVOICES, attachment="invoice"),
    MessageKind.OVERDUE_REMINDER: KindSpec(T.INVOICES, legal=True, channels=ALL_CHANNELS),
    MessageKind.PAYMENT_RECEIVED: KindSpec(T.PAYMENTS, attachment="receipt"),
    MessageKind.PAYMENT_REVERSED: KindSpec(T.PAYMENTS, legal=True),
    MessageKind.LEASE_ENDING: KindSpec(T.LEASES, legal=True),
    MessageKind.LEASE_RENEWED: KindSpec(T.LEASES),
    MessageKind.RESERVATION_EXPIRING: KindSpec(T.RESERVATIONS),
    MessageKind.RESERVATION_EXPIRED: KindSpec(T.RESERVATIONS),
    MessageKind.FOLLOW_UP_DUE: KindSpec(T.FOLLOW_UPS, channels=(Channel.IN_APP, Channel.PUSH)),
    MessageKind.VIEWING_TOMORROW: KindSpec(T.VIEWINGS, channels=ALL_CHANNELS),
    MessageKind.MAINTENANCE_RECEIVED: KindSpec(T.MAINTENANCE),
    MessageKind.MAINTENANCE_ASSIGNED: KindSpec(T.MAINTENANCE),
    MessageKind.MAINTENANCE_COMPLETED: KindSpec(T.MAINTENANCE),
    MessageKind.STATEMENT_READY: KindSpec(T.STATEMENTS, attachment="owner_statement"),
    MessageKind.ID_DOCUMENT_EXPIRING: KindSpec(T.DOCUMENTS, channels=(Channel.IN_APP,)),
}

if set(MessageKind.values) - set(KIND_SPECS):  # pragma: no cover - a kind without its spec
    raise RuntimeError(f"No KindSpec for {sorted(set(MessageKind.values) - set(KIND_SPECS))}")
