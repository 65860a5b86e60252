"""What an import writes, in bulk: the records, their history rows, the grants that follow
their assignees; and the rejected rows' workbook (each row as it came, with its errors)."""

from __future__ import annotations

import datetime
import operator
import tempfile
from decimal import Decimal

from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import DateTimeField, Field, Model
from django.utils import timezone

from realestate.core.importing.files import check_xlsx
from realestate.core.permissions import grants_bulk_assign, grants_bulk_remove

BATCH = 500
#: From how many rows an insert goes by COPY on PostgreSQL.
COPY_FROM = 200
AUTO = {"AutoField", "BigAutoField", "SmallAutoField"}


def write_rows(table, rows, job) -> int:
    """Write a chunk's new and changed rows; returns how many."""
    model = table.model
    reason = f"Import #{job.pk} ({job.file_name})"
    new = [row.instance for row in rows if row.kind == "new"]
    changed = [row for row in rows if row.kind == "changed"]
    if new:
        copied = insert(model, new, key_field=table.key_field)
        _history(model, new, job, reason, update=False, copied=copied)
    if changed:
        names = {name for row in changed for name in _changed_fields(table, row)}
        objects = [row.instance for row in changed]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            now = timezone.now()
            for obj in objects:
                obj.updated_at = now
            names.add("updated_at")
        model._default_manager.bulk_update(objects, sorted(names), batch_size=BATCH)
        _history(model, objects, job, reason, update=True)
    _grants(model, new, changed)
    return len(new) + len(changed)


def _changed_fields(table, row) -> set[str]:
    """Model fields a changed row writes (a coordinate column writes its point field)."""
    fields = set()
    for name, before in row.before.items():
        column = table.column(name)
        if before != table.compare_value(row.instance, column):
            fields.add(column.point or name)
    # The model's clean() may fill a field from another (a unit's project from its building).
    if "building" in fields and hasattr(row.instance, "project_id"):
        fields.add("project")
    return fields


def insert(model, objects: list, key_field: str | None = None):
    """``bulk_create``; on PostgreSQL, ``COPY`` (several times faster for thousands of rows:
    no statement of 10,000 parameters to build and parse), with ids taken from the table's
    sequence beforehand (one query), so no query is needed after to learn them. Returns,
    after a ``COPY``, its columns' fields and rows (the history rows reuse them)."""
    if connection.vendor != "postgresql" or len(objects) < COPY_FROM:
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        return None
    pk = model._meta.pk
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in AUTO)
    ]
    ids = _reserve_ids(model, len(objects)) if pk.get_internal_type() in AUTO else None
    if ids is not None:
        for obj, pk_value in zip(objects, ids, strict=True):
            obj.pk = pk_value
        fields = [pk, *fields] if pk not in fields else fields
    read = _reader(fields, add=True)
    rows = [read(obj) for obj in objects]
    copy_rows(model, [f.column for f in fields], rows)
    if ids is None and key_field:
        keys = [getattr(obj, key_field) for obj in objects]
        found = dict(
            model._default_manager.filter(**{f"{key_field}__in": keys}).values_list(key_field, "pk")
        )
        for obj in objects:
            obj.pk = found[getattr(obj, key_field)]
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return (fields, rows) if ids is not None or pk in fields else None


def _reserve_ids(model, count: int) -> list[int] | None:
    """``count`` new ids from the sequence of ``model``'s primary key (None: it has none)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(s::regclass) FROM pg_get_serial_sequence(%s, %s) AS s,"
            " generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    if len(ids) != count or None in ids:
        return None
    return sorted(ids)


def copy_rows(model, columns: list[str], rows) -> None:
    """PostgreSQL's ``COPY … FROM STDIN`` of ``rows`` (lists of values) into ``model``'s table."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


PLAIN = (str, int, Decimal, datetime.date, bool)


def _copy_value(field, value):
    if value is None or type(value) in PLAIN or isinstance(value, datetime.datetime):
        return value  # psycopg writes these as they are (a geometry's hex EWKB too)
    if hasattr(value, "hexewkb"):  # a geometry: its EWKB, which PostGIS reads as text
        return value.hexewkb.decode()
    return field.get_db_prep_save(value, connection)


def _stamp(obj, name: str, now):
    setattr(obj, name, now)
    return now


