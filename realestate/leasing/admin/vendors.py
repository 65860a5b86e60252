"""The admin of vendors."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    ChoicesDropdownFilter,
)
from unfold.decorators import display

from realestate.core.admin import (
    ImportExportAdmin,
)
from realestate.leasing import selectors
from realestate.leasing.models import (
    Vendor,
)


@admin.register(Vendor)
class VendorAdmin(ImportExportAdmin):
    list_display = ["name", "trade", "phone", "email", "job_count"]
    list_filter = [("trade", ChoicesDropdownFilter)]
    search_fields = ["name", "email", "phone"]
    fields = ["name", "trade", "phone", "email"]

    def get_queryset(self, request):
        return selectors.vendors_with_job_counts(super().get_queryset(request))

    @display(description=_("Jobs"), ordering="job_total")
    def job_count(self, obj):
        return obj.job_total
