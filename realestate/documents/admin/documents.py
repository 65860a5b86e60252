"""The documents list (Documents → Documents): every document of a record the user may see,
filtered by kind, kind of record and expiry, searched by title and file name, exported as
CSV/XLSX (the filtered list, scoped the same way). A document opens read-only with its
versions; deleting is for administrators (``documents.delete_document``) and is logged
(``document_delete``)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.contrib.filters.admin import ChoicesDropdownFilter
from unfold.decorators import display

from realestate.core.admin import ListExportMixin, ScopedAdminMixin, link, small_table
from realestate.core.importing.columns import Col
from realestate.core.permissions import has_any_grant
from realestate.documents import services
from realestate.documents.admin import display as shown
from realestate.documents.admin.tab import documents_with_versions
from realestate.documents.admin.upload import upload_view
from realestate.documents.models import Document, DocumentVersion, document_models


class RecordTypeFilter(admin.SimpleListFilter):
    title = _("record type")
    parameter_name = "record_type"

    def lookups(self, request, model_admin):
        return [
            (f"{model._meta.app_label}.{model._meta.model_name}", model._meta.verbose_name)
            for model in document_models()
            if has_any_grant(request.user, model, "view")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        app_label, _dot, model = self.value().partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        return queryset.filter(content_type=content_type) if content_type else queryset.none()


class ExpiredFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expired"

    def lookups(self, request, model_admin):
        return [("yes", _("Expired")), ("no", _("Current or no expiry"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(expires_on__lt=today)
        if self.value() == "no":
            return queryset.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        return queryset


def record_type_name(content_type_id) -> str:
    """ "Clients | client" for a content type's id (cached: no query per row)."""
    return ContentType.objects.get_for_id(content_type_id).app_labeled_name


@admin.register(Document)
class DocumentAdmin(
    shown.DocumentColumns,
    ListExportMixin,
    ScopedAdminMixin,
    ModelAdmin,
):
    export_columns = [
        "title",
        "kind",
        Col("content_type__id", "Record type", value=record_type_name),
        ("object_id", "Record id"),
        Col("export_version", "Version"),
        Col("export_original_name", "Original name"),
        Col("export_size", "Size (bytes)"),
        Col("export_sha256", "SHA-256"),
        Col("export_uploaded_by", "Uploaded by"),
        Col("export_uploaded_at", "Uploaded at"),
        "expires_on",
    ]
    list_display = [
        "title",
        "kind",
        "record_link",
        "current_display",
        "size_display",
        "uploaded_display",
        "expiry_display",
    ]
    list_filter = [("kind", ChoicesDropdownFilter), RecordTypeFilter, ExpiredFilter]
    list_filter_submit = True
    search_fields = ["title", "versions__original_name"]
    list_per_page = 50
    show_full_result_count = False
    fields = ["kind", "title", "record_link", "expires_on", "versions_table"]
    readonly_fields = fields

    def export_queryset(self, request, queryset):
        """Each document's current version, joined in the export's one query."""
        current = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
        return queryset.annotate(
            **{
                f"export_{name}": Subquery(current.values(path)[:1])
                for name, path in (
                    ("version", "number"),
                    ("original_name", "original_name"),
                    ("size", "size"),
                    ("sha256", "sha256"),
                    ("uploaded_by", "uploaded_by__username"),
                    ("uploaded_at", "created_at"),
                )
            }
        )

    # --- scope: a document is seen by whoever sees its record -----------------------------
    def get_queryset(self, request):
        queryset = super(ScopedAdminMixin, self).get_queryset(request)
        # Each row links its record: fetched once per kind of record, not once per row.
        return documents_with_versions(queryset.restrict(request.user, "view")).prefetch_related(
            "record"
        )

    def _record_in_scope(self, user, action, obj) -> bool:
        return Document.objects.restrict(user, "view").filter(pk=obj.pk).exists()

    def _may(self, request, action: str, obj=None) -> bool:
        user = request.user
        if action == "change":
            return False  # never edited: a new file is a new version, uploaded on the record
        if action == "delete" and not user.has_perm(services.document_delete.rule.permission):
            return False
        if obj is None:
            return any(has_any_grant(user, model, "view") for model in document_models())
        return super()._may(request, "view", obj)

    def has_add_permission(self, request):
        return False  # documents are added on their record's page

    # --- deleting: the service's step, which logs what went --------------------------------
    def delete_model(self, request, obj):
        services.document_delete(document=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document=document, by=request.user)

    def log_deletions(self, request, queryset):
        pass  # document_delete writes the log line, with the record and the files

    # --- pages ------------------------------------------------------------------------------
    def get_urls(self):
        return [
            path(
                "upload/<int:content_type_id>/<int:object_id>/",
                self.admin_site.admin_view(upload_view),
                name="documents_document_upload",
            ),
            *super().get_urls(),
        ]

    @display(description=_("Record"))
    def record_link(self, obj):
        record = obj.record
        if record is None:
            return "—"
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        return link(f"{url}#documents", f"{opts.verbose_name.capitalize()} {record}")

    @display(description=_("Versions"))
    def versions_table(self, obj):
        return small_table(
            [_("Version"), _("File"), _("Size"), _("Type"), _("SHA-256"), _("By"), _("Added")],
            [
                [
                    f"v{version.number}",
                    link(shown.download_url(version), version.original_name),
                    shown.filesizeformat(version.size),
                    version.content_type,
                    version.sha256,
                    version.uploaded_by or _("the system"),
                    timezone.localtime(version.created_at).strftime("%Y-%m-%d %H:%M"),
                ]
                for version in shown.versions_of(obj)
            ],
        )
