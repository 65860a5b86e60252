"""What the live-update tests share: a real Redis channel layer, and a message to write."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid

import pytest

from realestate.notifications import services
from realestate.notifications.choices import MessageKind

#: The database number the tests name (pub/sub ignores it; the unique prefix separates runs).
REDIS_DB = 9


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_server():
    """``redis://127.0.0.1:6379/<db>`` when a Redis answers there, else a throwaway
    redis-server on a free port; skipped only when neither is possible."""
    if _reachable("127.0.0.1", 6379):
        yield f"redis://127.0.0.1:6379/{REDIS_DB}"
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("Redis is unreachable on 127.0.0.1:6379 and redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            if _reachable("127.0.0.1", port):
                break
            time.sleep(0.1)
        else:
            pytest.skip("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/{REDIS_DB}"
    finally:
        server.terminate()
        server.wait(timeout=10)


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
