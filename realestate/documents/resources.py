"""CSV/XLSX export of the documents list: what each document is, whose record it belongs to and
its current file (name, size, checksum, who uploaded it and when). The export is built from the
changelist's queryset, so it holds only documents of records the user may see."""

from __future__ import annotations

from import_export import fields, resources

from realestate.documents.models import Document


class DocumentResource(resources.ModelResource):
    record_type = fields.Field(column_name="record_type")
    record_id = fields.Field(attribute="object_id", column_name="record_id")
    record = fields.Field(column_name="record")
    version = fields.Field(column_name="version")
    original_name = fields.Field(column_name="original_name")
    size = fields.Field(column_name="size")
    sha256 = fields.Field(column_name="sha256")
    uploaded_by = fields.Field(column_name="uploaded_by")
    uploaded_at = fields.Field(column_name="uploaded_at")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "record_type",
            "record_id",
            "record",
            "version",
            "original_name",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "expires_on",
        ]
        export_order = fields
        name = "Documents"

    @staticmethod
    def _current(document):
        versions = sorted(document.versions.all(), key=lambda version: -version.number)
        return versions[0] if versions else None

    def dehydrate_record_type(self, document):
        return document.content_type.app_labeled_name

    def dehydrate_record(self, document):
        return str(document.record or "")

    def _of_current(self, document, attribute):
        version = self._current(document)
        return "" if version is None else attribute(version)

    def dehydrate_version(self, document):
        return self._of_current(document, lambda version: version.number)

    def dehydrate_original_name(self, document):
        return self._of_current(document, lambda version: version.original_name)

    def dehydrate_size(self, document):
        return self._of_current(document, lambda version: version.size)

    def dehydrate_sha256(self, document):
        return self._of_current(document, lambda version: version.sha256)

    def dehydrate_uploaded_by(self, document):
        return self._of_current(
            document, lambda version: getattr(version.uploaded_by, "username", "")
        )

    def dehydrate_uploaded_at(self, document):
        return self._of_current(document, lambda version: version.created_at.isoformat())
