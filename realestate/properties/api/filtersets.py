"""Query filters of the unit API, including the geographic ones.

Each filter takes exactly what the schema says it takes (``UNIT_FILTER_PARAMETERS`` is built
from the same patterns and bounds) and answers anything else with 400 naming the parameter:
no whitespace, no ``NaN`` or infinity, no number too large for the database, no coordinate off
the globe. An empty value is as if the parameter were not sent, except for ``status`` and
``type``, which take a list.
"""

from __future__ import annotations

import functools
import operator
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import django_filters
from django import forms
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework.exceptions import ValidationError

from realestate.core.api.lists import LeanFilterSet
from realestate.properties.availability import units_available_on, units_unavailable_on
from realestate.properties.choices import UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Project, Unit
from realestate.properties.selectors import (
    bbox_around,
    bbox_condition,
    box_prefilter,
    units_in_bbox,
    units_near,
)

MAX_RADIUS_KM = 500
DEFAULT_RADIUS_KM = 5
#: Prices and rents have 12 digits before the point (``MONEY``: 14 digits, 2 decimals).
MAX_AMOUNT = Decimal("999999999999.99")
MAX_BEDROOMS = 32767  # PositiveSmallIntegerField
CENT = Decimal("0.01")

NUMBER = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
INTEGER = r"-?[0-9]+"
#: Degrees as decimals (no exponent), longitude within ±180 and latitude within ±90.
LONGITUDE = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
LATITUDE = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
NEAR = rf"{LONGITUDE},{LATITUDE}"
IN_BBOX = rf"{LONGITUDE},{LATITUDE},{LONGITUDE},{LATITUDE}"
PROJECT_CODE = r"[-a-zA-Z0-9_]+"
PROJECT_CODE_MAX = Project._meta.get_field("code").max_length


def _full(pattern: str) -> str:
    """The pattern as the schema states it (ECMA anchors)."""
    return f"^{pattern}$"


class StrictMixin:
    """Takes the value as sent: no surrounding whitespace, no digits of other scripts, no
    ``1_000``, which Python's number parsing would accept and the schema does not."""

    pattern = ""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(self.pattern, str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class StrictDecimalField(StrictMixin, forms.DecimalField):
    pattern = NUMBER


class StrictIntegerField(StrictMixin, forms.IntegerField):
    pattern = INTEGER


class AmountFilter(django_filters.NumberFilter):
    """A price or rent bound. Amounts have cents at most, so a bound with more decimals is
    rounded inwards (``min`` up, ``max`` down) to the cent: the same rows match."""

    field_class = StrictDecimalField

    def __init__(self, *args, rounding: str, **kwargs):
        self.rounding = rounding
        super().__init__(*args, min_value=0, max_value=MAX_AMOUNT, **kwargs)

    def filter(self, qs, value):
        if value is not None:
            value = value.quantize(CENT, rounding=self.rounding)
        return super().filter(qs, value)


class RadiusFilter(django_filters.NumberFilter):
    field_class = StrictDecimalField


class CountFilter(django_filters.NumberFilter):
    field_class = StrictIntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=0, max_value=MAX_BEDROOMS, **kwargs)


def _pattern_filter(pattern: str, message: str, **kwargs) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        strip=False,
        validators=[RegexValidator(rf"\A{pattern}\Z", message)],
        **kwargs,
    )


def _above_zero(value):
    if value <= 0:
        raise forms.ValidationError(f"Must be above 0 and at most {MAX_RADIUS_KM}.")


NEAR_MESSAGE = (
    "Expected longitude,latitude in decimal degrees, e.g. 55.27,25.20: longitude from -180 "
    "to 180, latitude from -90 to 90."
)
IN_BBOX_MESSAGE = (
    "Expected min_lng,min_lat,max_lng,max_lat in decimal degrees, e.g. 55.1,25.0,55.4,25.3: "
    "longitudes from -180 to 180, latitudes from -90 to 90."
)


