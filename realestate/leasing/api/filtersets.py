"""Filters of the app's leasing lists."""

from __future__ import annotations

import django_filters

from realestate.core.api.lists import SyncFilterSet, ordering
from realestate.leasing.choices import LeaseStatus, MaintenanceStatus
from realestate.leasing.models import Lease, MaintenanceRequest
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit


class LeaseFilterSet(SyncFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=LeaseStatus.choices, help_text="Leases in any of these statuses."
    )
    ordering = ordering("start_date", "updated_at")

    class Meta:
        model = Lease
        fields = ["status"]


class MaintenanceFilterSet(SyncFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=MaintenanceStatus.choices, help_text="Requests in any of these statuses."
    )
    ordering = ordering("created_at", "updated_at")

    class Meta:
        model = MaintenanceRequest
        fields = ["status"]


class OwnerUnitFilterSet(SyncFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=UnitStatus.choices, help_text="Units in any of these statuses."
    )
    ordering = ordering("code", "updated_at")

    class Meta:
        model = Unit
        fields = ["status"]
