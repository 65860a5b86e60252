"""The house's model admins: scoped, with grants by hand, exports, maps and read-only rows."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin
from leaflet.admin import LeafletGeoAdminMixin
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.import_export.forms import ExportForm

from realestate.core.admin.exports import SafeExportMixin
from realestate.core.admin.grants import GrantsAdminMixin
from realestate.core.admin.panels import TabsMixin
from realestate.core.admin.scoping import ScopedAdminMixin


class ExportPermissionMixin(SafeExportMixin):
    """Who may export: whoever may see rows, since the export is built from the changelist's
    queryset, which is already scoped and never reaches beyond what they see. Records of
    people (``personal_data = True`` on the model: clients, documents; or on the admin:
    leads, viewings, staff users) also need the "export personal data" permission, which
    sales agents and auditors do not hold unless it is given to them."""

    export_form_class = ExportForm

    def has_export_permission(self, request):
        if not self.has_view_permission(request):
            return False
        if getattr(self, "personal_data", getattr(self.model, "personal_data", False)):
            return request.user.has_perm("accounts.export_personal_data")
        return True


class ListExportMixin(ExportPermissionMixin, ExportActionMixin):
    """The list's exports (the "Export" button, the "Export selected" action) and nothing
    else: the change page stays the admin's own. For admins not built on ``BaseAdmin``."""

    change_form_template = None
    show_change_form_export = False


class BaseAdmin(TabsMixin, ScopedAdminMixin, GrantsAdminMixin, ListExportMixin, ModelAdmin):
    """Every list exports: CSV/XLSX of the filtered list (the "Export" button keeps the filters
    and the search) or of the selected rows (the "Export selected" action), with the columns
    the admin declares in ``export_columns`` (``core.importing.columns``)."""

    list_per_page = 50
    list_filter_submit = True
    list_fullwidth = False
    warn_unsaved_form = True
    compressed_fields = True
    show_full_result_count = False  # the exact count of a large filtered list is costly


class ExportAdmin(BaseAdmin):
    """Export only (CSV/XLSX of the filtered list, or of the selected rows): ``BaseAdmin``."""


class MapAdminMixin(LeafletGeoAdminMixin):
    """Point and polygon fields on a Leaflet map sized for unfold's layout."""

    # In core/templates: form widgets render from app template folders only.
    map_template = "admin/leaflet/widget.html"
    settings_overrides = {}


class ReadOnlyMixin:
    """Rows to read only, never added, changed or deleted in the admin: they change through
    their services (receivables, schedules), or not at all (the audit log)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MissingIs404Mixin:
    """A missing record is a 404, as one out of scope is (``ScopedAdminMixin``), not Django's
    redirect to the admin index; for admins that do not scope by record."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("No such record, or not one you may see."))


class ReadOnlyInline(ReadOnlyMixin, TabularInline):
    """An inline that shows related rows (a schedule, allocations) and never edits them."""

    extra = 0
    can_delete = False
    hide_title = True  # each row's own columns say what it is
    tab = True
