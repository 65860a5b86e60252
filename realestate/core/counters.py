"""Counters every process shares: login failures, API rate limits, logged-out access tokens.

Each ``hit`` is one atomic operation whose result decides the request, so four web workers
counting the same key cannot let more through than one would. With ``REDIS_URL`` the
counters live in Redis (``SET NX EX`` + ``INCR`` in one ``MULTI``); without it, in the
database: one ``INSERT … ON CONFLICT (key) DO UPDATE … RETURNING`` statement, which
PostgreSQL and SQLite (3.35+) run atomically. Django's ``DatabaseCache.incr`` would not do:
it reads, then writes.

A counter lives for a window of seconds from its first hit (``sliding``: from its latest
hit) and starts again from 1 after that. Call ``hit`` outside ``transaction.atomic`` (as the
login form, the token endpoint and DRF's throttles do), or a rollback takes the count back.
"""

from __future__ import annotations

import functools
import math
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from realestate.core.models import SharedCounter

#: One hit in this many also deletes the database's expired counters.
PURGE_ONE_IN = 500
REDIS_PREFIX = "realestate:counter:"


@dataclass(frozen=True)
class Count:
    value: int
    expires_at: float

    def seconds_left(self) -> float:
        return max(0.0, self.expires_at - time.time())


def hit(key: str, window: float, *, sliding: bool = False) -> Count:
    """Add one to ``key`` and return its new value, atomically across processes."""
    return _store().hit(key, window, sliding)


def peek(key: str) -> Count:
    """The current value of ``key`` (0 when absent or expired), without counting."""
    return _store().peek(key)


def reset(key: str) -> None:
    _store().reset(key)


def purge_expired() -> int:
    """Delete the database's expired counters (Redis expires its own); returns how many."""
    deleted, _ = SharedCounter.objects.filter(expires_at__lte=time.time()).delete()
    return deleted


def _store():
    return RedisCounters(settings.REDIS_URL) if settings.REDIS_URL else DatabaseCounters()


class DatabaseCounters:
    def hit(self, key: str, window: float, sliding: bool) -> Count:
        now = time.time()
        qn = connection.ops.quote_name
        table, count, expires = (qn(SharedCounter._meta.db_table), qn("count"), qn("expires_at"))
        # A sliding window restarts from every hit; a fixed one keeps its end until it passes.
        new_end = (
            f"excluded.{expires}"
            if sliding
            else (
                f"CASE WHEN {table}.{expires} > %s THEN {table}.{expires} "
                f"ELSE excluded.{expires} END"
            )
        )
        sql = (
            f"INSERT INTO {table} ({qn('key')}, {count}, {expires}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({qn('key')}) DO UPDATE SET "
            f"{count} = CASE WHEN {table}.{expires} > %s THEN {table}.{count} + 1 ELSE 1 END, "
            f"{expires} = {new_end} "
            f"RETURNING {count}, {expires}"
        )
        params = [key, now + window, now] + ([] if sliding else [now])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            value, expires_at = cursor.fetchone()
        if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - not security related
            purge_expired()
        return Count(value, expires_at)

    def peek(self, key: str) -> Count:
        # Written once, not built by the ORM: every API request asks (a revoked token?).
        qn = connection.ops.quote_name
        sql = (
            f"SELECT {qn('count')}, {qn('expires_at')} FROM {qn(SharedCounter._meta.db_table)} "
            f"WHERE {qn('key')} = %s AND {qn('expires_at')} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, time.time()])
            row = cursor.fetchone()
        return Count(*row) if row else Count(0, 0.0)

    def reset(self, key: str) -> None:
        SharedCounter.objects.filter(key=key).delete()


class RedisCounters:
    def __init__(self, url: str):
        self.client = _redis_client(url)

    def hit(self, key: str, window: float, sliding: bool) -> Count:
        name, seconds = REDIS_PREFIX + key, max(1, math.ceil(window))
        with self.client.pipeline(transaction=True) as pipe:
            if sliding:
                pipe.incr(name).expire(name, seconds)
            else:
                pipe.set(name, 0, ex=seconds, nx=True).incr(name)
            pipe.pttl(name)
            results = pipe.execute()
        value = results[0] if sliding else results[1]
        return Count(int(value), time.time() + max(results[-1], 0) / 1000)

    def peek(self, key: str) -> Count:
        name = REDIS_PREFIX + key
        with self.client.pipeline(transaction=True) as pipe:
            value, pttl = pipe.get(name).pttl(name).execute()
        if value is None or pttl == -2:
            return Count(0, 0.0)
        return Count(int(value), time.time() + max(pttl, 0) / 1000)

    def reset(self, key: str) -> None:
        self.client.delete(REDIS_PREFIX + key)


@functools.cache
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)
