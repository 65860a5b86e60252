"""Writing notifications: in the business step's transaction, sent after commit.

``notify`` writes one message (a payment's receipt, a request assigned) to its recipients;
``notify_many`` writes many at once for the reminder jobs, set-based. Both write each message
with its deliveries (one per channel the recipient takes) in the caller's transaction, keyed
once per kind, step, recipient and record (a repeat writes nothing), and queue the dispatch job
after commit: a slow or failing provider never blocks or rolls back the business step, and a
rolled-back step leaves no message.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from realestate.notifications import live, preferences
from realestate.notifications.choices import Channel, DeliveryStatus
from realestate.notifications.models import Delivery, Notification

#: Rows per INSERT of ``notify_many``.
CHUNK = 2000


@dataclass
class Message:
    """One message to one recipient: a user (staff or portal), a client (its portal user, if
    any, gets the in-app and push; its e-mail and phone the rest), or both."""

    kind: str
    user_id: int | None = None
    client_id: int | None = None
    content_type_id: int | None = None
    object_id: int | None = None
    step: str = ""
    context: dict = field(default_factory=dict)
    link: str = ""
    language: str = "en"

    @property
    def key(self) -> str:
        who = f"c{self.client_id}" if self.client_id else f"u{self.user_id}"
        return f"{self.kind}|{self.step}|{who}|{self.content_type_id}:{self.object_id}"


def message_for(
    kind: str,
    *,
    record: Model | None = None,
    user=None,
    client=None,
    step: str = "",
    context: dict | None = None,
    link: str = "",
) -> Message:
    """A ``Message`` about ``record`` to ``user`` or ``client`` (a client with a portal login
    reaches that user too)."""
    if user is None and client is not None and client.portal_user_id:
        user = client.portal_user
    return Message(
        kind=kind,
        user_id=user.pk if user is not None else None,
        client_id=client.pk if client is not None else None,
        content_type_id=ContentType.objects.get_for_model(record).pk if record else None,
        object_id=record.pk if record is not None else None,
        step=str(step),
        context=context or {},
        link=link,
        language=getattr(user, "language", "") or "en",
    )


def notify(
    kind: str,
    *,
    record: Model | None = None,
    recipients=(),
    step: str = "",
    context: dict | None = None,
    link: str = "",
) -> int:
    """Write ``kind`` about ``record`` to each of ``recipients`` (users or clients). Returns
    how many messages were new."""
    from realestate.clients.models import Client

    messages = []
    for recipient in recipients:
        if recipient is None:
            continue
        if isinstance(recipient, Client):
            messages.append(
                message_for(
                    kind, record=record, client=recipient, step=step, context=context, link=link
                )
            )
        else:
            messages.append(
                message_for(
                    kind, record=record, user=recipient, step=step, context=context, link=link
                )
            )
    return notify_many(messages)


def _user_preferences(user_ids: set[int]) -> dict[int, dict]:
    from django.contrib.auth import get_user_model

    found = {}
    ids = sorted(user_ids)
    for start in range(0, len(ids), 10000):
        found.update(
            get_user_model()
            .objects.filter(pk__in=ids[start : start + 10000])
            .values_list("pk", "notification_preferences")
        )
    return found


def notify_many(messages: Iterable[Message]) -> int:
    """Write ``messages`` and their deliveries, set-based; a message whose key exists already
    is left as it is. Returns how many were new. Queues the dispatch after commit."""
    messages = list(messages)
    if not messages:
        return 0
    defaults = preferences.company_defaults()
    prefs = _user_preferences({m.user_id for m in messages if m.user_id})
    batch = uuid.uuid4()
    now = timezone.now()
    rows = []
    for message in messages:
        channels = preferences.channels_for(
            message.kind,
            has_user=bool(message.user_id),
            preferences=prefs.get(message.user_id),
            defaults=defaults,
        )
        if not channels:
            continue
        rows.append(
            Notification(
                kind=message.kind,
                step=message.step,
                user_id=message.user_id,
                client_id=message.client_id,
                content_type_id=message.content_type_id,
                object_id=message.object_id,
                key=message.key,
                batch=batch,
                language=message.language,
                context=message.context,
                link=message.link,
                in_app=Channel.IN_APP in channels,
                created_at=now,
            )
        )
        rows[-1]._channels = channels
    with transaction.atomic():
        for start in range(0, len(rows), CHUNK):
            Notification.objects.bulk_create(
                rows[start : start + CHUNK], ignore_conflicts=True, batch_size=CHUNK
            )
        created = _deliveries_write(batch, {row.key: row._channels for row in rows}, now)
        if created:
            transaction.on_commit(dispatch_soon)
            live.notifications_changed(row.user_id for row in rows if row.in_app)
    return created


def _deliveries_write(batch, channels_by_key: dict[str, tuple[str, ...]], now) -> int:
    """One delivery per channel of each notification this batch wrote (not of those whose
    key was there already: they kept their own batch)."""
    new = Notification.objects.filter(batch=batch).values_list("pk", "key")
    count = 0
    deliveries = []
    for pk, key in new.iterator(chunk_size=CHUNK):
        count += 1
        for channel in channels_by_key[key]:
            deliveries.append(
                Delivery(
                    notification_id=pk,
                    channel=channel,
                    status=DeliveryStatus.QUEUED,
                    next_attempt_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
        if len(deliveries) >= CHUNK:
            Delivery.objects.bulk_create(deliveries, batch_size=CHUNK)
            deliveries = []
    if deliveries:
        Delivery.objects.bulk_create(deliveries, batch_size=CHUNK)
    return count


def dispatch_soon() -> None:
    """Queue the dispatch job (after commit); the scheduled run picks up anything missed."""
    from django.conf import settings

    if getattr(settings, "NOTIFICATIONS_DISPATCH_INLINE", False):
        from realestate.notifications.dispatch import deliveries_dispatch

        deliveries_dispatch()
        return
    try:
        from django_q.tasks import async_task

        async_task(
            "realestate.notifications.dispatch.deliveries_dispatch",
            task_name="notifications-dispatch",
            group="notifications",
        )
    except Exception:  # noqa: BLE001 - the broker being down loses nothing: the schedule runs
        import logging

        logging.getLogger(__name__).warning(
            "Could not queue the notification dispatch; the scheduled run will send them.",
            exc_info=True,
        )


def notification_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications read (``ids`` of theirs, or all). Returns how many."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    marked = unread.update(read_at=timezone.now())
    if marked:
        live.notifications_changed([user.pk], newest=False)
    return marked


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def uses_row_locks() -> bool:
    return connection.vendor == "postgresql"
