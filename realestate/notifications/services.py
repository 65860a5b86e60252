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


def notify_many(messages: Iterable[Message], *, records_new: bool = False) -> int:
    """Write ``messages`` and their deliveries, set-based; a message whose key exists already
    is left as it is. Returns how many were new. Queues the dispatch after commit.

    Messages are grouped by the channels they take, each group under a batch id of its own:
    a group's deliveries are then one ``INSERT … SELECT`` per channel over the notifications
    that group's insert wrote (not those whose key was there already: they keep their own
    batch), and no row comes back through Python.

    ``records_new``: the messages are about records this transaction just wrote (a rent
    run's invoices), so no key can exist yet: the look-up is skipped (a conflicting key would
    still be skipped by the insert)."""
    messages = list(messages) if records_new else _unsent(list(messages))
    if not messages:
        return 0
    defaults = preferences.company_defaults()
    prefs = _user_preferences({m.user_id for m in messages if m.user_id})
    now = timezone.now()
    groups: dict[tuple[str, ...], list[Message]] = {}
    for message in messages:
        channels = preferences.channels_for(
            message.kind,
            has_user=bool(message.user_id),
            preferences=prefs.get(message.user_id),
            defaults=defaults,
        )
        if channels:
            groups.setdefault(channels, []).append(message)
    created = 0
    with transaction.atomic():
        for channels, group in groups.items():
            batch = uuid.uuid4()
            _notifications_insert(group, batch=batch, in_app=Channel.IN_APP in channels, now=now)
            created += _deliveries_write(batch, channels, now)
        if created:
            transaction.on_commit(dispatch_soon)
            # Their unread counts (a repeated message wrote nothing, and a count sent again
            # is the same count).
            live.notifications_changed(
                message.user_id
                for channels, group in groups.items()
                if Channel.IN_APP in channels
                for message in group
            )
    return created


#: From this many messages at once, PostgreSQL takes them by ``COPY`` (see below).
COPY_FROM = 500
_COPIED = (
    "kind",
    "step",
    "user_id",
    "client_id",
    "content_type_id",
    "object_id",
    "key",
    "batch",
    "language",
    "context",
    "in_app",
    "title",
    "body",
    "link",
    "created_at",
)


def _notifications_insert(messages: list[Message], *, batch, in_app: bool, now) -> None:
    """Insert ``messages`` as notifications of ``batch``, skipping keys written already.

    Many at once on PostgreSQL go by ``COPY`` into a temporary table, then one ``INSERT …
    SELECT … ON CONFLICT (key) DO NOTHING`` in key order: Django's ``bulk_create`` spent
    most of a reminder run building its statement (escaping every value into arrays), where
    ``COPY`` streams the rows as they are."""
    if connection.vendor == "postgresql" and len(messages) >= COPY_FROM:
        _notifications_copy(messages, batch=batch, in_app=in_app, now=now)
        return
    rows = [
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
            in_app=in_app,
            created_at=now,
        )
        for message in messages
    ]
    for start in range(0, len(rows), CHUNK):
        Notification.objects.bulk_create(
            rows[start : start + CHUNK], ignore_conflicts=True, batch_size=CHUNK
        )


def _notifications_copy(messages: list[Message], *, batch, in_app: bool, now) -> None:

    from django.core.serializers.json import DjangoJSONEncoder

    quote = connection.ops.quote_name
    table = quote(Notification._meta.db_table)
    columns = ", ".join(quote(Notification._meta.get_field(name).column) for name in _COPIED)
    encode = DjangoJSONEncoder().encode
    with connection.cursor() as cursor:
        # Dropped at the end of the transaction; emptied after each use within it.
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS notification_incoming ON COMMIT DROP AS "
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY notification_incoming ({columns}) FROM STDIN") as copy:
            for m in messages:
                copy.write_row(
                    (
                        m.kind,
                        m.step,
                        m.user_id,
                        m.client_id,
                        m.content_type_id,
                        m.object_id,
                        m.key,
                        batch,
                        m.language,
                        encode(m.context),
                        in_app,
                        "",
                        "",
                        m.link,
                        now,
                    )
                )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM notification_incoming "
            "ORDER BY key ON CONFLICT (key) DO NOTHING"
        )
        cursor.execute("TRUNCATE notification_incoming")


def _unsent(messages: list[Message]) -> list[Message]:
    """``messages`` but those whose key is written already, looked up on the key's unique
    index (a job that runs again reads its candidates, not a failed insert, for each).
    Two writers racing past this check still write each key once: the insert skips a
    conflicting key."""
    keys = [message.key for message in messages]
    sent = set()
    for start in range(0, len(keys), CHUNK):
        sent.update(
            Notification.objects.filter(key__in=keys[start : start + CHUNK])
            .order_by()
            .values_list("key", flat=True)
        )
    return [message for message in messages if message.key not in sent] if sent else messages


def _deliveries_write(batch, channels: tuple[str, ...], now) -> int:
    """One delivery per channel of each notification the insert of ``batch`` wrote, by an
    ``INSERT … SELECT`` per channel. Returns how many notifications that batch wrote."""
    from django.db import connections
    from django.db.models import CharField, DateTimeField, F, IntegerField, Value

    connection = connections[Delivery.objects.db]
    quote = connection.ops.quote_name
    written = 0
    for index, channel in enumerate(channels):
        columns = {
            "notification": F("pk"),
            "channel": Value(channel, output_field=CharField()),
            "address": Value("", output_field=CharField()),
            "status": Value(DeliveryStatus.QUEUED, output_field=CharField()),
            "attempts": Value(0, output_field=IntegerField()),
            "next_attempt_at": Value(now, output_field=DateTimeField()),
            "provider_id": Value("", output_field=CharField()),
            "error": Value("", output_field=CharField()),
            "created_at": Value(now, output_field=DateTimeField()),
            "updated_at": Value(now, output_field=DateTimeField()),
        }
        aliases = {name: f"new_{name}" for name in columns}
        select = (
            Notification.objects.filter(batch=batch)
            .order_by()
            .annotate(**{aliases[name]: value for name, value in columns.items()})
            .values(*aliases.values())
        )
        sql, params = select.query.sql_with_params()
        targets = ", ".join(quote(Delivery._meta.get_field(name).column) for name in columns)
        picked = ", ".join(f"q.{quote(alias)}" for alias in aliases.values())
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(Delivery._meta.db_table)} ({targets}) "
                f"SELECT {picked} FROM ({sql}) q",
                params,
            )
            if index == 0:
                written = cursor.rowcount
    return written


#: The dispatch job (``dispatch.deliveries_dispatch``), queued by its path.
DISPATCH_TASK = "realestate.notifications.dispatch.deliveries_dispatch"


def dispatch_soon() -> None:
    """Queue the dispatch job (after commit); the scheduled run picks up anything missed."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    if getattr(settings, "NOTIFICATIONS_DISPATCH_INLINE", False):
        # By its task path, as the cluster runs it (dispatch builds on this module).
        import_string(DISPATCH_TASK)()
        return
    try:
        from django_q.tasks import async_task

        async_task(
            DISPATCH_TASK,
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
