from django.contrib import admin
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import (
    AutocompleteSelectFilter,
    ChoicesDropdownFilter,
    RangeNumericFilter,
)
from unfold.decorators import action, display

from realestate.core.admin import (
    BaseAdmin,
    ImportExportAdmin,
    MapAdminMixin,
    ScopedInline,
    StepAction,
    StepActionsMixin,
    ViewOnlyHistoryAdmin,
    confirm,
    label_html,
    link,
    small_table,
    status_badge,
)
from realestate.core.changelist import FastChangeListMixin
from realestate.core.importing.columns import Col
from realestate.core.money import format_money
from realestate.documents.actions import GenerateDocumentsMixin
from realestate.properties import services
from realestate.properties.choices import PROJECT_STATUS, UNIT_STATUS_FLOW, UnitStatus
from realestate.properties.deals import DEAL_KINDS
from realestate.properties.models import (
    Amenity,
    Building,
    InventorySnapshot,
    Project,
    Unit,
    UnitPhoto,
)
from realestate.properties.pdf import unit_fact_sheet_pdf
from realestate.properties.resources import UnitResource


class BuildingInline(ScopedInline):
    model = Building
    fields = ["code", "name", "floors"]
    extra = 0
    show_change_link = True
    tab = True


@admin.register(Project)
class ProjectAdmin(MapAdminMixin, ImportExportAdmin):
    list_display = [
        "name",
        "code",
        "city",
        "project_status",
        "unit_count",
        "manager",
        "launch_date",
        "handover_date",
    ]
    list_select_related = ["manager"]
    list_filter = [("status", ChoicesDropdownFilter), "city"]
    search_fields = ["name", "code", "city"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["manager"]
    inlines = [BuildingInline]
    fieldsets = [
        (None, {"fields": ["name", "code", "status", "city", "address", "description"]}),
        (_("Management"), {"fields": ["manager"]}),
        (_("Dates"), {"fields": ["launch_date", "handover_date"]}),
        (_("Location"), {"fields": ["location", "boundary"]}),
    ]
    project_status = status_badge("status", PROJECT_STATUS)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_total=Count("units", distinct=True))

    @display(description=_("Units"), ordering="unit_total")
    def unit_count(self, obj):
        return obj.unit_total


@admin.register(Building)
class BuildingAdmin(MapAdminMixin, ImportExportAdmin):
    list_display = ["name", "code", "project", "floors", "unit_count", "manager"]
    list_select_related = ["project", "manager"]
    list_filter = [("project", AutocompleteSelectFilter)]
    search_fields = ["name", "code", "project__name", "project__code"]
    autocomplete_fields = ["project", "manager"]
    fields = ["project", "code", "name", "floors", "manager", "location"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unit_total=Count("units"))

    @display(description=_("Units"), ordering="unit_total")
    def unit_count(self, obj):
        return obj.unit_total