class UnitFilterSet(LeanFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=UnitStatus.choices)
    type = django_filters.MultipleChoiceFilter(field_name="unit_type", choices=UnitType.choices)
    purpose = django_filters.ChoiceFilter(choices=UnitPurpose.choices)
    project = _pattern_filter(
        PROJECT_CODE,
        "A project code has letters, digits, - and _ only.",
        field_name="project__code",
        max_length=PROJECT_CODE_MAX,
    )
    min_price = AmountFilter(field_name="list_price", lookup_expr="gte", rounding=ROUND_CEILING)
    max_price = AmountFilter(field_name="list_price", lookup_expr="lte", rounding=ROUND_FLOOR)
    min_rent = AmountFilter(field_name="monthly_rent", lookup_expr="gte", rounding=ROUND_CEILING)
    max_rent = AmountFilter(field_name="monthly_rent", lookup_expr="lte", rounding=ROUND_FLOOR)
    bedrooms = CountFilter()
    min_bedrooms = CountFilter(field_name="bedrooms", lookup_expr="gte")
    near = _pattern_filter(NEAR, NEAR_MESSAGE, method="filter_near")
    radius_km = RadiusFilter(
        method="filter_noop",
        max_value=MAX_RADIUS_KM,
        validators=[_above_zero],
    )
    in_bbox = _pattern_filter(IN_BBOX, IN_BBOX_MESSAGE, method="filter_in_bbox")
    available = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_available"
    )
    available_on = django_filters.DateFilter(method="filter_available_on")

    class Meta:
        model = Unit
        fields = ["status", "type", "purpose", "project", "bedrooms"]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_near(self, queryset, name, value):
        radius = self.form.cleaned_data.get("radius_km") or DEFAULT_RADIUS_KM
        return units_near(queryset, point=_point(value), radius_km=float(radius))

    def filter_available(self, queryset, name, value):
        today = timezone.localdate()
        if value == "true":
            return units_available_on(queryset, today)
        return units_unavailable_on(queryset, today)

    def filter_available_on(self, queryset, name, value):
        return units_available_on(queryset, value)

    def filter_in_bbox(self, queryset, name, value):
        bbox = _bbox(value)
        if bbox is None:
            raise ValidationError(
                {"in_bbox": ["Give the south-west corner, then the north-east one."]}
            )
        return units_in_bbox(queryset, bbox=bbox)


def _point(value: str) -> Point:
    """``near``'s ``longitude,latitude`` (already matched by ``NEAR``)."""
    lng, lat = (float(part) for part in value.split(","))
    return Point(lng, lat, srid=4326)


def _bbox(value: str) -> tuple[float, float, float, float] | None:
    """``in_bbox``'s corners (already matched by ``IN_BBOX``); None when they are the wrong
    way round."""
    min_lng, min_lat, max_lng, max_lat = (float(part) for part in value.split(","))
    if min_lng >= max_lng or min_lat >= max_lat:
        return None
    return min_lng, min_lat, max_lng, max_lat


def near_asked(params) -> tuple[str, float] | None:
    """``near`` and ``radius_km`` (its default when empty, in km) when both are values the
    filters take; None when ``near`` is not asked or a value is one they answer 400 for.
    Checked before a statement runs a ``near`` page: no geometry is made for it."""
    near = params.get("near", "")
    if not near:
        return None
    radius = params.get("radius_km", "") or str(DEFAULT_RADIUS_KM)
    if not (re.fullmatch(NEAR, near) and re.fullmatch(NUMBER, radius)):
        return None
    exact = Decimal(radius)  # compared as the filter compares it, not rounded to a float
    if not 0 < exact <= MAX_RADIUS_KM:
        return None
    return near, float(exact)


def near_parameters(connection, params) -> dict:
    """The parameters a ``near`` search passes to the database for these values (``near``,
    ``radius_km``), as Django makes them from the filters' conditions: the point, the
    circle's box (the units' and the grants' condition), the radius in metres. A
    ``core.statements`` statement's slots."""
    near, radius_km = near_asked(params)
    point = _point(near)
    location = Unit._meta.get_field("location")
    return {
        "point": connection.ops.Adapter(location.get_prep_value(point)),
        "box": connection.ops.Adapter(location.get_prep_value(bbox_around(point, radius_km))),
        "metres": connection.ops.get_distance(location, [D(km=radius_km)], "distance_lte")[0],
    }


