from rest_framework import serializers

from realestate.properties.models import Project, Unit


class ProjectBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "code", "name", "city", "status"]


class UnitSerializer(serializers.ModelSerializer):
    project = ProjectBriefSerializer(read_only=True)
    building = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    distance_km = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id", "code", "project", "building", "unit_type", "purpose", "status", "floor",
            "bedrooms", "bathrooms", "area_sqm", "list_price", "monthly_rent", "currency",
            "latitude", "longitude", "agent", "distance_km", "updated_at",
        ]

    def get_distance_km(self, obj) -> float | None:
        distance = getattr(obj, "distance", None)
        return None if distance is None else round(distance.km, 3)
