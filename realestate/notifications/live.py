"""Live updates over WebSockets (Django Channels): what a signed-in person's open pages hear.

Each connection of a user (``consumers.NotificationConsumer`` at ``/ws/notifications/``)
joins the user's group; this module sends to those groups, after commit, so nobody hears of
a message that is rolled back:

- ``unread``: the user's unread count, and the newest notification when one was written
  (``notifications_changed``, called by ``services.notify_many`` and
  ``services.notification_mark_read``). Set-based: the counts and newest items of every
  affected user in two queries, then one ``group_send`` per user.
- ``progress``: a long job's progress (``core.models.ProgressModel``: imports, exports, batches
  of PDFs) to the user who asked for it, so progress bars move without polling (they still
  poll, slowly, as a fallback): ``core.live.progress_publish`` (core imports no other app),
  through the same groups and transport (``core.live``).

With ``REDIS_URL`` the channel layer is Redis (pub/sub), so a job process or a shell reaches
the browsers of the web processes; without it the layer is in memory and only the web process
that wrote the message reaches its own connections (the pages fall back to polling).

Publishing never fails the caller: a channel layer that is down is logged and skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max
from django.urls import NoReverseMatch, reverse

from realestate.core.live import channel_layer, cross_process, send, user_group

__all__ = [
    "admin_link",
    "cross_process",
    "item_json",
    "notifications_changed",
    "record_label",
    "unread_publish",
    "user_group",
]

#: Newest items rendered on the spot (their title) for at most this many users in one
#: publish; past that (a reminder job writing to thousands) the stored title or the kind.
RENDER_LIMIT = 50


def record_label(content_type_id: int | None) -> str:
    """``app_label.model`` of a notification's record, or empty."""
    if not content_type_id:
        return ""
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def admin_link(notification) -> str:
    """Where the staff notification centre sends the reader: the message's own link, else
    the record's admin page, else nowhere."""
    if notification.link:
        return notification.link
    if not notification.content_type_id or not notification.object_id:
        return ""
    content_type = ContentType.objects.get_for_id(notification.content_type_id)
    try:
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change",
            args=[notification.object_id],
        )
    except NoReverseMatch:
        return ""


def item_json(notification, *, render: bool = True) -> dict:
    """A notification as the bell and the API's live messages show it."""
    from realestate.notifications.rendering import in_app_texts

    if render:
        title, body = in_app_texts(notification)
    else:
        title = notification.title or str(notification.get_kind_display())
        body = notification.body
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": title,
        "body": body,
        "link": admin_link(notification),
        "record_type": record_label(notification.content_type_id),
        "record_id": notification.object_id,
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


def notifications_changed(user_ids: Iterable[int], *, newest: bool = True) -> None:
    """After the current transaction commits (at once outside one): tell each of
    ``user_ids`` their unread count (and, with ``newest``, their newest notification)."""
    ids = sorted({pk for pk in user_ids if pk})
    if not ids:
        return
    transaction.on_commit(lambda: unread_publish(ids, newest=newest), robust=True)


def unread_publish(user_ids: list[int], *, newest: bool = True) -> None:
    """Each user's unread count and newest notification to their group: one query for the
    counts, two for the newest items, then one ``group_send`` per user."""
    from realestate.notifications.models import Notification

    layer = channel_layer()
    if layer is None:
        return
    counts, items = {}, {}
    for start in range(0, len(user_ids), 5000):
        chunk = user_ids[start : start + 5000]
        mine = Notification.objects.filter(user_id__in=chunk, in_app=True)
        counts.update(
            mine.filter(read_at__isnull=True)
            .order_by()
            .values("user_id")
            .annotate(n=Count("pk"))
            .values_list("user_id", "n")
        )
        if newest:
            latest = mine.order_by().values("user_id").annotate(last=Max("pk"))
            render = len(user_ids) <= RENDER_LIMIT
            for notification in Notification.objects.filter(pk__in=latest.values("last")):
                items[notification.user_id] = item_json(notification, render=render)
    events = [
        (
            user_group(pk),
            {"type": "notifications.unread", "count": counts.get(pk, 0), "item": items.get(pk)},
        )
        for pk in user_ids
    ]
    send(events, layer)