def _reader(fields, *, add: bool | None):
    """A function giving a record's values for ``fields``, as ``COPY`` takes them. With
    ``add`` (True: an insert), a field that fills itself on save (``auto_now``) does, as
    ``bulk_create`` makes it; with None the values are read as they are (history rows).
    A point is read as stored on the record: the importer's hex EWKB needs no geometry."""
    special = {}  # position: the function reading that field
    now = timezone.now()
    for position, f in enumerate(fields):
        if isinstance(f, GeometryField):
            special[position] = lambda obj, name=f.attname: (
                obj.__dict__[name] if name in obj.__dict__ else getattr(obj, name)
            )
        elif add and type(f) is DateTimeField and (f.auto_now or f.auto_now_add):
            # DateTimeField.pre_save: now, kept on the record (one now per chunk, as the
            # changed rows' ``updated_at``).
            special[position] = lambda obj, name=f.attname, now=now: _stamp(obj, name, now)
        elif add is not None and type(f).pre_save is not Field.pre_save:
            special[position] = lambda obj, f=f: f.pre_save(obj, add)
    plain = [f.attname for position, f in enumerate(fields) if position not in special]
    get_plain = operator.attrgetter(*plain) if plain else lambda obj: ()
    if len(plain) == 1:
        get_plain = lambda obj, get=get_plain: (get(obj),)  # noqa: E731
    order = [special.get(position) for position in range(len(fields))]

    def read(obj) -> list:
        plain_values = iter(get_plain(obj))
        values = [next(plain_values) if get is None else get(obj) for get in order]
        return [
            value if value is None or type(value) in PLAIN else _copy_value(f, value)
            for f, value in zip(fields, values, strict=True)
        ]

    return read


def _history(model, objects, job, reason: str, *, update: bool, copied=None) -> None:
    """The history rows simple-history's ``bulk_history_create`` writes, inserted in bulk
    (on PostgreSQL straight from the records' values, without a history object each: the
    values just copied into the records' table when there are, else read from them)."""
    manager = getattr(model, "history", None)
    if manager is None:
        return
    history_model = manager.model
    now = timezone.now()
    kind = "~" if update else "+"
    tracked = history_model.tracked_fields
    if connection.vendor == "postgresql" and not hasattr(history_model, "history_relation"):
        head = [now, job.user_id, reason, kind]
        positions = None
        if copied is not None:
            names = [f.attname for f in copied[0]]
            if all(f.attname in names for f in tracked):
                positions = [names.index(f.attname) for f in tracked]
        if positions is not None:
            rows = ([*head, *(values[i] for i in positions)] for values in copied[1])
        else:
            read = _reader(tracked, add=None)
            rows = ([*head, *read(obj)] for obj in objects)
        copy_rows(
            history_model,
            ["history_date", "history_user_id", "history_change_reason", "history_type"]
            + [f.column for f in tracked],
            rows,
        )
        return
    rows = []
    for instance in objects:
        row = history_model(
            history_date=now,
            history_user=job.user,
            history_change_reason=reason,
            history_type=kind,
            **{f.attname: getattr(instance, f.attname) for f in tracked},
        )
        if hasattr(history_model, "history_relation"):
            row.history_relation_id = instance.pk
        rows.append(row)
    history_model._default_manager.bulk_create(rows, batch_size=BATCH)


def _grants(model, new: list[Model], changed: list) -> None:
    """Grants follow the assignees (``assignment_fields``), as a single save does."""
    for name in getattr(model, "assignment_fields", ()):
        attribute = f"{name}_id"
        added = [(obj.pk, getattr(obj, name)) for obj in new if getattr(obj, attribute)]
        removed = []
        for row in changed:
            old_id = row.before.get(name)
            new_id = getattr(row.instance, attribute)
            if name not in row.before or old_id == new_id:
                continue
            if old_id:
                removed.append((row.instance.pk, old_id))
            if new_id:
                added.append((row.instance.pk, getattr(row.instance, name)))
            row.instance._assigned_before = {
                **getattr(row.instance, "_assigned_before", {}),
                name: new_id,
            }
        if removed:
            grants_bulk_remove(model, removed)
        if added:
            grants_bulk_assign(model, added)


def estimate_rows(handle, file_format: str) -> int:
    """About how many records the file holds, for the progress bar (not a limit)."""
    handle.seek(0)
    if file_format == "csv":
        lines = 0
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
        handle.seek(0)
        return max(lines - 1, 0)
    try:
        from openpyxl import load_workbook

        check_xlsx(handle)  # nothing is opened before its declared sizes are checked
        book = load_workbook(handle, read_only=True)
        rows = (book.active.max_row or 1) - 1
        book.close()
    except Exception:
        rows = 0
    handle.seek(0)
    return max(rows, 0)


class RejectedRows:
    """The invalid rows as an XLSX, in the file's own columns plus one saying what is wrong,
    ready to be fixed and imported again. Built in constant memory."""

    def __init__(self, headers: list[str]):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("Rejected rows")
        self.width = len(headers)
        self.sheet.append(_as_text(self.sheet, [*headers, "Row", "Errors"]))

    def add(self, row) -> None:
        cells = list(row.cells[: self.width]) + [""] * (self.width - len(row.cells))
        errors = "; ".join(
            f"{header}: {message}" if header else message for header, _, message in row.errors
        )
        self.sheet.append(_as_text(self.sheet, [*cells, str(row.number), errors]))

    def file(self):
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the caller closes it)
        self.book.save(handle)
        handle.seek(0)
        return handle


def _as_text(sheet, values):
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # what the clerk typed, even "=…", stays text
        out.append(cell)
    return out
