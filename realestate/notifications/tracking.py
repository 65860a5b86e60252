"""The e-mail provider's delivery events (django-anymail's tracking webhook): a sent e-mail
that bounced or was rejected is marked bounced in the delivery log, with the reason, for staff
to mend the address and send it again."""

from __future__ import annotations

from django.utils import timezone

from realestate.notifications.choices import DELIVERY_FLOW, Channel, DeliveryStatus
from realestate.notifications.models import Delivery

BOUNCE_EVENTS = {"bounced", "rejected", "failed"}


def email_bounced(*, message_id: str, reason: str = "") -> int:
    """Mark the sent e-mail with the provider's ``message_id`` bounced; returns how many
    deliveries changed (0 for an id not ours, or one already bounced)."""
    if not message_id or not DELIVERY_FLOW.can(DeliveryStatus.SENT, DeliveryStatus.BOUNCED):
        return 0
    return Delivery.objects.filter(
        channel=Channel.EMAIL, provider_id=message_id, status=DeliveryStatus.SENT
    ).update(
        status=DeliveryStatus.BOUNCED,
        error=(reason or "The e-mail bounced.")[:2000],
        updated_at=timezone.now(),
    )


def on_tracking(sender, event, esp_name, **kwargs):
    """Receiver of ``anymail.signals.tracking``."""
    if event.event_type not in BOUNCE_EVENTS:
        return
    reason = " ".join(
        part
        for part in (event.reject_reason or "", event.description or "", event.mta_response or "")
        if part
    )
    email_bounced(
        message_id=str(event.message_id or ""), reason=f"{esp_name}: {reason}".strip(": ")
    )
