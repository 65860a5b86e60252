from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets

from realestate.core.api.pagination import PageNumberPagination, with_row_count
from realestate.core.api.permissions import ScopedViewSetMixin
from realestate.core.api.schema import (
    RESPONSE_HEADERS,
    ErrorSerializer,
    error_responses,
    field_errors,
)
from realestate.properties.api.filtersets import UNIT_FILTER_PARAMETERS, UnitFilterSet
from realestate.properties.api.serializers import PROJECT_BRIEF_FIELDS, UnitSerializer
from realestate.properties.models import Building, Project, Unit

UNIT_FILTER_ERRORS = field_errors(
    "UnitFilterErrors",
    [parameter.name for parameter in UNIT_FILTER_PARAMETERS] + ["page"],
    description="A query parameter has a value the list does not take; each is named.",
    examples={
        "Bad point": {
            "near": "Expected longitude,latitude in decimal degrees, e.g. 55.27,25.20: longitude "
            "from -180 to 180, latitude from -90 to 90."
        }
    },
)
PAGE_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="The page is past the last one.",
    examples=[OpenApiExample("Past the end", value={"detail": "Invalid page."})],
)
UNIT_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such unit, or not one the caller may see (the same answer).",
    examples=[OpenApiExample("Not found", value={"detail": "No Unit matches the given query."})],
)


@extend_schema_view(
    list=extend_schema(
        summary="Units the caller may see, filtered and optionally by distance",
        parameters=[*UNIT_FILTER_PARAMETERS, *RESPONSE_HEADERS],
        responses={
            200: UnitSerializer(many=True),
            **error_responses(bad_request=UNIT_FILTER_ERRORS, not_found=PAGE_NOT_FOUND),
        },
    ),
    retrieve=extend_schema(
        summary="One unit",
        parameters=RESPONSE_HEADERS,
        responses={200: UnitSerializer, **error_responses(not_found=UNIT_NOT_FOUND)},
    ),
)
class UnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Units the caller may see; any other unit answers 404, as if it did not exist."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    pagination_class = PageNumberPagination
    queryset = Unit.objects.select_related("project", "building", "agent").order_by("code")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "distance" in queryset.query.annotations:
            # ``near``: every match is read to order them by distance; count them meanwhile.
            # The page's projects, buildings and agents are read after it, by id: joined,
            # PostgreSQL joins them to every match before ordering (its estimate of the
            # matches is low, so it compares each with all 400 buildings: 13 of 45 ms).
            queryset = with_row_count(
                queryset.select_related(None).prefetch_related(*RELATED_FOR_NEAR)
            )
        return queryset


#: What a unit's answer reads of its relations, read for a page of ``near`` by id.
RELATED_FOR_NEAR = [
    Prefetch("project", queryset=Project.objects.only(*PROJECT_BRIEF_FIELDS)),
    Prefetch("building", queryset=Building.objects.only("code")),
    Prefetch("agent", queryset=get_user_model().objects.only("username")),
]
