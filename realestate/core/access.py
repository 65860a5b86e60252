"""What a signed-in user may do, remembered between API requests.

Deciding a request's scope reads the user's role permissions (two queries, Django's
``ModelBackend``) and the summary of their object grants (``core.permissions.grant_summary``,
one query of twenty parts): 4 to 8 ms of every request of the app. This module keeps both per
process, keyed so that any change that could alter them answers from the database again on the
very next request, in every process:

- the user's ``is_active``, ``is_superuser``, ``is_staff``, ``token_generation``, password
  hash and ``date_joined``, read with the user on every request (a deactivation or a password
  change shows at once, and both also refuse the token, see ``accounts.api.authentication``;
  a user given the id of a deleted one never matches);
- the process's own change count (``core.permissions._grants_version``), counted up by the
  change itself (a grant saved or deleted, a group membership, a role's permissions, a user's
  own permissions), for the process that made it;
- the shared *access epoch*: a row of ``core.SharedCounter`` (in the database whatever
  ``REDIS_URL`` says: it must not start again from 0 when a cache is flushed), counted up when
  the transaction that made such a change commits (``transaction.on_commit``), read in the
  same query as the user (``user_with_epoch``). Another process sees the change from the
  first request that starts after the change's own request has answered.

A change made behind Django's back (SQL by hand) must call ``grants_changed()`` (as
``grants_bulk_assign`` and the benchmarks' seeders do); as a last resort, an entry is
trusted for ``MAX_AGE`` seconds at most.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Subquery

EPOCH_KEY = "access-epoch"
#: The epoch's counter never expires (``SharedCounter.expires_at``, seconds since 1970).
EPOCH_EXPIRES = 2.0**62
#: The longest an entry is trusted, whatever the keys say (changes made by hand in SQL).
MAX_AGE = 300.0
#: Entries kept per process (users seen recently); the oldest go first.
MAX_ENTRIES = 5000
EPOCH_ANNOTATION = "access_epoch"


@dataclass(frozen=True)
class Entry:
    key: tuple
    until: float
    user_perms: frozenset
    group_perms: frozenset
    grant_summary: tuple
    #: The user's scope conditions by (model, action, change count), made as requests need
    #: them (``permissions.scope_filter``); they depend on nothing but the above.
    scopes: dict = field(default_factory=dict, compare=False)
    #: Queries compiled for the user (``core.statements``): their SQL holds the user's scope.
    statements: dict = field(default_factory=dict, compare=False)


_entries: dict[int, Entry] = {}
_lock = threading.Lock()


def epoch_bump_on_commit(using: str | None = None) -> None:
    """Count the shared epoch up once the current transaction commits (at once outside one)."""
    transaction.on_commit(epoch_bump, using=using or DEFAULT_DB_ALIAS)


def epoch_bump() -> None:
    from realestate.core.counters import DatabaseCounters

    DatabaseCounters().hit(EPOCH_KEY, EPOCH_EXPIRES, sliding=True)


def user_with_epoch(queryset):
    """The user queryset with the shared epoch read along (annotation ``access_epoch``)."""
    from realestate.core.models import SharedCounter

    return queryset.annotate(
        **{
            EPOCH_ANNOTATION: Subquery(
                SharedCounter.objects.filter(key=EPOCH_KEY).values("count")[:1]
            )
        }
    )


def user_by_id(model, user_id, using: str | None = None, *, counter: str | None = None):
    """The user of ``user_id`` with the shared epoch (``user_with_epoch``), or None: one
    query, a statement compiled once per process (``core.statements``; the id its slot).
    The ORM built and compiled it on every request of the app (0.45 of 0.7 ms), and a raw
    query's model mapping cost as much again.

    ``counter``: a key of the database's shared counters (``core.counters``: a logged-out
    token's) read in the same query; the user's ``counted`` says whether it holds a live
    count (not set when the user was read without the statement: the caller reads it)."""
    from django.core.exceptions import ValidationError
    from django.db import router

    from realestate.core.statements import inputs_as_slots, model_values, shared, statement

    try:
        user_id = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = using or router.db_for_read(model)
    users = model._default_manager.db_manager(alias)
    read = statement(
        shared(),
        ("user_by_id", model, alias, counter is not None),
        lambda inputs: model_values(_user_read(users, inputs, counter is not None)),
        inputs_as_slots,
        (
            {"id": -987654321, "counter": "statement-sentinel-a", "now": 1e9 + 0.25},
            {"id": -987654322, "counter": "statement-sentinel-b", "now": 1e9 + 0.5},
        ),
    )
    if read is None or not isinstance(user_id, int) or not 0 < user_id < 2**31:
        return user_with_epoch(users.all()).filter(pk=user_id).first()  # without ``counted``
    found = read.instances(model, {"id": user_id, "counter": counter, "now": time.time()})
    return found[0] if found else None


def _user_read(users, inputs: dict, counted: bool):
    from django.db.models import Exists

    from realestate.core.models import SharedCounter

    queryset = user_with_epoch(users.filter(pk=inputs["id"]).order_by())
    if not counted:
        return queryset
    live = SharedCounter.objects.filter(key=inputs["counter"], expires_at__gt=inputs["now"])
    return queryset.annotate(counted=Exists(live))


def _key(user) -> tuple | None:
    from realestate.core import permissions

    epoch = getattr(user, EPOCH_ANNOTATION, None)
    if epoch is None:
        return None  # never counted yet (or the row is gone): nothing is remembered
    return (
        epoch,
        permissions._grants_version,
        user.is_active,
        user.is_superuser,
        user.is_staff,
        user.token_generation,
        user.password,  # salted: another user given the same id never matches
        user.date_joined,
    )


def access_load(user) -> None:
    """Give ``user`` (loaded by ``user_with_epoch``) its permissions and grant summary:
    remembered ones when every key still matches, else read now and remembered."""
    from django.contrib.auth.backends import ModelBackend

    from realestate.core import permissions

    key = _key(user)
    if key is None or not user.is_active:
        return
    now = time.monotonic()
    entry = _entries.get(user.pk)
    if entry is not None and entry.key == key and entry.until > now:
        user._user_perm_cache = set(entry.user_perms)
        user._group_perm_cache = set(entry.group_perms)
        user._perm_cache = {*entry.user_perms, *entry.group_perms}
        user._grant_summary = (key[1], frozenset(entry.grant_summary))
        user._scope_conditions = entry.scopes
        user._statements = entry.statements
        return
    backend = ModelBackend()
    user_perms = frozenset(backend.get_user_permissions(user))
    group_perms = frozenset(backend.get_group_permissions(user))
    user._perm_cache = {*user_perms, *group_perms}
    summary = permissions.grant_summary(user)
    if permissions._grants_version != key[1]:
        return  # a change in this process while reading: do not remember
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            for stale in list(_entries)[: MAX_ENTRIES // 10]:
                _entries.pop(stale, None)
        _entries.pop(user.pk, None)
        entry = _entries[user.pk] = Entry(
            key, now + MAX_AGE, user_perms, group_perms, tuple(sorted(summary))
        )
    user._scope_conditions = entry.scopes
    user._statements = entry.statements


def forget_all() -> None:
    """Drop every remembered entry of this process (tests)."""
    with _lock:
        _entries.clear()
