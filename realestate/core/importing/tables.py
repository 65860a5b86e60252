"""What an importable record looks like in a spreadsheet: its columns, their human headers,
what each takes, and how a row becomes a record.

An app declares a table in its ``resources.py`` (``UnitTable(ImportTable)``) and registers it
(``table_register``); the importer, the exports, the XLSX templates and the admin all read the
same declaration. Rows name other records by business codes (``Column(ref=(Project, "code"))``),
looked up in bulk, a chunk of rows at a time, within what the importing user may see.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import struct
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import import_module

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

_TABLES: dict[str, type[ImportTable]] = {}

TRUE = {"yes", "y", "true", "1", "x"}
FALSE = {"no", "n", "false", "0", ""}


def table_register(table: type[ImportTable]) -> type[ImportTable]:
    _TABLES[table.key()] = table
    return table


@functools.cache
def _load_all() -> None:
    """Import every app's ``resources`` module, where tables register themselves."""
    for config in apps.get_app_configs():
        if config.name.startswith("realestate."):
            _import_resources(config.name)


def _import_resources(app_name: str) -> None:
    try:
        import_module(f"{app_name}.resources")
    except ModuleNotFoundError as error:
        if error.name != f"{app_name}.resources":
            raise


def tables() -> list[str]:
    """The keys of every registered table (``app_label.model_name``)."""
    _load_all()
    return sorted(_TABLES)


def table_for(key: str) -> type[ImportTable]:
    if key not in _TABLES:  # a job worker that has not loaded the app's resources yet
        _import_resources(apps.get_app_config(key.split(".", 1)[0]).name)
    return _TABLES[key]


def table_of_model(model) -> type[ImportTable] | None:
    key = f"{model._meta.app_label}.{model._meta.model_name}"
    try:
        return table_for(key)
    except KeyError:
        return None


class CellError(ValueError):
    """A cell's value refused, with the words the clerk reads."""


@dataclass
class Column:
    name: str
    header: str
    note: str = ""
    example: str = ""
    required: bool = False
    #: (model, code field): the cell names another record by its business code.
    ref: tuple | None = None
    #: Exported for information only; ignored by the importer.
    readonly: bool = False
    #: For "latitude"/"longitude": the point field the pair fills.
    point: str | None = None
    model_field: models.Field | None = field(default=None, repr=False)

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.model_field is not None and self.model_field.choices:
            return [(str(value), str(label)) for value, label in self.model_field.flatchoices]
        return []

    def choice_lookup(self) -> dict[str, str]:
        """Lower-cased values and labels to values: built once per import, not per cell."""
        lookup = {}
        for value, label in self.choices:
            lookup[label.lower()] = value
            lookup[value.lower()] = value
        return lookup


