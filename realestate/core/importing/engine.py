"""The importer: a stored file checked, then written, a chunk of rows at a time.

A chunk (``CHUNK`` rows) is parsed, its codes looked up in one query per column, its existing
records fetched in one query, each row validated by the model's own rules: ``full_clean``'s
steps (foreign keys and uniqueness are checked here in bulk instead of one query per row),
made without its generic per-row costs where the model's are Django's own (``validate``), then
compared with what is stored: a row whose values are all equal is *unchanged* and never
written (no history row, no audit line). Writes are ``bulk_create``/``bulk_update`` (on
PostgreSQL ``COPY`` for new rows) with their history rows and grants in bulk, and the import
writes one audit entry with its counts. ``make bench-import`` measures it (see the README).

All or nothing (the default) never writes while checking. On SQLite, whose writers take the
whole database, the file is checked first outside any transaction and then written in one
transaction; on PostgreSQL, whose writers lock only their rows, check and write go together
in one transaction, rolled back at the first invalid row. "Import the valid rows" commits each
chunk on its own, so other users' writes pass between chunks on either database.
"""

from __future__ import annotations

import datetime
import functools
import gc
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router, transaction
from django.db.models import Field, Model
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_init, pre_init

from realestate.core.importing import writing
from realestate.core.importing.cleaning import (
    _collected_per_chunk,
    _display,
    _field_clean,
    _key_in,
    _messages,
    _pure,
    _quick,
)
from realestate.core.importing.files import AUTO, ImportFileError, open_sheet
from realestate.core.importing.tables import CellError, ImportTable, table_for

CHUNK = 5000
#: Field values whose validation is remembered, per field and pass (``Importer.validate``).
CACHED = frozenset({str, int, bool, Decimal, datetime.date, type(None)})
CACHE_VALUES = 2000
#: How many changed rows and errors the preview keeps to show.
SAMPLE = 200

NEW, CHANGED, UNCHANGED, INVALID = "new", "changed", "unchanged", "invalid"


class _Invalid(Exception):
    """All or nothing on PostgreSQL: an invalid row rolls the transaction back."""


@dataclass
class PreparedRow:
    number: int
    cells: list[str]
    key: str = ""
    values: dict = field(default_factory=dict)
    instance: object = None
    kind: str = NEW
    changes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column header, value, message)
    before: dict = field(default_factory=dict)  # compared values before the row's changes
    shown: dict = field(default_factory=dict)  # the same, as the preview shows them

    def error(self, header: str, value: str, message: str) -> None:
        self.errors.append((header, value, message))
        self.kind = INVALID


@dataclass
class Outcome:
    counts: dict = field(
        default_factory=lambda: dict.fromkeys((NEW, CHANGED, UNCHANGED, INVALID), 0)
    )
    changed: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    written: int = 0

    def add(self, row: PreparedRow) -> None:
        self.counts[row.kind] += 1
        if row.kind == CHANGED and len(self.changed) < SAMPLE:
            self.changed.append({"row": row.number, "key": row.key, "changes": row.changes})
        for header, value, message in row.errors:
            if len(self.errors) < SAMPLE:
                self.errors.append(
                    {"row": row.number, "column": header, "value": value[:80], "message": message}
                )


