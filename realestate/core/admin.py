"""Admin building blocks every app's ``admin.py`` composes.

- ``ScopedAdminMixin`` routes every admin path through ``restrict(user, action)``: the
  changelist, search, autocomplete, change/delete pages, foreign-key choices and exports.
- ``BaseAdmin`` is unfold's ``ModelAdmin`` with that scoping and the house defaults.
- ``ImportExportAdmin`` adds CSV/XLSX import and export with unfold's forms.
- ``MapAdminMixin`` edits point and polygon fields on a Leaflet map.
- ``status_badge`` renders a status as a coloured label in lists.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from leaflet.admin import LeafletGeoAdminMixin
from unfold.admin import ModelAdmin
from unfold.contrib.import_export.forms import ExportForm, ImportForm
from unfold.decorators import display

from realestate.core.permissions import has_any_grant, scope_filter


class ScopedAdminMixin:
    """Object-level scope for the admin, decided by ``scope_filter`` alone."""

    def _scope_cache(self, request) -> dict:
        cache = getattr(request, "_scope_cache", None)
        if cache is None:
            cache = request._scope_cache = {}
        return cache

    def _may(self, request, action: str, obj=None) -> bool:
        user = request.user
        if obj is None:
            key = (self.model, action)
            cache = self._scope_cache(request)
            if key not in cache:
                cache[key] = has_any_grant(user, self.model, action)
            return cache[key]
        condition = scope_filter(user, self.model, action)
        if condition is None:
            return True
        return condition is not False and (
            self.model._default_manager.filter(condition, pk=obj.pk).exists()
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        condition = scope_filter(request.user, self.model, "view")
        if condition is None:
            return queryset
        return queryset.filter(condition) if condition is not False else queryset.none()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Out of scope and missing look the same: a plain 404, no hint of existence.
            raise Http404(_("No such record, or not one you may see."))
        return obj

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view", obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request) or self.has_add_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        manager = related._default_manager
        if "queryset" not in kwargs and hasattr(manager, "restrict"):
            kwargs["queryset"] = manager.restrict(request.user, "view")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        manager = db_field.related_model._default_manager
        if "queryset" not in kwargs and hasattr(manager, "restrict"):
            kwargs["queryset"] = manager.restrict(request.user, "view")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BaseAdmin(ScopedAdminMixin, ModelAdmin):
    list_per_page = 50
    list_filter_submit = True
    list_fullwidth = False
    warn_unsaved_form = True
    compressed_fields = True
    show_full_result_count = False  # the exact count of a large filtered list is costly


class ImportExportAdmin(BaseAdmin, ImportExportModelAdmin):
    import_form_class = ImportForm
    export_form_class = ExportForm

    def has_export_permission(self, request):
        # Whoever may see rows may export them; the export is built from the changelist's
        # queryset, which is already scoped, so it never reaches beyond what they see.
        return self.has_view_permission(request)


class MapAdminMixin(LeafletGeoAdminMixin):
    """Point and polygon fields on a Leaflet map sized for unfold's layout."""

    # In core/templates: form widgets render from app template folders only.
    map_template = "admin/leaflet/widget.html"
    settings_overrides = {}


def status_badge(field: str, colours: dict[str, str], description=None):
    """A list column showing ``field``'s label as a coloured badge."""

    def badge(self, obj):
        value = getattr(obj, field)
        return value, getattr(obj, f"get_{field}_display")()

    badge.__name__ = f"{field}_badge"
    return display(description=description or _("Status"), ordering=field, label=colours)(badge)


#: Badge colours by meaning, shared by every app's statuses.
GOOD, INFO, WARNING, DANGER, NEUTRAL = "success", "info", "warning", "danger", ""


__all__ = [
    "BaseAdmin",
    "ImportExportAdmin",
    "MapAdminMixin",
    "ScopedAdminMixin",
    "status_badge",
]


from realestate.core import jobs_admin  # noqa: E402,F401  (re-registers django-q2's pages)
