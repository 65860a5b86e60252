"""Units as the mobile app reads them (the API is read-only: every field is output)."""

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from realestate.properties.models import Project, Unit


class ProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name", "city", "status"]
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

    def get_distance_km(self, obj) -> float | None:
        distance = getattr(obj, "distance", None)
        return None if distance is None else round(distance.km, 3)
