"""Query filters of the unit API, including the geographic ones."""

import django_filters
from django.contrib.gis.geos import Point
from rest_framework.exceptions import ValidationError

from realestate.properties.choices import UnitPurpose, UnitStatus, UnitType
from realestate.properties.models import Unit
from realestate.properties.selectors import units_in_bbox, units_near

MAX_RADIUS_KM = 500


def _floats(value: str, count: int, name: str, example: str) -> list[float]:
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != count:
        raise ValidationError({name: f"Expected {count} comma-separated numbers, e.g. {example}."})
    return numbers


class UnitFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=UnitStatus.choices)
    type = django_filters.MultipleChoiceFilter(field_name="unit_type", choices=UnitType.choices)
    purpose = django_filters.ChoiceFilter(choices=UnitPurpose.choices)
    project = django_filters.CharFilter(field_name="project__code")
    min_price = django_filters.NumberFilter(field_name="list_price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="list_price", lookup_expr="lte")
    min_rent = django_filters.NumberFilter(field_name="monthly_rent", lookup_expr="gte")
    max_rent = django_filters.NumberFilter(field_name="monthly_rent", lookup_expr="lte")
    bedrooms = django_filters.NumberFilter()
    min_bedrooms = django_filters.NumberFilter(field_name="bedrooms", lookup_expr="gte")
    near = django_filters.CharFilter(
        method="filter_near", label="Longitude,latitude; with radius_km, nearest first"
    )
    radius_km = django_filters.NumberFilter(method="filter_noop", label="Radius for near (km)")
    in_bbox = django_filters.CharFilter(
        method="filter_in_bbox", label="min_lng,min_lat,max_lng,max_lat"
    )

    class Meta:
        model = Unit
        fields = ["status", "type", "purpose", "project", "bedrooms"]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_near(self, queryset, name, value):
        lng, lat = _floats(value, 2, "near", "55.27,25.20")
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise ValidationError({"near": "Longitude must be within ±180 and latitude ±90."})
        radius = self.form.cleaned_data.get("radius_km")
        if radius is None:
            radius = 5
        if not 0 < radius <= MAX_RADIUS_KM:
            raise ValidationError({"radius_km": f"Must be above 0 and at most {MAX_RADIUS_KM}."})
        return units_near(queryset, point=Point(lng, lat, srid=4326), radius_km=float(radius))

    def filter_in_bbox(self, queryset, name, value):
        min_lng, min_lat, max_lng, max_lat = _floats(value, 4, "in_bbox", "55.1,25.0,55.4,25.3")
        if min_lng >= max_lng or min_lat >= max_lat:
            raise ValidationError({"in_bbox": "Give the south-west corner, then the north-east."})
        return units_in_bbox(queryset, bbox=(min_lng, min_lat, max_lng, max_lat))
