"""The columns of an admin list's export, declared once per admin (``export_columns``).

Each column is a path through the model's fields (``"unit__code"``), read with one
``values_list`` query for the whole export, however many rows: related records come out as
their business code or number joined in, never a query per row. Headers are human: a field's
own verbose name, or for a related record's code its relation's name (``"unit__code"`` →
"Unit"). Choices come out as their labels, money as numbers, dates as dates.

    export_columns = [
        "number",
        "unit__code",
        ("client__name", "Client"),
        Col("status"),
        Col("total", "Rooms", value=lambda total: total or 0),
    ]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models.constants import LOOKUP_SEP

#: Fields that name a record to people: a path ending in one of them is headed by the
#: relation's name alone ("unit__code" → "Unit").
NAMING_FIELDS = {"code", "number", "username", "name", "title"}


@dataclass(frozen=True)
class Col:
    """One column: the path read from the database, its header (derived when not given) and,
    optionally, a function turning the stored value into the exported one."""

    path: str
    header: str = ""
    value: Callable | None = None


def _as_col(spec) -> Col:
    if isinstance(spec, Col):
        return spec
    if isinstance(spec, str):
        return Col(spec)
    path, header = spec
    return Col(path, header)


def _field_chain(model, path: str) -> list:
    """The model fields the path walks through, or [] if it names no field (an annotation)."""
    chain = []
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return []
        chain.append(field)
        if field.is_relation:
            model = field.related_model
    return chain


def _cap(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _header(model, col: Col, chain: list) -> str:
    if col.header:
        return str(col.header)
    if not chain:
        raise ImproperlyConfigured(
            f"Export column {col.path!r} of {model.__name__} names no field: give it a header."
        )
    last = chain[-1]
    if len(chain) == 1:
        return _cap(last.verbose_name)
    relations = chain[:-1]
    if last.name in NAMING_FIELDS:
        return _cap(relations[-1].verbose_name)
    return _cap(" ".join(str(field.verbose_name) for field in chain))


class ExportColumns:
    """The resolved columns of one model's export: headers, and the rows of a queryset."""

    def __init__(self, model, specs):
        self.model = model
        self.columns = [_as_col(spec) for spec in specs]
        if not self.columns:
            raise ImproperlyConfigured(f"{model.__name__}: no export columns.")
        self.headers = []
        self.paths: list[str] = []
        self._readers = []
        for col in self.columns:
            chain = _field_chain(model, col.path)
            self.headers.append(_header(model, col, chain))
            if chain and chain[-1].is_relation and not chain[-1].many_to_many:
                raise ImproperlyConfigured(
                    f"Export column {col.path!r} of {model.__name__} is a relation: name its "
                    f"code or number ({col.path}__code), never its database id."
                )
            if col.path not in self.paths:
                self.paths.append(col.path)
            index = self.paths.index(col.path)
            labels = None
            if chain and getattr(chain[-1], "choices", None):
                labels = {value: str(label) for value, label in chain[-1].flatchoices}
            self._readers.append(self._reader(index, labels, col.value))

    @staticmethod
    def _reader(index: int, labels: dict | None, value: Callable | None):
        if value is not None:
            return lambda row: value(row[index])
        if labels:
            return lambda row: labels.get(row[index], row[index])
        return lambda row: row[index]

    def rows(self, queryset, chunk_size: int = 2000) -> Iterator[list]:
        """Every row of ``queryset`` as exported values: one query, read a chunk at a time."""
        rows = queryset.prefetch_related(None).values_list(*self.paths)
        for row in rows.iterator(chunk_size=chunk_size):
            yield [read(row) for read in self._readers]
