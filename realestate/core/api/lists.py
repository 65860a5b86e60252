"""What every list of the app takes besides its own filters: ``updated_since`` (sync only
what changed since the last pull) and ``ordering``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

UPDATED_SINCE_HELP = (
    "Only records changed at or after this moment (ISO 8601 with a time zone, e.g. "
    "`2026-05-04T09:30:00+04:00`): the app sends the time of its last sync."
)


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """Compared in UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows
    (up to ±23:59); a moment beyond the calendar in UTC is its first or last moment."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                value = (datetime.max if value.year == datetime.max.year else datetime.min).replace(
                    tzinfo=UTC
                )
        return super().filter(qs, value)


class SyncFilterSet(django_filters.FilterSet):
    updated_since = UpdatedSinceFilter(
        field_name="updated_at", lookup_expr="gte", help_text=UPDATED_SINCE_HELP
    )


def ordering(*fields: str, help_text: str = "") -> django_filters.OrderingFilter:
    """``ordering=<field>`` or ``-<field>`` (descending) over ``fields``."""
    return django_filters.OrderingFilter(
        fields=fields,
        help_text=help_text or "Sort by a field; `-` before it for descending.",
    )


MAX_ID = 2**63 - 1


class _IdField(forms.IntegerField):
    """Digits only (no ``1.0``, ``+1``, ``1_000``, spaces), within a database id's range."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]{1,19}", str(value)):
            raise forms.ValidationError("Expected a record id: a whole number.", code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A record's id, e.g. ``lease=12``."""

    field_class = _IdField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)
