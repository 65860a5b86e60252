"""Queries compiled once and run again with new values.

Django builds a queryset and compiles its SQL on every run. For the app's busiest requests
(a field agent's ``near`` search, their unit list, a unit, a tenant's invoices) building the
scoped queryset and compiling it was a third of a web worker's time under ``make bench-api``,
more than the database took to answer.

A ``Statement`` is a values queryset compiled once, with *slots*: the values that change from
one run to the next (a point, a box, a distance, an id). The queryset is built once with a
sentinel in each slot; compiling it gives the SQL and its parameters, where each sentinel's
parameter stands at positions now known. A run puts its own values there, runs the SQL, and
converts the columns with the converters the compiler chose (what ``values()`` would give:
decimals, aware datetimes, distances). The SQL is Django's own, for the database in use.

A statement holds whatever its queryset held besides its slots, the caller's scope included
(user, groups, grants): statements that depend on the caller are kept with what
``core.access`` remembers of them (``remembered``), and go when that does, on any change that
could alter their scope (see ``core.access``). Any other value that decides the SQL belongs in
the statement's key (a page's bounds, a number of ids).

Compiling refuses (``StatementRefused``) when a sentinel's parameter is not found, or is found
at a position another slot also claims: the caller then runs its queryset as before.
"""

from __future__ import annotations

import datetime
import functools
import logging
import sys
import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable

#: Statements kept per caller (their pages, their ``near`` pages...); all go when full. Their
#: SQL is interned: callers of one role share its text, each keeps its own parameters.
STATEMENTS_KEPT = 8
#: Statements kept by the process for any caller (``shared``); the oldest go when full.
SHARED_KEPT = 256
#: Callers whose statements a process keeps (about 10 KB a statement): those of the callers
#: who last kept one; an app's busy users keep theirs, a crowd passing by does not fill the
#: memory (at most some 80 MB a process).
HOLDERS_KEPT = 1000

_shared: dict[Hashable, Statement] = {}
_lock = threading.Lock()
_MISSING = object()
_holders: dict[int, dict] = {}
logger = logging.getLogger(__name__)


class StatementRefused(Exception):
    """The queryset cannot be compiled into a statement with these slots."""


class RawValues:
    """Rows of SQL that Django's ORM does not write (a query over a subquery, say), built from
    querysets' own compiled SQL, for a ``Statement`` to read as it reads a values queryset:
    ``db``, ``names`` (the columns, in order; none needs a converter) and
    ``as_sql(connection)``, the SQL and its parameters."""

    db: str
    names: tuple[str, ...]

    def as_sql(self, connection) -> tuple[str, list]:
        raise NotImplementedError


class Statement:
    """A values queryset compiled once (see the module): ``rows(inputs)``.

    ``build(inputs)`` makes the queryset (or ``RawValues``) from a run's inputs (the
    request's values: a point, a radius, ids); ``slots(connection, inputs)`` gives, by name,
    each parameter that Django passes for those inputs (a geometry's adapter, metres from
    kilometres...). The queryset is built and compiled twice, from two sentinel inputs that
    differ in every slot: the SQL must be the same, and every parameter that differs must be
    one a slot gives, for both (a parameter derived from the inputs that no slot gives would
    differ unclaimed: refused)."""

    def __init__(
        self,
        build: Callable[[dict], QuerySet],
        slots: Callable[[Any, dict], dict] | None = None,
        sentinels: tuple[dict, dict] = ({}, {}),
    ):
        self.slots = slots
        first, second = (self._compile(build(inputs)) for inputs in sentinels)
        if first[:2] != second[:2] or len(first[2]) != len(second[2]):
            raise StatementRefused("the inputs change the SQL, not only its parameters")
        self.using, self.sql, self.params = first[:3]
        if self.sql is not None:
            self.sql = sys.intern(self.sql)
        self.names, self.col_count, self.trimmed, self.converters = first[3:]
        connection = connections[self.using]
        given = [slots(connection, inputs) if slots else {} for inputs in sentinels]
        self.positions: dict[str, list[int]] = {}
        for index, (one, other) in enumerate(zip(first[2], second[2], strict=True)):
            if type(one) is type(other) and one == other:
                continue
            name = next(
                (
                    name
                    for name, param in given[0].items()
                    if _same(param, one) and _same(given[1][name], other)
                ),
                None,
            )
            if name is None:
                raise StatementRefused(f"parameter {index} changes with the inputs, no slot's")
            self.positions.setdefault(name, []).append(index)

    @staticmethod
    def _compile(queryset: QuerySet | RawValues) -> tuple:
        if isinstance(queryset, RawValues):
            sql, params = queryset.as_sql(connections[queryset.db])
            names = list(queryset.names)
            return (queryset.db, sql, list(params), names, len(names), False, [])
        if queryset._iterable_class is not ValuesIterable:
            raise StatementRefused("only values() querysets")
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = "", ()
        names = selected_names(queryset)
        if not sql:  # the queryset can have no row
            return (queryset.db, None, [], names, 0, False, [])
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        converters = [
            (index, functions, expression, _already(functions, expression))
            for index, (functions, expression) in compiler.get_converters(fields).items()
        ]
        return (
            queryset.db,
            sql,
            list(params),
            names,
            compiler.col_count,
            compiler.has_extra_select,
            converters,
        )

    def rows(self, inputs: dict | None = None) -> list[dict]:
        """The rows for these inputs, as the queryset's ``values()`` gives them."""
        if self.sql is None:
            return []
        connection = connections[self.using]
        params = self.params
        if self.positions:
            params = params.copy()
            given = self.slots(connection, inputs)
            for name, positions in self.positions.items():
                for index in positions:
                    params[index] = given[name]
        with connection.cursor() as cursor:
            if _utc_moments(connection):
                cursor.cursor.adapters.register_loader("timestamptz", _TIMESTAMPTZ_LOADER)
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        names, converters = self.names, self.converters
        answer = []
        for row in found:
            if self.trimmed:
                row = row[: self.col_count]
            converted = None
            for index, functions, expression, already in converters:
                value = row[index]
                if already is not None and (value is None or type(value) is already):
                    continue  # a float column read as a float: its converter would change nothing
                if converted is None:
                    converted = list(row)
                for function in functions:
                    value = function(value, expression, connection)
                converted[index] = value
            answer.append(dict(zip(names, row if converted is None else converted, strict=False)))
        return answer

    def instances(self, model, inputs: dict | None = None) -> list:
        """The rows as instances of ``model``, for a statement of ``model_values``: its
        concrete fields, and any other column (an annotation) set as an attribute."""
        attnames = _attnames(model)
        others = [name for name in self.names if name not in attnames]
        found = []
        for row in self.rows(inputs):
            instance = model.from_db(self.using, attnames, [row[name] for name in attnames])
            for name in others:
                setattr(instance, name, row[name])
            found.append(instance)
        return found


