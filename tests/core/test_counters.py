"""Counters shared by every process (login lockout, API rate limits, logged-out tokens)."""

import threading
import time

import pytest
from django.db import connection

from realestate.core import counters
from realestate.core.access import EPOCH_KEY
from realestate.core.models import SharedCounter


@pytest.fixture
def clock(monkeypatch):
    """``clock.now``: the time the counters see, moved by hand."""

    class Clock:
        now = 1_000_000.0

    monkeypatch.setattr(counters.time, "time", lambda: Clock.now)
    return Clock


def exercise(clock):
    assert counters.peek("k").value == 0
    assert [counters.hit("k", 60).value for _ in range(3)] == [1, 2, 3]
    assert counters.peek("k").value == 3
    assert counters.hit("k", 60).expires_at == clock.now + 60

    clock.now += 30  # a fixed window keeps its end
    assert counters.hit("k", 60).expires_at == 1_000_000.0 + 60
    clock.now += 31  # ...and starts again once it has passed
    assert counters.peek("k").value == 0
    assert counters.hit("k", 60).value == 1

    counters.hit("s", 60, sliding=True)
    clock.now += 50  # a sliding window restarts from every hit
    assert counters.hit("s", 60, sliding=True).value == 2
    clock.now += 50
    assert counters.peek("s").value == 2
    assert counters.peek("s").expires_at == pytest.approx(clock.now + 10)

    counters.reset("k")
    assert counters.peek("k").value == 0
    assert counters.peek("s").value == 2


@pytest.mark.django_db
def test_database_counters(clock, settings):
    settings.REDIS_URL = ""
    exercise(clock)
    assert SharedCounter.objects.get(key="s").count == 2


@pytest.mark.django_db
def test_expired_rows_are_purged_now_and_then(monkeypatch, settings):
    settings.REDIS_URL = ""
    SharedCounter.objects.create(key="old", count=3, expires_at=time.time() - 1)
    monkeypatch.setattr(counters.random, "randrange", lambda n: 0)

    counters.hit("new", 60)

    # The access epoch's row (``core.access``) never expires.
    assert set(SharedCounter.objects.values_list("key", flat=True)) == {"new", EPOCH_KEY}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_each_get_their_own_count(settings):
    """16 threads on their own connections, 25 hits each: every hit gets a distinct count."""
    settings.REDIS_URL = ""
    threads, hits = 16, 25
    seen, start = [], threading.Barrier(threads)

    def worker():
        try:
            start.wait()
            for _ in range(hits):
                seen.append(counters.hit("race", 60).value)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert sorted(seen) == list(range(1, threads * hits + 1))
    assert SharedCounter.objects.get(key="race").count == threads * hits


def test_redis_counters(redis_url, settings):
    settings.REDIS_URL = redis_url
    assert counters.hit("r", 60).value == 1
    assert counters.hit("r", 60).value == 2
    assert 59 < counters.peek("r").seconds_left() <= 60
    assert counters.hit("sr", 2, sliding=True).value == 1
    time.sleep(2.2)
    assert counters.peek("sr").value == 0
    assert counters.hit("sr", 2, sliding=True).value == 1
    counters.reset("r")
    assert counters.peek("r").value == 0


def test_redis_counters_are_atomic_across_threads(redis_url, settings):
    settings.REDIS_URL = redis_url
    seen = []

    def worker():
        for _ in range(50):
            seen.append(counters.hit("race", 60).value)

    pool = [threading.Thread(target=worker) for _ in range(8)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    assert sorted(seen) == list(range(1, 401))


def test_redis_counters_are_one_command_each_and_outlive_a_script_flush(redis_url, settings):
    """A hit and a peek are one script call each (no ``MULTI`` pipeline); Redis forgetting
    its scripts (a restart, ``SCRIPT FLUSH``) costs a reload, not a failed request."""
    settings.REDIS_URL = redis_url
    client = counters._redis_client(redis_url)
    assert counters.hit("f", 60).value == 1
    assert counters.peek("f").value == 1  # each script loaded by its first call
    commands = []
    real = client.execute_command
    client.execute_command = lambda *args, **kw: commands.append(args[0]) or real(*args, **kw)
    try:
        assert counters.hit("f", 60).value == 2
        assert counters.peek("f").value == 2
        assert counters.peek("absent") == counters.Count(0, 0.0)
    finally:
        client.execute_command = real
    assert commands == ["EVALSHA", "EVALSHA", "EVALSHA"]
    client.script_flush()
    assert counters.hit("f", 60).value == 3
    assert counters.peek("f").value == 3
    assert 59 < counters.peek("f").seconds_left() <= 60
