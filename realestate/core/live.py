"""Live updates' transport: messages to a signed-in user's open pages over the WebSocket
(Django Channels; the consumer and the notifications' messages are in
``realestate.notifications``).

Each connection of a user joins the user's group (``user_group``); ``send`` hands messages to
groups, ``progress_publish`` a long job's progress (``core.models.ProgressModel``) to the user
who asked for it, after commit. Publishing never fails the caller: a channel layer that is
down is logged and skipped (the pages poll as a fallback).
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import async_to_sync
from django.db import transaction

logger = logging.getLogger(__name__)

#: Concurrent ``group_send`` calls in one publish.
CONCURRENCY = 100


def user_group(user_id: int) -> str:
    """The group of ``user_id``'s connections (any page, any device)."""
    return f"user.{user_id}"


def channel_layer():
    """The configured channel layer, or None (live updates off)."""
    from channels.layers import get_channel_layer

    try:
        return get_channel_layer()
    except Exception:  # noqa: BLE001 - a misconfigured layer loses live updates only
        logger.warning("No channel layer: live updates are off.", exc_info=True)
        return None


def cross_process(layer) -> bool:
    """Whether ``layer`` carries messages between processes (Redis), so that what a job
    writes reaches the web process's sockets; the in-memory layer does not."""
    from channels.layers import InMemoryChannelLayer

    return layer is not None and not isinstance(layer, InMemoryChannelLayer)


def send(events: list[tuple[str, dict]], layer=None) -> None:
    """``(group, message)`` pairs to the channel layer, at once (call it after commit)."""
    layer = layer if layer is not None else channel_layer()
    if layer is None or not events:
        return
    try:
        async_to_sync(_send_all)(layer, events)
    except Exception:  # noqa: BLE001 - the pages poll; the business step stands
        logger.warning("Could not publish %s live update(s).", len(events), exc_info=True)


async def _send_all(layer, events: list[tuple[str, dict]]) -> None:
    for start in range(0, len(events), CONCURRENCY):
        chunk = events[start : start + CONCURRENCY]
        await asyncio.gather(*(layer.group_send(group, event) for group, event in chunk))


def progress_publish(progress) -> None:
    """A ``ProgressModel``'s numbers to the user who asked for the work, after commit."""
    owner_id = getattr(progress, f"{progress.progress_owner_field}_id", None)
    if not owner_id or progress.pk is None:
        return
    event = {
        "type": "progress.update",
        "key": progress.progress_key,
        "progress": progress.progress_json(),
    }
    transaction.on_commit(lambda: send([(user_group(owner_id), event)]), robust=True)
