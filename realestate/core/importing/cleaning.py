"""The importer's per-value work: a field's value cleaned as the model's ``full_clean`` would
(quickly where its rules are Django's own), its messages in words, existing rows looked up by
key, and the collector run once per chunk."""

from __future__ import annotations

import contextlib
import datetime
import gc
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import BooleanField, CharField, TextField
from django.db.models.expressions import RawSQL


@contextlib.contextmanager
def _collected_per_chunk():
    """Python's cyclic garbage collector off during a pass, and run once after each chunk
    on the young objects instead: left on, it scans the chunk's thousands of live rows over
    and over as they are made (a fifth of the time spent checking a row). Objects without
    cycles are freed as always; collections resume as before after the pass."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _key_in(queryset, model, key_field: str, keys: set):
    """``queryset.filter(<key_field>__in=keys)``; on PostgreSQL, for a text key, as
    ``= ANY(%s)`` with the keys in one array parameter: the same index scan, without a
    statement of thousands of parameters for Django to build and PostgreSQL to parse."""
    model_field = model._meta.get_field(key_field)
    text = isinstance(model_field, CharField | TextField)
    if connection.vendor != "postgresql" or not text or len(keys) < 100:
        return queryset.filter(**{f"{key_field}__in": keys})
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model_field.column)}"
    any_of = RawSQL(f"{column} = ANY(%s)", [sorted(keys)], output_field=BooleanField())
    return queryset.filter(any_of)


#: Django's field classes whose ``to_python`` gives back a value of this type as it is
#: (a Decimal: an equal copy) and whose ``validate`` is ``Field.validate``: for them, a
#: value of that type that is not empty, on a field without choices, is cleaned by running
#: the field's validators alone (``_field_clean``).
QUICK = {
    models.CharField: str,
    models.TextField: str,
    models.SmallIntegerField: int,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.DecimalField: Decimal,
    models.DateField: datetime.date,
}


def _quick(model_field):
    """The type ``_field_clean`` may clean by its validators alone, or None."""
    if model_field.choices is not None:
        return None
    return QUICK.get(type(model_field))


def _field_clean(model_field, raw, instance, quick=None) -> tuple:
    """(True, the cleaned value) or (False, the field's errors): ``model_field.clean``. A
    value of the field's ``quick`` type goes through the field's validators only, which is
    all ``clean`` does with it besides tests it passes (not None, not empty, finite); any
    error, and any other value, is left to ``clean`` itself, for its exact messages."""
    if type(raw) is quick and (raw if quick is str else (quick is not Decimal or raw.is_finite())):
        try:
            for validator in model_field.validators:
                validator(raw)
        except ValidationError:
            pass
        else:
            return True, Decimal(raw) if quick is Decimal else raw
    try:
        return True, model_field.clean(raw, instance)
    except ValidationError as error:
        return False, error.error_list


def _pure(model_field) -> bool:
    """Whether a field's cleaning depends on its value alone (Django's own field and
    validators), so that a value's outcome can be remembered for the next rows."""
    parts = [type(model_field), *model_field.validators]
    return all((getattr(part, "__module__", "") or "").startswith("django.") for part in parts)


def _messages(error: ValidationError):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            yield name, " ".join(str(m) for e in errors for m in e.messages)
    else:
        yield "", " ".join(error.messages)


def _display(value) -> str:
    return "" if value is None else str(value)


# --- a whole job ------------------------------------------------------------------------
