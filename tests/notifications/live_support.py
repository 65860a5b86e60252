"""What the live-update tests share: a real Redis channel layer, and a message to write."""

from __future__ import annotations

import uuid

import pytest

from realestate.notifications import services
from realestate.notifications.choices import MessageKind
from tests.redis_support import reachable, throwaway_redis

#: The database number the tests name (pub/sub ignores it; the unique prefix separates runs).
REDIS_DB = 9


@pytest.fixture(scope="session")
def redis_server():
    """``redis://127.0.0.1:6379/<db>`` when a Redis answers there, else a throwaway
    redis-server on a free port; skipped only when neither is possible."""
    if reachable("127.0.0.1", 6379):
        yield f"redis://127.0.0.1:6379/{REDIS_DB}"
        return
    with throwaway_redis() as port:
        yield f"redis://127.0.0.1:{port}/{REDIS_DB}"


def redis_layers(url: str) -> dict:
    """``CHANNEL_LAYERS`` as settings make them with ``REDIS_URL`` (a prefix of this run's
    own: pub/sub channels are shared by every database of a Redis server)."""
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": f"test-{uuid.uuid4().hex[:12]}"},
        }
    }


@pytest.fixture
def redis_layer(settings, redis_server):
    settings.REDIS_URL = redis_server
    settings.CHANNEL_LAYERS = redis_layers(redis_server)
    return settings.CHANNEL_LAYERS


def lease_ending(user, unit, step="30") -> int:
    """A lease-ending notice about ``unit`` to ``user`` (a legal notice: always in-app)."""
    return services.notify(
        MessageKind.LEASE_ENDING,
        record=unit,
        recipients=[user],
        step=step,
        context={
            "name": user.get_full_name() or user.username,
            "lease": "LS-1",
            "unit": unit.code,
            "end_date": "2027-01-31",
            "days": step,
            "company": "Acme",
        },
    )
