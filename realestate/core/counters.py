"""Counters every process shares: login failures, API rate limits, logged-out access tokens.

Each ``hit`` is one atomic operation whose result decides the request, so four web workers
counting the same key cannot let more through than one would. With ``REDIS_URL`` the
counters live in Redis (``SET NX EX`` + ``INCR`` in one script, ``HIT_SCRIPT``); without it,
in the database: one ``INSERT … ON CONFLICT (key) DO UPDATE … RETURNING`` statement, which
PostgreSQL and SQLite (3.35+) run atomically. Logged-out access tokens and the access epoch
are database counters whatever ``REDIS_URL`` says (``DatabaseCounters``): each request reads
them in the query that reads its caller. Django's ``DatabaseCache.incr`` would not do:
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


#: One counter's hit, run by Redis as one command (a script runs atomically): set to 0 with
#: its window unless it exists (fixed) or pushed on by the window (sliding), add one, and
#: answer the value and the milliseconds left. One command, not a ``MULTI`` pipeline of four:
#: every API request counts its caller, and the pipeline's client side was 2.6 % of a web
#: worker's time under ``make bench-api``.
HIT_SCRIPT = """
local value
if ARGV[2] == '1' then
  value = redis.call('INCR', KEYS[1])
  redis.call('EXPIRE', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
  value = redis.call('INCR', KEYS[1])
end
return {value, redis.call('PTTL', KEYS[1])}
"""
#: A counter's value and milliseconds left ({0, -2} when absent), as one command.
PEEK_SCRIPT = """
local value = redis.call('GET', KEYS[1])
if not value then
  return {0, -2}
end
return {tonumber(value), redis.call('PTTL', KEYS[1])}
"""


class RedisCounters:
    def __init__(self, url: str):
        self.client = _redis_client(url)
        self.hit_script, self.peek_script = _redis_scripts(url)

    def hit(self, key: str, window: float, sliding: bool) -> Count:
        seconds = max(1, math.ceil(window))
        value, pttl = self.hit_script(keys=[REDIS_PREFIX + key], args=[seconds, int(sliding)])
        return Count(int(value), time.time() + max(pttl, 0) / 1000)

    def peek(self, key: str) -> Count:
        value, pttl = self.peek_script(keys=[REDIS_PREFIX + key])
        if pttl == -2:
            return Count(0, 0.0)
        return Count(int(value), time.time() + max(pttl, 0) / 1000)

    def reset(self, key: str) -> None:
        self.client.delete(REDIS_PREFIX + key)


@functools.cache
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)


@functools.cache
def _redis_scripts(url: str):
    """The hit and peek scripts, loaded into Redis by their first call (``EVALSHA``; sent
    again by redis-py if Redis lost them, after a restart or ``SCRIPT FLUSH``)."""
    client = _redis_client(url)
    return client.register_script(HIT_SCRIPT), client.register_script(PEEK_SCRIPT)