def selected_names(queryset: QuerySet) -> list[str]:
    """The names of a values queryset's columns, in the order its SQL selects them."""
    query = queryset.query
    if query.selected:
        return list(query.selected)
    return [*query.extra_select, *query.values_select, *query.annotation_select]


def model_values(queryset: QuerySet) -> QuerySet:
    """``queryset`` as the values of its model's concrete fields and its annotations, for a
    statement read as instances (``Statement.instances``)."""
    return queryset.values(*_attnames(queryset.model), *queryset.query.annotations)


@functools.cache
def _attnames(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def _utc_moments(connection) -> bool:
    """Whether a moment read on this connection is UTC whichever loader reads it: PostgreSQL
    with ``USE_TZ`` and the connection's time zone UTC, where psycopg's own loader (its C
    one) gives what Django's gives (``datetime.timezone.utc``). Django's is a Python subclass
    of psycopg's Python loader: a page's 50 moments took 0.1 ms of a request."""
    return (
        _TIMESTAMPTZ_LOADER is not None
        and connection.vendor == "postgresql"
        and settings.USE_TZ
        and connection.timezone is datetime.UTC
    )


def _psycopg_timestamptz_loader():
    try:
        import psycopg
        from psycopg.pq import Format
    except ImportError:
        return None
    return psycopg.adapters.get_loader(psycopg.postgres.types["timestamptz"].oid, Format.TEXT)


_TIMESTAMPTZ_LOADER = _psycopg_timestamptz_loader()


def _already(functions: list, expression) -> type | None:
    """The type a column needs no conversion from: an expression's own converter
    (``convert_value``) of a float or an integer, which only makes its value a ``float`` or an
    ``int`` (the database driver gives one on PostgreSQL); None for any other converter."""
    if len(functions) != 1 or functions[0] is not getattr(expression, "convert_value", None):
        return None
    internal = expression.output_field.get_internal_type()
    if internal == "FloatField":
        return float
    return int if internal.endswith("IntegerField") else None


def inputs_as_slots(connection, inputs: dict) -> dict:
    """Slots that are the inputs themselves: values Django passes to the database as they
    are (ids, texts, numbers)."""
    return inputs


def _same(one, other) -> bool:
    return type(one) is type(other) and one == other


def remembered(user) -> dict | None:
    """The statements kept for ``user`` while their access entry holds (``core.access``), or
    None when nothing is remembered of them (no statement is kept then)."""
    return getattr(user, "_statements", None)


def statement(
    kept: dict | None,
    key: Hashable,
    build: Callable[[dict], QuerySet],
    slots: Callable[[Any, dict], dict] | None = None,
    sentinels: tuple[dict, dict] = ({}, {}),
) -> Statement | None:
    """The statement of ``key`` in ``kept`` (a caller's, ``remembered``, or ``shared()``),
    compiled the first time (``Statement``); None when ``kept`` is None or the queryset cannot
    be a statement: the caller runs its queryset (which answers any error its inputs make)."""
    if kept is None:
        return None

    def compiled():
        try:
            return Statement(build, slots, sentinels)
        except StatementRefused:
            return False
        except Exception:  # a sentinel the view's code refuses, say: its queryset runs instead
            logger.exception("Statement %r not compiled; its queryset runs instead.", key)
            return False

    return kept_value(kept, key, compiled) or None


def kept_value(kept: dict, key: Hashable, make: Callable[[], Any]):
    """``kept[key]``, made by ``make()`` the first time and kept; when ``kept`` is full, the
    oldest quarter of it goes first, and the statements of the caller who kept one longest
    ago go when ``HOLDERS_KEPT`` callers keep some. Threads may make one value twice, never
    lose one."""
    found = kept.get(key, _MISSING)
    if found is _MISSING:
        found = make()
        with _lock:
            limit = SHARED_KEPT if kept is _shared else STATEMENTS_KEPT
            if len(kept) >= limit:
                for oldest in list(kept)[: max(1, limit // 4)]:
                    kept.pop(oldest, None)
            kept[key] = found
            if kept is not _shared:
                _holders.pop(id(kept), None)
                _holders[id(kept)] = kept
                while len(_holders) > HOLDERS_KEPT:  # the callers who kept one longest ago
                    _holders.pop(next(iter(_holders))).clear()
    return found


def shared() -> dict:
    """Statements that depend on no caller (their SQL holds no scope), kept by the process."""
    return _shared


def forget_shared() -> None:
    with _lock:
        _holders.clear()
        _shared.clear()
