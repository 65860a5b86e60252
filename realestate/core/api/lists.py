"""What every list of the app takes besides its own filters: ``updated_since`` (sync only
what changed since the last pull) and ``ordering``."""

from __future__ import annotations

import copy
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


class LeanFilterSet(django_filters.FilterSet):
    """A filter set whose filters are shallow copies of the class's, not deep ones: django-filter
    deep-copies every filter (its choices, validators, widget arguments) for each request, 3 ms
    of a unit search. A request changes nothing of a filter but what is set here (the model,
    the filter set) and its form field, which each copy makes for itself (``_field`` is not
    copied); a filter with a ``method`` is bound to its copy again."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        base, self.base_filters = self.base_filters, {}
        try:
            super().__init__(data, queryset, request=request, prefix=prefix)
        finally:
            del self.base_filters  # the class's again
        model = self.queryset.model
        self.filters = {}
        for name, original in base.items():
            filter_ = copy.copy(original)
            filter_.__dict__.pop("_field", None)
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod of the copy, not the original
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        """The form class, made once per filter set class: django-filter makes a new class
        (and every filter's form field) for each request. Not for a filter set with a filter
        whose choices depend on the request (``QuerySetRequestMixin``)."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _ShallowCopied(form_class.base_fields)
            if not any(
                isinstance(filter_, django_filters.filters.QuerySetRequestMixin)
                for filter_ in self.filters.values()
            ):
                cls._form_class = form_class
        return form_class


class _ShallowCopied(dict):
    """A filter form's fields, copied shallowly for each form (Django deep-copies them: their
    widgets, validators, error messages and choices, 180 copies for the unit search). A
    filter form only validates its values, which changes nothing of its fields."""

    def __deepcopy__(self, memo):
        return {name: copy.copy(field) for name, field in self.items()}


class SyncFilterSet(LeanFilterSet):
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
