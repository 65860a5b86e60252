"""Units as the mobile app reads them (the API is read-only: every field is output)."""

import functools

from django.contrib.gis.measure import D
from django.db.models import F, FloatField, Func, QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from realestate.core.api.formats import AREA, decimal_text, moment_text, money_text
from realestate.core.statements import shared, statement
from realestate.properties.models import Project, Unit

PROJECT_BRIEF_FIELDS = ["id", "code", "name", "city", "status"]


class ProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = PROJECT_BRIEF_FIELDS
        read_only_fields = fields


UNIT_EXAMPLE = {
    "id": 42,
    "code": "MH-A-000042",
    "project": {
        "id": 1,
        "code": "marina-heights",
        "name": "Marina Heights",
        "city": "Dubai",
        "status": "completed",
    },
    "building": "MH-A",
    "unit_type": "apartment",
    "purpose": "both",
    "status": "available",
    "floor": 12,
    "bedrooms": 2,
    "bathrooms": 2,
    "area_sqm": "118.50",
    "list_price": "2350000.00",
    "monthly_rent": "12500.00",
    "currency": "AED",
    "latitude": 25.0805,
    "longitude": 55.1403,
    "agent": "agent1",
    "distance_km": 1.274,
    "updated_at": "2026-05-04T09:30:00+04:00",
}