def grant_narrowing(params) -> Q | None:
    """What ``near`` (with ``radius_km``) and ``in_bbox`` ask, as a condition on the location
    a unit's grants copy, for ``restrict(narrow=...)``: the search then starts from the
    caller's grants inside the circle or the box, not from all of them. None when neither is
    asked or a value is not one the filters take (they answer 400 for it)."""
    conditions = []
    if params.get("near", ""):
        asked = near_asked(params)
        if asked is None:
            return None
        # The circle's box only: the grants' index answers it, and the distance is then
        # computed once per unit (the unit's own circle test), not for each of its grants.
        near, radius_km = asked
        conditions.append(box_prefilter(bbox_around(_point(near), radius_km)))
    box = params.get("in_bbox", "")
    if box:
        bbox = _bbox(box) if re.fullmatch(IN_BBOX, box) else None
        if bbox is None:
            return None
        conditions.append(bbox_condition(bbox))
    return functools.reduce(operator.and_, conditions) if conditions else None


def _query(name: str, schema: dict, description: str, *examples: tuple[str, object]):
    return OpenApiParameter(
        name,
        schema,
        OpenApiParameter.QUERY,
        description=description,
        examples=[OpenApiExample(summary, value=value) for summary, value in examples],
    )


def _choices(choices) -> dict:
    return {"type": "string", "enum": [value for value, _label in choices]}


AMOUNT = {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT)}
COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_BEDROOMS}

#: The unit list's query parameters, as ``UnitFilterSet`` reads them.
UNIT_FILTER_PARAMETERS = [
    OpenApiParameter(
        "status",
        {"type": "array", "items": _choices(UnitStatus.choices)},
        OpenApiParameter.QUERY,
        explode=True,
        style="form",
        description="Units in any of these statuses (`status=available&status=reserved`).",
    ),
    OpenApiParameter(
        "type",
        {"type": "array", "items": _choices(UnitType.choices)},
        OpenApiParameter.QUERY,
        explode=True,
        style="form",
        description="Units of any of these types (`type=villa&type=townhouse`).",
    ),
    _query("purpose", _choices(UnitPurpose.choices), "Units for sale, for rent, or both."),
    _query(
        "project",
        {"type": "string", "pattern": _full(PROJECT_CODE), "maxLength": PROJECT_CODE_MAX},
        "Units of the project with this code.",
        ("Marina Heights", "marina-heights"),
    ),
    _query("min_price", AMOUNT, "List price at least this (decimal).", ("1.5 M", 1500000)),
    _query("max_price", AMOUNT, "List price at most this (decimal)."),
    _query("min_rent", AMOUNT, "Monthly rent at least this (decimal)."),
    _query("max_rent", AMOUNT, "Monthly rent at most this (decimal)."),
    _query("bedrooms", COUNT, "Exactly this many bedrooms.", ("Two", 2)),
    _query("min_bedrooms", COUNT, "At least this many bedrooms."),
    _query(
        "near",
        {"type": "string", "pattern": _full(NEAR)},
        "`longitude,latitude` (decimal degrees): units within `radius_km` of the point, "
        "nearest first, each with its `distance_km`.",
        ("Downtown Dubai", "55.2708,25.2048"),
    ),
    _query(
        "radius_km",
        {
            "type": "number",
            "minimum": 0,
            "exclusiveMinimum": True,
            "maximum": MAX_RADIUS_KM,
            "default": DEFAULT_RADIUS_KM,
        },
        "Radius of `near` in kilometres, above 0 and at most 500 (checked even without `near`).",
        ("Ten km", 10),
    ),
    _query(
        "in_bbox",
        {"type": "string", "pattern": _full(IN_BBOX)},
        "`min_lng,min_lat,max_lng,max_lat` (decimal degrees): units inside the box. The "
        "south-west corner comes first: a minimum not below its maximum is refused (400).",
        ("Dubai", "55.1,25.0,55.4,25.3"),
    ),
    _query(
        "available",
        {"type": "string", "enum": ["true", "false"]},
        "`true`: units free today, that an agent may offer: status `available`, and no "
        "active reservation and no draft or active lease holding them today. `false`: the "
        "others.",
        ("Free today", "true"),
    ),
    _query(
        "available_on",
        {"type": "string", "format": "date"},
        "Units free on this day: status `available` now, and no active reservation "
        "running to that day and no draft or active lease whose dates cover it (a unit let "
        "now is not offered for a later day).",
        ("A day", "2026-09-01"),
    ),
]
