"""``/api/v1/owner/units/``: an owner's units, whether let, to whom (name, term and rent
only) and the rent collected on each this month and this year."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from realestate.clients.api.portal import ClientRecordsMixin, detail_schema, list_schema
from realestate.core.dates import month_start
from realestate.finance.selectors import rent_collected_by_unit
from realestate.leasing.api.filtersets import OwnerUnitFilterSet
from realestate.leasing.api.serializers import money
from realestate.leasing.selectors import current_leases
from realestate.properties.models import Unit

OCCUPIED, VACANT = "occupied", "vacant"


class LeaseSummarySerializer(serializers.Serializer):
    """The current lease as the owner sees it: no identity document, no phone."""

    number = serializers.CharField()
    tenant = serializers.CharField(help_text="The tenant's name.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True, help_text="Null: periodic.")
    monthly_rent = money()
    currency = serializers.CharField()


class OwnerUnitSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    building = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    bedrooms = serializers.IntegerField(read_only=True, min_value=0)
    occupancy = serializers.SerializerMethodField()
    current_lease = serializers.SerializerMethodField()
    collected_this_month = serializers.SerializerMethodField()
    collected_this_year = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id", "code", "project", "building", "unit_type", "bedrooms", "status", "occupancy",
            "current_lease", "collected_this_month", "collected_this_year", "currency",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[OCCUPIED, VACANT]))
    def get_occupancy(self, unit) -> str:
        return OCCUPIED if unit.pk in self.context["leases"] else VACANT

    @extend_schema_field(LeaseSummarySerializer(allow_null=True))
    def get_current_lease(self, unit) -> dict | None:
        lease = self.context["leases"].get(unit.pk)
        if lease is None:
            return None
        return LeaseSummarySerializer(
            {
                "number": lease.number,
                "tenant": lease.tenant.name,
                "start_date": lease.start_date,
                "end_date": lease.end_date,
                "monthly_rent": lease.monthly_rent,
                "currency": lease.currency,
            }
        ).data

    def _collected(self, unit, period: str) -> str:
        return f"{self.context[period].get(unit.pk, 0):.2f}"

    @extend_schema_field(money("Rent collected this month (payments received)."))
    def get_collected_this_month(self, unit) -> str:
        return self._collected(unit, "month")

    @extend_schema_field(money("Rent collected this calendar year."))
    def get_collected_this_year(self, unit) -> str:
        return self._collected(unit, "year")


def unit_facts(units) -> dict:
    """What the serializer adds to each unit, in three queries for a page."""
    today = timezone.localdate()
    ids = [unit.pk for unit in units]
    return {
        "leases": current_leases(ids),
        "month": rent_collected_by_unit(ids, month_start(today), today),
        "year": rent_collected_by_unit(ids, today.replace(month=1, day=1), today),
    }


@extend_schema_view(
    list=list_schema(
        "The owner's units: status, occupancy, current lease and rent collected",
        "owner",
        OwnerUnitSerializer,
    ),
    retrieve=detail_schema("One of the owner's units", "owner", OwnerUnitSerializer, "unit"),
)
class OwnerUnitViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OwnerUnitSerializer
    filterset_class = OwnerUnitFilterSet
    client_path = "owner"
    queryset = Unit.objects.select_related("project", "building").order_by("code")

    def get_serializer(self, instance=None, *args, **kwargs):
        if instance is not None:
            units = list(instance) if kwargs.get("many") else [instance]
            kwargs["context"] = {**self.get_serializer_context(), **unit_facts(units)}
        return super().get_serializer(instance, *args, **kwargs)
