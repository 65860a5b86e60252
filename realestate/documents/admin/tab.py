"""The Documents tab of every record that takes documents: its documents (those of a record
the user may see: all of them), each with its current version, size, uploader, expiry and
every version to download; "Upload documents" and "New version" for those who may upload.
An expired document (an ID scan past its date) is flagged in the tab's name and above the
list, so the record's page says so before the tab is opened."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.admin import GenericTabularInline
from unfold.decorators import display
from unfold.forms import PaginationGenericInlineFormSet

from realestate.core.admin import link, tab_register
from realestate.documents.admin import display as shown
from realestate.documents.models import Document, DocumentVersion, document_models
from realestate.documents.services import may_upload


class DocumentsFormSet(PaginationGenericInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "documents"  # the tab opens at #documents


def upload_url(record, **query) -> str:
    content_type = ContentType.objects.get_for_model(type(record))
    url = reverse("admin:documents_document_upload", args=[content_type.pk, record.pk])
    return f"{url}?{urlencode(query)}" if query else url


def documents_with_versions(queryset):
    return queryset.select_related("content_type").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by"))
    )


class DocumentInline(shown.DocumentColumns, GenericTabularInline):
    model = Document
    formset = DocumentsFormSet
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = [
        "kind",
        "title",
        "current_display",
        "size_display",
        "uploaded_display",
        "expiry_display",
        "versions_display",
        "new_version",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    tab = True
    hide_title = True  # each row's title column says which document it is
    per_page = 25
    verbose_name = _("document")
    verbose_name_plural = _("Documents")
    template_before = "documents/admin/tab_before.html"

    # Set for the record being shown (``get_formset``), read by the template and the columns.
    upload_url = None
    expired = ()

    def get_queryset(self, request):
        return documents_with_versions(Document.objects.restrict(request.user, "view"))

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None:
            self.upload_url = upload_url(obj) if may_upload(request.user, obj) else None
            self.expired = [
                document
                for document in self.get_queryset(request).filter(
                    content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
                )
                if shown.is_expired(document)
            ]
            if self.expired:
                self.verbose_name_plural = ngettext(
                    "Documents (%(count)s expired)",
                    "Documents (%(count)s expired)",
                    len(self.expired),
                ) % {"count": len(self.expired)}
        return super().get_formset(request, obj, **kwargs)

    # The record's page is scoped already, and the rows are the record's documents the user
    # may see; nothing is edited here (uploads and deletions have pages of their own).
    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("Versions"))
    def versions_display(self, obj):
        return shown.versions(obj)

    @display(description="")
    def new_version(self, obj):
        if not self.upload_url or not obj.pk:
            return ""
        return link(f"{self.upload_url}?{urlencode({'document': obj.pk})}", _("New version"))


def register_tabs() -> None:
    for model in document_models():
        tab_register(model, DocumentInline)