class ImportTable:
    """The columns of one model and how rows become records; subclasses declare ``model``,
    ``key_field`` and ``columns`` and may refine ``extra_checks`` and ``write``."""

    model: type[models.Model]
    key_field = "code"
    columns: list[Column] = []
    select_related: tuple[str, ...] = ()
    #: Rows are checked and written by the app's services, one at a time, instead of in bulk
    #: (``core.importing.service_tables.ServiceTable``: leases, balances, payments).
    through_services = False
    #: Model fields the table checks itself in ``extra_checks`` instead of ``full_clean``
    #: (a status that moves through its service, where an empty cell keeps the stored one).
    checked_fields: tuple[str, ...] = ()

    @classmethod
    def key(cls) -> str:
        return f"{cls.model._meta.app_label}.{cls.model._meta.model_name}"

    def __init__(self, user=None):
        self.user = user
        self._parsers: dict = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._by_name = {column.name: column for column in self.columns}
        for column in self.columns:
            if column.point or column.model_field is not None:
                continue
            with contextlib.suppress(FieldDoesNotExist):
                column.model_field = self.model._meta.get_field(column.name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def importable(self) -> list[Column]:
        return [column for column in self.columns if not column.readonly]

    def column(self, name: str) -> Column:
        return self._by_name[name]

    # --- headers ------------------------------------------------------------------------

    @staticmethod
    def normal(header: str) -> str:
        return " ".join(str(header).replace("_", " ").lower().split())

    def match_headers(self, headers: list[str]):
        """(columns by position, missing required headers, unknown headers)."""
        names = {}
        for column in self.columns:
            names[self.normal(column.header)] = column
            names[self.normal(column.name)] = column
        by_position: dict[int, Column] = {}
        unknown = []
        for index, header in enumerate(headers):
            if not header:
                continue
            column = names.get(self.normal(header))
            if column is None:
                unknown.append(header)
            elif not column.readonly:
                by_position[index] = column
        present = {column.name for column in by_position.values()}
        missing = [
            column.header
            for column in self.importable()
            if (column.required or column.name == self.key_field) and column.name not in present
        ]
        return by_position, missing, unknown

    # --- cells --------------------------------------------------------------------------

    def parse(self, column: Column, text: str):
        """The Python value of a cell (references stay codes here: resolved in bulk)."""
        parser = self._parsers.get(column.name)
        if parser is None:
            parser = self._parsers[column.name] = self._parser(column)
        return parser(text)

    def reader(self, column: Column):
        """What ``parse`` does for the cells of ``column``, as one function the importer
        calls per cell (a table that refines ``parse`` keeps its refinement)."""
        if type(self).parse is not ImportTable.parse:
            return functools.partial(self.parse, column)
        parser = self._parsers.get(column.name)
        if parser is None:
            parser = self._parsers[column.name] = self._parser(column)
        return parser

    def _parser(self, column: Column):
        """The function that reads the cells of ``column``: chosen once per import."""
        if column.ref or column.point:
            return lambda text: text or None
        model_field = column.model_field
        if model_field.null:
            empty = None
        elif model_field.has_default():
            empty = model_field.get_default()
        elif isinstance(model_field, models.CharField | models.TextField):
            empty = ""
        else:
            empty = None
        lookup = column.choice_lookup()
        if lookup:
            allowed = ", ".join(label for _, label in column.choices)

            def choice(text):
                if text == "":
                    return empty
                try:
                    return lookup[text.lower()]
                except KeyError:
                    raise CellError(f"“{text}” is not one of: {allowed}.") from None

            return choice
        if isinstance(model_field, models.BooleanField):
            return lambda text: empty if text == "" else _yes_no(text)
        if isinstance(model_field, models.DecimalField | models.FloatField):
            return lambda text: empty if text == "" else _number(text)
        if isinstance(model_field, models.IntegerField):
            return lambda text: empty if text == "" else _whole(text)
        if isinstance(model_field, models.DateField):
            return lambda text: empty if text == "" else _date(text)
        return lambda text: empty if text == "" else text

    def point(self, values: dict, row_errors: list, point_field: str):
        """The point of a row's latitude and longitude (taken out of ``values``), as hex
        EWKB: GeoDjango takes that for a point field and builds its geometry only when it is
        read, while the importer writes it to PostGIS as it is (no GEOS object per row)."""
        latitude, longitude = values.pop("latitude", None), values.pop("longitude", None)
        if latitude is None and longitude is None:
            return None
        if latitude is None or longitude is None:
            missing = "latitude" if latitude is None else "longitude"
            other = "longitude" if missing == "latitude" else "latitude"
            row_errors.append((missing, "", f"{missing} is missing while {other} is given."))
            return None
        coordinates = {}
        for axis, text, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
            try:
                value = float(Decimal(text))
            except InvalidOperation:
                row_errors.append((axis, text, f"“{text}” is not a number."))
                continue
            if abs(value) > bound:
                row_errors.append((axis, text, f"{value} is out of range (-{bound} to {bound})."))
                continue
            coordinates[axis] = value
        if len(coordinates) < 2:
            return None
        return point_hex(coordinates["longitude"], coordinates["latitude"])

    # --- references, in bulk ------------------------------------------------------------

    def ref_queryset(self, column: Column):
        model = column.ref[0]
        manager = model._default_manager
        if self.user is not None and hasattr(manager, "restrict"):
            return manager.restrict(self.user, "view")
        return manager.all()

    def resolve(self, column: Column, codes: set[str]) -> dict[str, models.Model]:
        if not codes:
            return {}
        code_field = column.ref[1]
        found = self.ref_queryset(column).filter(**{f"{code_field}__in": codes})
        return {str(getattr(obj, code_field)): obj for obj in found}

    def ref_missing(self, column: Column, code: str) -> str:
        label = column.ref[0]._meta.verbose_name
        return f"No {label} with {column.ref[1]} “{code}” (or not one you may see)."

    def extra_checks(self, rows: list) -> None:
        """Checks over a chunk of built rows, in bulk (``rows``: ``PreparedRow`` list): here,
        that an agent field names an active sales agent (``core.assignments``), unless it
        keeps the agent the record holds already; one query per chunk, not one per row."""
        for name in getattr(self.model, "agent_fields", ()):
            if not any(column.name == name for column in self.columns):
                continue
            wanted = {
                getattr(row.instance, f"{name}_id")
                for row in rows
                if getattr(row.instance, f"{name}_id")
                and row.before.get(name, -1) != getattr(row.instance, f"{name}_id")
            }
            if not wanted:
                continue
            users = self.model._meta.get_field(name).related_model._default_manager
            agents = set(users.active_agents().filter(pk__in=wanted).values_list("pk", flat=True))
            # Assigning hands out the record's grants: the same people the admin's agent
            # field offers this user (their branches' agents, themselves).
            assignable = agents
            if self.user is not None:
                assignable = set(
                    users.assignable_by(self.user, agents_only=True)
                    .filter(pk__in=agents)
                    .values_list("pk", flat=True)
                )
            header = self.column(name).header
            for row in rows:
                user_id = getattr(row.instance, f"{name}_id")
                if user_id not in wanted:
                    continue
                user = getattr(row.instance, name)
                code = str(getattr(user, self.column(name).ref[1]))
                if user_id not in agents:
                    message = f"{user} is not an active sales agent: choose one of the agents."
                    row.error(header, code, message)
                elif user_id not in assignable:
                    message = f"{user} is not one of the agents you may assign records to."
                    row.error(header, code, message)

    def write(self, rows: list, job) -> int:
        """Write a chunk's valid rows (``PreparedRow``: new and changed); returns how many.
        A table whose records change state through services refines this (leads' moves)."""
        from realestate.core.importing import writing

        return writing.write_rows(self, rows, job)

    # --- export -------------------------------------------------------------------------

    def export_queryset(self, queryset):
        return queryset.select_related(*self.select_related)

    def export_value(self, obj, column: Column):
        if column.point:
            point = getattr(obj, column.point)
            if point is None:
                return None
            return round(point.y if column.name == "latitude" else point.x, 6)
        if column.ref:
            target = getattr(obj, column.name)
            return None if target is None else getattr(target, column.ref[1])
        value = getattr(obj, column.name)
        if value is not None and column.model_field is not None and column.model_field.choices:
            if column.name not in self._labels:
                self._labels[column.name] = dict(column.choices)
            return self._labels[column.name].get(str(value), value)
        return value

    def export_row(self, obj) -> list:
        return [self.export_value(obj, column) for column in self.columns]

    def export_rows(self, queryset):
        """Every row of ``queryset`` as the export's values, read as tuples (codes joined in,
        no record object each): what keeps a 100,000-row export fast."""
        paths: list[str] = []
        for column in self.columns:
            path = column.point or (
                f"{column.name}__{column.ref[1]}" if column.ref else column.name
            )
            if path not in paths:
                paths.append(path)
        readers = []
        for column in self.columns:
            if column.point:
                index, axis = paths.index(column.point), column.name
                readers.append(
                    lambda row, i=index, a=axis: (
                        None
                        if row[i] is None
                        else round(row[i].y if a == "latitude" else row[i].x, 6)
                    )
                )
            else:
                path = f"{column.name}__{column.ref[1]}" if column.ref else column.name
                index = paths.index(path)
                labels = dict(column.choices) if column.choices else None
                if labels:
                    readers.append(lambda row, i=index, m=labels: m.get(row[i], row[i]))
                else:
                    readers.append(lambda row, i=index: row[i])
        for row in queryset.values_list(*paths).iterator(chunk_size=2000):
            yield [read(row) for read in readers]

    def compare_value(self, obj, column: Column):
        """The stored value as the importer compares it (codes, rounded coordinates)."""
        if column.point:
            return self.export_value(obj, column)
        if column.ref:
            return getattr(obj, f"{column.name}_id")
        return getattr(obj, column.name)


_EWKB_POINT = struct.Struct("<BIIdd")
#: Little-endian, a point with an SRID (EWKB's 0x20000000 flag on type 1).
_EWKB_POINT_TYPE = 0x20000001


def point_hex(x: float, y: float, srid: int = 4326) -> str:
    """The hex EWKB of a point: what ``Point(x, y, srid=srid).hexewkb`` gives, without GEOS."""
    return _EWKB_POINT.pack(1, _EWKB_POINT_TYPE, srid, x, y).hex().upper()


def _yes_no(text: str) -> bool:
    if text.lower() in TRUE | FALSE:
        return text.lower() in TRUE
    raise CellError(f"“{text}” is not yes or no.")


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        if "," in text:
            raise CellError(
                f"“{text}” is not a number: write decimals with a point (12.5) and no "
                "thousands separator (1250000)."
            ) from None
        raise CellError(f"“{text}” is not a number.") from None
    if not value.is_finite():
        raise CellError(f"“{text}” is not a number.")
    return value


def _whole(text: str) -> int:
    with contextlib.suppress(ValueError):
        return int(text)  # what Decimal reads as a whole number too, at once
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{text}” is not a whole number.") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise CellError(f"“{text}” is not a whole number.")
    return int(value)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise CellError(f"“{text}” is not a date (YYYY-MM-DD).") from None
