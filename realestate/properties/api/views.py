from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from realestate.api.permissions import ScopedViewSetMixin
from realestate.properties.api.filtersets import UnitFilterSet
from realestate.properties.api.serializers import UnitSerializer
from realestate.properties.models import Unit


@extend_schema_view(
    list=extend_schema(summary="Units the caller may see, filtered and optionally by distance"),
    retrieve=extend_schema(summary="One unit"),
)
class UnitViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    queryset = Unit.objects.select_related("project", "building", "agent").order_by("code")