@extend_schema_serializer(examples=[OpenApiExample("Unit", value=UNIT_EXAMPLE, response_only=True)])
class UnitSerializer(serializers.ModelSerializer):
    project = ProjectBriefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The unit's project; null for a stand-alone unit.",
    )
    building = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The code of the unit's building, or null.",
    )
    # Declared rather than derived from the model: the model's ranges depend on the database.
    floor = serializers.IntegerField(read_only=True, allow_null=True)
    bedrooms = serializers.IntegerField(read_only=True, min_value=0)
    bathrooms = serializers.IntegerField(read_only=True, min_value=0)
    list_price = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Asking price in `currency`, or null when the unit is not for sale.",
    )
    monthly_rent = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        min_value=0,
        help_text="Monthly rent in `currency`, or null when the unit is not for rent.",
    )
    latitude = serializers.FloatField(
        read_only=True,
        allow_null=True,
        min_value=-90,
        max_value=90,
        help_text="Latitude of the unit's location (WGS84), or null when it has none.",
    )
    longitude = serializers.FloatField(
        read_only=True,
        allow_null=True,
        min_value=-180,
        max_value=180,
        help_text="Longitude of the unit's location (WGS84), or null when it has none.",
    )
    agent = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="The username of the assigned agent, or null.",
    )
    distance_km = serializers.SerializerMethodField(
        help_text="Kilometres from the `near` point; null without `near`."
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "project",
            "building",
            "unit_type",
            "purpose",
            "status",
            "floor",
            "bedrooms",
            "bathrooms",
            "area_sqm",
            "list_price",
            "monthly_rent",
            "currency",
            "latitude",
            "longitude",
            "agent",
            "distance_km",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        """What the fields answer, read straight from the unit (``unit_answer``, the list's and
        the detail's own path): DRF's walk over nineteen fields, a nested serializer and two
        related fields, after building the fields from the model on every request (3 ms
        alone), cost more than the database for a page of 50 units. The declared fields still
        describe the answer in the schema (``test_unit_answer_is_the_fields``)."""
        location = instance.location
        return unit_answer(
            {
                **{column: getattr(instance, column) for column in UNIT_COLUMNS},
                "longitude": location.x if location else None,
                "latitude": location.y if location else None,
                **{name: _follow(instance, path.name) for name, path in RELATED_COLUMNS.items()},
                "distance": getattr(instance, "distance", None),
            }
        )

    def get_distance_km(self, obj) -> float | None:
        distance = getattr(obj, "distance", None)
        return None if distance is None else round(_metres(distance) / 1000, 3)


#: A unit's own columns in its answer, read as values by the unit list and detail
#: (``unit_rows``): no model, no geometry object, no signals for each of 50 rows.
UNIT_COLUMNS = (
    "id", "code", "unit_type", "purpose", "status", "floor", "bedrooms", "bathrooms",
    "area_sqm", "list_price", "monthly_rent", "currency", "updated_at",
)  # fmt: skip
#: Its relations' columns, by the names ``unit_answer`` reads.
RELATED_COLUMNS = {
    "project_pk": F("project__id"),
    "project_code": F("project__code"),
    "project_name": F("project__name"),
    "project_city": F("project__city"),
    "project_status": F("project__status"),
    "building_code": F("building__code"),
    "agent_username": F("agent__username"),
}


def _follow(instance, path: str):
    """What a lookup path (``project__code``) reaches from a model, None past a missing
    relation: a row's related columns from a unit read with its relations."""
    for name in path.split("__"):
        if instance is None:
            return None
        instance = getattr(instance, name)
    return instance


def _ordinate(function: str) -> Func:
    # ST_X / ST_Y on PostGIS and SpatiaLite alike: the coordinates, not the geometry.
    return Func(F("location"), function=function, output_field=FloatField())


def unit_rows(queryset: QuerySet):
    """``queryset``'s units as the values their answers need (``unit_answer``), their
    relations' columns joined."""
    return queryset.values(
        *UNIT_COLUMNS,
        longitude=_ordinate("ST_X"),
        latitude=_ordinate("ST_Y"),
        **RELATED_COLUMNS,
    )


@functools.cache
def _all_unit_rows():
    """Every unit's row (``unit_rows``), built once per process: each use filters a copy."""
    return unit_rows(Unit._base_manager.all())


def unit_rows_of(page: list[dict]) -> list[dict]:
    """A page of ``near`` matches (their ids, distances and the list's count) with their
    units' rows, read by id in one query: the matches are found, counted and ordered from
    the index of ids and locations, and only the page's rows are read. The query is a
    statement compiled once per number of ids (``core.statements``; the ids its slots)."""
    if not page:
        return []
    ids = [match["id"] for match in page]
    rows = statement(
        shared(),
        ("units.by_id", Unit._base_manager.db, len(ids)),
        lambda inputs: _all_unit_rows().filter(pk__in=inputs["ids"]),
        _id_slots,
        (
            {"ids": [-(10**12) - n for n in range(len(ids))]},
            {"ids": [-2 * 10**12 - n for n in range(len(ids))]},
        ),
    )
    found = {
        row["id"]: row
        for row in (
            rows.rows({"ids": ids}) if rows is not None else _all_unit_rows().filter(pk__in=ids)
        )
    }
    return [{**found[match["id"]], **match} for match in page]


def _id_slots(connection, inputs) -> dict:
    return {f"id{n}": pk for n, pk in enumerate(inputs["ids"])}


def _metres(distance) -> float:
    """A ``near`` match's distance in metres: a float as ``units_near`` reads it, or a
    ``Distance`` (``D(m=x).km`` is ``x / 1000`` exactly)."""
    return distance.m if isinstance(distance, D) else distance


def unit_answer(row: dict, moment=moment_text) -> dict:
    """A unit's answer from its row (``unit_rows``): the same keys, order and formats as
    ``UnitSerializer`` (``tests/api/test_fast_answers.py``)."""
    updated_at, distance = row["updated_at"], row.get("distance")
    return {
        "id": row["id"],
        "code": row["code"],
        "project": None
        if row["project_pk"] is None
        else {
            "id": row["project_pk"],
            "code": row["project_code"],
            "name": row["project_name"],
            "city": row["project_city"],
            "status": row["project_status"],
        },
        "building": row["building_code"],
        "unit_type": row["unit_type"],
        "purpose": row["purpose"],
        "status": row["status"],
        "floor": row["floor"],
        "bedrooms": row["bedrooms"],
        "bathrooms": row["bathrooms"],
        "area_sqm": decimal_text(AREA, row["area_sqm"]),
        "list_price": money_text(row["list_price"]),
        "monthly_rent": money_text(row["monthly_rent"]),
        "currency": row["currency"],
        "latitude": row["latitude"],
        "longitude": row["longitude"],
        "agent": row["agent_username"],
        "distance_km": None if distance is None else round(_metres(distance) / 1000, 3),
        "updated_at": moment(updated_at),
    }