@admin.register(Amenity)
class AmenityAdmin(ImportExportAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class UnitPhotoInline(ScopedInline):
    model = UnitPhoto
    fields = ["image", "caption", "position"]
    extra = 0
    tab = True


#: How many of each kind of deal the unit page lists (newest first); the lists link to all.
DEAL_HISTORY_LIMIT = 10


@admin.register(Unit)
class UnitAdmin(
    GenerateDocumentsMixin,
    FastChangeListMixin,
    ViewOnlyHistoryAdmin,
    StepActionsMixin,
    MapAdminMixin,
    ImportExportAdmin,
):
    generated_kinds = ("fact_sheet",)
    # A million units: estimated counts, search by ids, light rows (see core.changelist).
    resource_classes = [UnitResource]
    list_display = [
        "code",
        "project",
        "building",
        "unit_type",
        "bedrooms",
        "area_sqm",
        "price",
        "unit_status",
        "agent",
    ]
    # A building's label names its project: select that too, or each row costs a query.
    list_select_related = ["project", "building__project", "agent"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("unit_type", ChoicesDropdownFilter),
        ("purpose", ChoicesDropdownFilter),
        ("project", AutocompleteSelectFilter),
        ("agent", AutocompleteSelectFilter),
        ("list_price", RangeNumericFilter),
        ("bedrooms", RangeNumericFilter),
    ]
    search_fields = ["code", "project__name", "project__code", "building__code"]
    autocomplete_fields = ["project", "building", "owner", "agent"]
    filter_horizontal = ["amenities"]
    readonly_fields = ["status", "created_at", "updated_at", "deal_history"]
    inlines = [UnitPhotoInline]
    fieldsets = [
        (
            None,
            {"fields": ["code", "status", "unit_type", "purpose", "project", "building", "floor"]},
        ),
        (
            _("Specifications"),
            {"fields": ["bedrooms", "bathrooms", "area_sqm", "amenities", "description"]},
        ),
        (_("Price"), {"fields": ["list_price", "monthly_rent", "currency"]}),
        (_("People"), {"fields": ["owner", "agent"]}),
        (_("Location"), {"fields": ["location"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    actions_detail = ["fact_sheet", "take_off_market", "return_to_market"]
    steps = {
        "take_off_market": StepAction(
            services.unit_take_off_market,
            _("Take off market"),
            "block",
            _("Unit %(record)s taken off market."),
            when={UnitStatus.AVAILABLE},
            bulk=True,
            dialog=confirm(
                _("Take off market"),
                _(
                    "The unit is no longer offered for sale or rent until it is "
                    "returned to the market."
                ),
                _("Take off market"),
            ),
        ),
        "return_to_market": StepAction(
            services.unit_return_to_market,
            _("Return to market"),
            "storefront",
            _("Unit %(record)s is back on the market."),
            when={UnitStatus.OFF_MARKET},
            bulk=True,
            dialog=confirm(
                _("Return to market"),
                _("The unit is available again for reservations and leases."),
                _("Return to market"),
            ),
        ),
    }
    unit_status = status_badge("status", UNIT_STATUS_FLOW)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        obj._viewer = request.user  # the deal history lists only what this user may see
        deals = (_("Sales and leasing"), {"fields": ["deal_history"]})
        return [*fieldsets[:-1], deals, fieldsets[-1]]

    @display(description=_("History"))
    def deal_history(self, obj):
        """The unit's deals (reservations, sale contracts, leases: the kinds their apps register
        in ``properties.deals``), newest first: one bounded query per kind."""
        if obj.pk is None:
            return "—"
        user = getattr(obj, "_viewer", None)
        rows, more = [], []
        for deal in DEAL_KINDS:
            model, kind, party, newest = deal.model, deal.label, deal.party, deal.newest
            queryset = (
                model.objects.restrict(user, "view")
                .filter(unit=obj)
                .select_related(party)
                .order_by(f"-{newest}", "-pk")
            )
            records = list(queryset[: DEAL_HISTORY_LIMIT + 1])
            list_url = (
                reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
                + f"?unit__id__exact={obj.pk}"
            )
            if len(records) > DEAL_HISTORY_LIMIT:
                more.append(link(list_url, _("All %(kind)s records") % {"kind": kind}))
            new = deal.new_link(user, obj) if deal.new_link and user is not None else None
            if new is not None:
                more.append(link(*new))
            for record in records[:DEAL_HISTORY_LIMIT]:
                when = getattr(record, newest)
                rows.append(
                    (
                        when if not hasattr(when, "date") else when.date(),
                        [
                            kind,
                            link(record.get_absolute_url(), record.number),
                            getattr(record, party),
                            deal.dates(record),
                            label_html(
                                record.get_status_display(), deal.palette.colour(record.status)
                            ),
                        ],
                    )
                )
        rows.sort(key=lambda row: row[0], reverse=True)
        table = small_table(
            [_("Kind"), _("Number"), _("Party"), _("Dates"), _("Status")],
            [cells for _when, cells in rows],
            empty=_("No reservation, sale contract or lease yet."),
        )
        if not more:
            return table
        return format_html(
            '{}<p class="mt-2">{}</p>', table, format_html_join(" · ", "{}", ((m,) for m in more))
        )

    @display(description=_("Price"), ordering="list_price")
    def price(self, obj):
        if obj.list_price is not None:
            return format_money(obj.list_price, obj.currency)
        if obj.monthly_rent is not None:
            return f"{format_money(obj.monthly_rent, obj.currency)} / mo"
        return "—"

    # --- fact sheet ----------------------------------------------------------------------
    @action(description=_("Fact sheet (PDF)"), url_path="fact-sheet", icon="picture_as_pdf")
    def fact_sheet(self, request, object_id):
        queryset = self.get_queryset(request).select_related("project", "building", "agent")
        unit = get_object_or_404(queryset, pk=object_id)
        response = HttpResponse(unit_fact_sheet_pdf(unit=unit), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="unit-{unit.code}.pdf"'
        return response


def counts_text(by_status: dict) -> str:
    """A snapshot's counts in words: "Available: 12, Sold: 3"."""
    labels = dict(UnitStatus.choices)
    return ", ".join(f"{labels.get(k, k)}: {v}" for k, v in (by_status or {}).items())


@admin.register(InventorySnapshot)
class InventorySnapshotAdmin(BaseAdmin):
    export_columns = [
        "taken_on",
        "total",
        Col("by_status", "By status", value=counts_text),
        "taken_at",
    ]
    list_display = ["taken_on", "total", "status_counts", "taken_at"]
    readonly_fields = ["taken_on", "total", "by_status", "taken_at"]

    @display(description=_("By status"))
    def status_counts(self, obj):
        return counts_text(obj.by_status)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
