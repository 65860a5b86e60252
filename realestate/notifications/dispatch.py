"""Sending queued deliveries: the dispatch job, its claims, retries and backoff.

A run claims a batch of due deliveries with one conditional UPDATE (status queued, due now,
unclaimed or with a lapsed claim): two runs at once, on either database, never claim the same
delivery. Each claimed delivery is rendered and handed to its channel's backend outside any
transaction; the outcome is one UPDATE. A passing failure leaves it queued for a later attempt
(``NOTIFICATION_RETRY_SECONDS``: 1 min, 5 min, 30 min, 2 h); after the last attempt it is
failed and shows in the admin's delivery log. A worker that dies mid-send leaves its claim to
lapse after ``CLAIM_SECONDS``, and the delivery is tried again (at least once, never lost).
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from realestate.notifications.backends import PermanentFailure, backend_for
from realestate.notifications.choices import KIND_SPECS, Channel, DeliveryStatus
from realestate.notifications.models import Delivery, Notification
from realestate.notifications.rendering import Rendered, TemplateProblem, message_render

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300
BATCH = 200
DEFAULT_RETRY_SECONDS = (60, 300, 1800, 7200)


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "NOTIFICATION_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))


def max_attempts() -> int:
    return len(retry_delays()) + 1


def deliveries_claim(limit: int = BATCH) -> list[Delivery]:
    """Claim up to ``limit`` due deliveries for this run."""
    now = timezone.now()
    claim = uuid.uuid4()
    due = Delivery.objects.filter(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    # The condition is checked again row by row as the UPDATE runs: a delivery another run
    # claimed meanwhile is due later now, and is left out.
    Delivery.objects.filter(
        pk__in=ids, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
    ).update(claim=claim, next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    return list(
        Delivery.objects.filter(claim=claim)
        .select_related("notification", "notification__user", "notification__client")
        .order_by("pk")
    )


def address_for(delivery: Delivery) -> str:
    """Where ``delivery`` goes: the client's e-mail or phone (else the user's), the user's
    push tokens; empty when there is none."""
    notification = delivery.notification
    user, client = notification.user, notification.client
    if delivery.channel == Channel.EMAIL:
        return (client.email if client else "") or (user.email if user else "")
    if delivery.channel == Channel.SMS:
        return (client.phone if client else "") or (user.phone if user else "")
    if delivery.channel == Channel.PUSH:
        if not user:
            return ""
        return ",".join(user.devices.order_by("pk").values_list("push_token", flat=True))
    if delivery.channel == Channel.IN_APP:
        return user.username if user else ""
    return ""


def attachments_for(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The PDF of the record a message is about (a receipt, an invoice, a statement): its
    filed document's current version, generated and filed first when there is none."""
    kind = KIND_SPECS[notification.kind].attachment
    if not kind or not notification.content_type_id:
        return []
    from realestate.documents.generation import document_generate
    from realestate.documents.kinds import kind_for
    from realestate.documents.models import Document

    spec = kind_for(kind)
    if notification.content_type.model_class() is not spec.model:
        return []
    record = spec.model.objects.filter(pk=notification.object_id).first()
    if record is None:
        return []
    document = (
        Document.objects.filter(
            content_type_id=notification.content_type_id,
            object_id=notification.object_id,
            kind=spec.document_kind,
        )
        .order_by("-updated_at")
        .first()
    )
    version = document.versions.order_by("-number").first() if document else None
    if version is None:
        version = document_generate(record=record, kind=kind)
    with version.file.open("rb") as handle:
        content = handle.read()
    name = version.original_name or f"{kind}.pdf"
    return [(name, content, version.content_type or "application/pdf")]


def delivery_send(delivery: Delivery) -> str:
    """Send one claimed delivery; returns its new status."""
    address = address_for(delivery)
    if not address:
        _finish(delivery, DeliveryStatus.SKIPPED, error="No address for this channel.")
        return DeliveryStatus.SKIPPED
    attempt = delivery.attempts + 1
    try:
        rendered: Rendered = message_render(delivery.notification, delivery.channel)
        if delivery.channel == Channel.EMAIL:
            rendered.attachments = attachments_for(delivery.notification)
        provider_id = backend_for(delivery.channel).send(delivery, rendered, address)
    except (PermanentFailure, TemplateProblem) as error:
        _finish(
            delivery,
            DeliveryStatus.FAILED,
            address=address,
            attempts=attempt,
            error=str(error) or type(error).__name__,
        )
        return DeliveryStatus.FAILED
    except Exception as error:  # noqa: BLE001 - a provider's failure is retried, not raised
        logger.warning("Delivery %s failed (attempt %s)", delivery.pk, attempt, exc_info=True)
        message = f"{type(error).__name__}: {error}"[:2000]
        if attempt >= max_attempts():
            _finish(
                delivery, DeliveryStatus.FAILED, address=address, attempts=attempt, error=message
            )
            return DeliveryStatus.FAILED
        delay = retry_delays()[attempt - 1]
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempt,
            address=address[:255],
            error=message,
            claim=None,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            updated_at=timezone.now(),
        )
        return DeliveryStatus.QUEUED
    _finish(
        delivery,
        DeliveryStatus.SENT,
        address=address,
        attempts=attempt,
        provider_id=provider_id or "",
    )
    return DeliveryStatus.SENT


def _finish(
    delivery: Delivery,
    status: str,
    *,
    address: str = "",
    attempts: int | None = None,
    error: str = "",
    provider_id: str = "",
) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        address=address[:255],
        attempts=delivery.attempts if attempts is None else attempts,
        error=error,
        provider_id=provider_id[:255],
        sent_at=now if status == DeliveryStatus.SENT else None,
        next_attempt_at=None,
        claim=None,
        updated_at=now,
    )


def deliveries_dispatch(max_batches: int = 50) -> str:
    """Send what is due, a batch at a time (the job; safe to run twice or concurrently)."""
    counts: dict[str, int] = {}
    for _ in range(max_batches):
        claimed = deliveries_claim()
        if not claimed:
            break
        for delivery in claimed:
            status = delivery_send(delivery)
            counts[status] = counts.get(status, 0) + 1
    return (
        ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing due"
    )


def delivery_requeue(delivery: Delivery) -> None:
    """Staff send a failed, bounced or skipped delivery again (the admin's action)."""
    from realestate.notifications.choices import DELIVERY_FLOW

    if not DELIVERY_FLOW.can(delivery.status, DeliveryStatus.QUEUED):
        from django.core.exceptions import ValidationError

        raise ValidationError(f"A {delivery.get_status_display().lower()} delivery is not re-sent.")
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.QUEUED,
        attempts=0,
        claim=None,
        next_attempt_at=timezone.now(),
        updated_at=timezone.now(),
    )
    from realestate.notifications.services import dispatch_soon

    dispatch_soon()