class Importer:
    """One pass over the job's file; ``write`` says whether valid rows are written."""

    def __init__(self, job, *, write: bool, progress=None):
        self.job = job
        self.table: ImportTable = table_for(job.table)(user=job.user)
        self.write = write
        self.progress = progress
        self.seen: dict[str, int] = {}
        self.outcome = Outcome()
        self.rejected = None

    def rows(self, handle):
        sheet = open_sheet(handle, self.job.file_format, self.job.encoding or AUTO)
        positions, missing, unknown = self.table.match_headers(sheet.headers)
        problems = []
        if missing:
            problems.append("missing columns: " + ", ".join(f"“{h}”" for h in missing))
        if unknown:
            problems.append("unknown columns: " + ", ".join(f"“{h}”" for h in unknown))
        if problems:
            accepted = ", ".join(c.header for c in self.table.importable())
            raise ImportFileError(
                "The file's header does not fit: "
                + "; ".join(problems)
                + f". Columns taken: {accepted}."
            )
        self.headers = sheet.headers
        self.positions = positions
        self.encoding = sheet.encoding
        #: (position, column, the function reading its cells), chosen once per pass.
        self.readers = [
            (index, column, self.table.reader(column)) for index, column in positions.items()
        ]
        return sheet.rows

    def run(self) -> Outcome:
        """One pass over a fresh handle on the stored file."""
        storage = self.job.file.storage
        with storage.open(self.job.file.name, "rb") as handle, _collected_per_chunk():
            return self._run(handle)

    def _run(self, handle) -> Outcome:
        rows = self.rows(handle)
        done = 0
        while chunk := list(itertools.islice(rows, CHUNK)):
            prepared = self.prepare(chunk)
            valid = [row for row in prepared if row.kind in (NEW, CHANGED)]
            if any(row.kind == INVALID for row in prepared) and self.stop_at_invalid:
                raise _Invalid
            if self.write and valid:
                if self.commit_each_chunk:
                    with transaction.atomic():
                        self.outcome.written += self.write_chunk(valid)
                else:
                    self.outcome.written += self.write_chunk(valid)
                if self.stop_at_invalid and any(row.kind == INVALID for row in valid):
                    raise _Invalid  # a service refused a row as it was written
            for row in prepared:
                self.outcome.add(row)
                if row.kind == INVALID:
                    self.reject(row)
            done += len(chunk)
            if self.progress:
                self.progress(done)
            del chunk, prepared, valid
            gc.collect(1)
        return self.outcome

    stop_at_invalid = False
    commit_each_chunk = False

    def write_chunk(self, rows: list[PreparedRow]) -> int:
        """Write a chunk's valid rows: in bulk, or row by row through the app's services for
        a table that says so (``ImportTable.through_services``), which may refuse a row."""
        if self.table.through_services:
            return self.table.write_rows(rows, self.job)
        return self.table.write(rows, self.job)

    # --- one chunk ----------------------------------------------------------------------

    def prepare(self, chunk) -> list[PreparedRow]:
        table = self.table
        key_field = table.key_field
        prepared = []
        readers = self.readers
        key_header = table.column(key_field).header
        for number, cells in chunk:
            row = PreparedRow(number=number, cells=cells)
            values = row.values
            width = len(cells)
            for index, column, read in readers:
                text = cells[index] if index < width else ""
                try:
                    values[column.name] = read(text)
                except CellError as error:
                    row.error(column.header, text, str(error))
            row.key = str(values.get(key_field) or "")
            if not row.key:
                row.error(key_header, "", f"{key_header} is empty: every row needs one.")
            elif row.key in self.seen:
                row.error(
                    key_header,
                    row.key,
                    f"{key_header} “{row.key}” is also on row {self.seen[row.key]}: "
                    "each record once per file.",
                )
            else:
                self.seen[row.key] = number
            prepared.append(row)
        self.resolve(prepared)
        if table.through_services:  # the table checks its rows with its app's services
            table.check_rows([row for row in prepared if row.kind != INVALID], importer=self)
            return prepared
        self.build(prepared)
        table.extra_checks([row for row in prepared if row.kind != INVALID])
        for row in prepared:
            if row.kind != INVALID:
                self.compare(row)
        return prepared

    def resolve(self, prepared: list[PreparedRow]) -> None:
        for column in {c.name: c for c in self.positions.values() if c.ref}.values():
            codes = {row.values[column.name] for row in prepared if row.values.get(column.name)}
            found = self.table.resolve(column, codes)
            for row in prepared:
                code = row.values.get(column.name)
                if code is None:
                    continue
                if code in found:
                    row.values[column.name] = found[code]
                else:
                    row.error(column.header, code, self.table.ref_missing(column, code))

    def build(self, prepared: list[PreparedRow]) -> None:
        table, model = self.table, self.table.model
        keys = {row.key for row in prepared if row.key}
        manager = model._default_manager
        key_field = table.key_field
        scoped = (
            manager.restrict(self.job.user, "change") if hasattr(manager, "restrict") else manager
        )
        existing, out_of_scope = self.existing(manager, scoped, keys)
        point_columns = {c.point for c in self.positions.values() if c.point}
        for row in prepared:
            if row.kind == INVALID:
                continue
            if row.key in out_of_scope:
                header = table.column(key_field).header
                row.error(
                    header,
                    row.key,
                    f"{header} “{row.key}” is taken by a record you may not change.",
                )
                continue
            values = dict(row.values)
            for point_field in point_columns:
                point_errors = []
                values[point_field] = table.point(values, point_errors, point_field)
                for name, text, message in point_errors:
                    row.error(table.column(name).header, text, message)
                point_model_field = table.model._meta.get_field(point_field)
                if values[point_field] is None and not point_errors and not point_model_field.null:
                    row.error("Latitude", "", "Latitude and longitude are needed.")
            if row.kind == INVALID:
                continue
            instance = existing.get(row.key)
            if instance is None:
                instance = self.new_instance(values)
                row.kind = NEW
            else:
                row.kind = CHANGED
                for name in row.values:
                    column = table.column(name)
                    row.before[name] = table.compare_value(instance, column)
                    row.shown[name] = _display(table.export_value(instance, column))
                for name, value in values.items():
                    setattr(instance, name, value)
            row.instance = instance
            self.validate(row)

    @functools.cached_property
    def exclude(self) -> list[str]:
        """Fields full_clean leaves alone: references (looked up in bulk already), agents
        (checked in bulk), and fields the file does not fill (their stored or default
        values stand)."""
        table = self.table
        # Coordinates are checked as they are read (``ImportTable.point``).
        given = {c.name for c in self.positions.values() if not (c.ref or c.point)}
        return [
            f.name
            for f in table.model._meta.concrete_fields
            if f.name not in given
            or f.name in getattr(table.model, "agent_fields", ())
            or f.name in table.checked_fields
        ]

    def existing(self, manager, scoped, keys: set) -> tuple[dict, set]:
        """The stored records of a chunk's keys the user may change (by key), and the keys
        taken by records they may not: one query, and a second only when the user's scope
        is narrower than the table and some keys are stored."""
        table, key_field = self.table, self.table.key_field
        if not keys:
            return {}, set()
        found = _key_in(manager.all(), table.model, key_field, keys)
        stored = {
            str(getattr(obj, key_field)): obj
            for obj in found.select_related(*table.select_related).order_by()
        }
        query = getattr(scoped, "query", None)  # a manager: no scope
        if not stored or query is None or not (query.where or query.is_empty()):
            return stored, set()  # nothing stored, or a scope as wide as the table
        allowed = set(
            scoped.filter(pk__in=[obj.pk for obj in stored.values()]).values_list("pk", flat=True)
        )
        existing = {key: obj for key, obj in stored.items() if obj.pk in allowed}
        return existing, set(stored) - set(existing)

    @functools.cached_property
    def _blank(self):
        """What ``model()`` holds before a row's values are set: its fields' defaults (those
        computed by a callable, computed again for each record), or None when the model
        listens to ``pre_init`` (then records are made by ``model(**values)`` itself)."""
        model = self.table.model
        if pre_init.has_listeners(model):
            return None
        fields = model._meta.concrete_fields
        blank = model()
        defaults = {f.attname: blank.__dict__[f.attname] for f in fields}
        computed = [f for f in fields if f.has_default() and callable(f.default)]
        # Foreign keys set as their descriptor sets them when no database router is
        # installed (the id, the cached record, the database of the record it names).
        keys = {}
        if not router.routers:
            for f in fields:
                if f.many_to_one and not f.one_to_one and len(f.related_fields) == 1:
                    target = f.related_fields[0][1].attname
                    keys[f.name] = (f.attname, f.remote_field.model._meta.concrete_model, target)
        # post_init's receivers, looked up once (Model.__init__ asks the signal each time);
        # None: some are asynchronous, and the signal sends to them as it does.
        receivers = []
        if post_init.has_listeners(model):
            receivers, asynchronous = post_init._live_receivers(model)
            receivers = None if asynchronous else receivers
        return defaults, computed, keys, receivers

    def new_instance(self, values: dict):
        """``model(**values)``, several times faster for the thousands of new rows of a
        large file: the defaults come from one blank record, then the row's values are set
        as ``__init__`` sets them (through the fields' descriptors) and ``post_init`` is
        sent as it sends it."""
        model = self.table.model
        if self._blank is None:
            return model(**values)
        defaults, computed, keys, receivers = self._blank
        instance = model.__new__(model)
        state = dict(defaults)
        for f in computed:
            state[f.attname] = f.get_default()
        state["_state"] = model_state = ModelState()
        instance.__dict__ = state
        cache = model_state.fields_cache
        for name, value in values.items():
            key = keys.get(name)
            if key is not None:
                attname, target_model, target = key
                if value is None:
                    state[attname] = None
                    cache[name] = None
                    continue
                db = value._state.db if type(value) is target_model else None
                if db is not None and model_state.db in (None, db):
                    model_state.db = db
                    state[attname] = getattr(value, target)
                    cache[name] = value
                    continue
            setattr(instance, name, value)
        if receivers is None:
            post_init.send(sender=model, instance=instance)
        else:
            for receiver in receivers:
                receiver(signal=post_init, sender=model, instance=instance)
        return instance

    @functools.cached_property
    def _cleaning(self):
        """The fields ``clean_fields`` cleans for this file, when the model's ``full_clean``
        and ``clean_fields`` are Django's own (or the agents' one, whose check the importer
        makes in bulk instead): then ``validate`` runs the same steps without the generic
        loops, remembering each (field, value)'s outcome for the columns whose values
        repeat. None: the model's own ``full_clean`` is called."""
        from realestate.core.assignments import AgentFieldsMixin

        model = self.table.model
        exclude = set(self.exclude)
        own = (Model.clean_fields, AgentFieldsMixin.clean_fields)
        if model.full_clean is not Model.full_clean or model.clean_fields not in own:
            return None
        if not set(getattr(model, "agent_fields", ())) <= exclude:
            return None
        plain = list(Field.empty_values)
        return [
            (
                f,
                f.attname,
                f.blank,
                list(f.empty_values) == plain,
                {} if _pure(f) else None,
                _quick(f),
            )
            for f in model._meta.fields
            if f.name not in exclude and not f.generated
        ]

    def _clean_fields(self, instance, fields) -> None:
        """``Model.clean_fields`` for ``fields`` (see ``_cleaning``)."""
        errors = {}
        for f, attname, blank, plain_empty, seen, quick in fields:
            raw = getattr(instance, attname)
            kind = type(raw)
            if kind in CACHED:
                # Of these types only None and "" are in Django's ``empty_values``.
                if blank and (
                    (raw is None or (kind is str and not raw))
                    if plain_empty
                    else raw in f.empty_values
                ):
                    continue
                if seen is not None:
                    # Decimal("1.0") == Decimal("1.00"), but only one has two places.
                    key = (kind, str(raw)) if kind is Decimal else (kind, raw)
                    outcome = seen.get(key)
                    if outcome is None:
                        outcome = _field_clean(f, raw, instance, quick)
                        if len(seen) < CACHE_VALUES:
                            seen[key] = outcome
                else:
                    outcome = _field_clean(f, raw, instance, quick)
            else:
                if blank and raw in f.empty_values:
                    continue
                if isinstance(raw, DatabaseDefault):
                    continue
                outcome = _field_clean(f, raw, instance)
            if not outcome[0]:
                errors[f.name] = outcome[1]
            elif outcome[1] is not raw:
                setattr(instance, attname, outcome[1])
        if errors:
            raise ValidationError(errors)

    def _full_clean(self, instance) -> None:
        fields = self._cleaning
        if fields is None:
            instance.full_clean(
                exclude=self.exclude, validate_unique=False, validate_constraints=False
            )
            return
        # Model.full_clean without the unique and constraint checks (made in bulk).
        errors = {}
        try:
            self._clean_fields(instance, fields)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def validate(self, row: PreparedRow) -> None:
        table = self.table
        try:
            self._full_clean(row.instance)
        except ValidationError as error:
            headers = {c.name: c.header for c in table.columns}
            for name, message in _messages(error):
                column = "" if name == NON_FIELD_ERRORS else headers.get(name, name)
                value = row.values.get(name)
                row.error(column, "" if value is None else str(value), message)

    def compare(self, row: PreparedRow) -> None:
        if row.kind != CHANGED:
            return
        table = self.table
        for name, before in row.before.items():
            column = table.column(name)
            after = table.compare_value(row.instance, column)
            if before != after:
                shown = _display(table.export_value(row.instance, column))
                row.changes[column.header] = [row.shown[name], shown]
        if not row.changes:
            row.kind = UNCHANGED

    def reject(self, row: PreparedRow) -> None:
        if self.rejected is None:
            self.rejected = writing.RejectedRows(self.headers)
        self.rejected.add(row)
