"""Documents as the mobile app reads them (read-only): a document of a record, its versions,
and where to download each file."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from realestate.documents.models import Document, DocumentVersion, document_models


def record_types() -> list[str]:
    return sorted(model._meta.label_lower for model in document_models())


class DocumentVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Null: generated."
    )
    file_url = serializers.SerializerMethodField(
        help_text=(
            "The file itself: under /media/ for the caller's token or session, or a signed "
            "S3 link that expires after a few minutes."
        )
    )

    class Meta:
        model = DocumentVersion
        fields = [
            "number",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "uploaded_by",
            "created_at",
            "file_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_file_url(self, version) -> str:
        url = version.file.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


DOCUMENT_EXAMPLE = {
    "id": 7,
    "kind": "id_scan",
    "title": "Passport",
    "record_type": "clients.client",
    "record_id": 31,
    "expires_on": "2027-03-01",
    "expired": False,
    "download_url": "https://backoffice.example.com/api/v1/documents/7/download/",
    "versions": [
        {
            "number": 1,
            "original_name": "passport.pdf",
            "size": 48213,
            "content_type": "application/pdf",
            "sha256": "9f2c5e0a7d1b4c3e8f6a2b1d0c9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e",
            "uploaded_by": "agent1",
            "created_at": "2026-05-04T09:30:00+04:00",
            "file_url": "https://backoffice.example.com/media/documents/clients/client/31/"
            "7-v1-passport.pdf",
        }
    ],
}


@extend_schema_serializer(
    examples=[OpenApiExample("Document", value=DOCUMENT_EXAMPLE, response_only=True)]
)
class DocumentSerializer(serializers.ModelSerializer):
    record_type = serializers.SerializerMethodField(
        help_text="The kind of record the document belongs to, as `app.model`."
    )
    record_id = serializers.IntegerField(source="object_id", read_only=True)
    expired = serializers.SerializerMethodField(help_text="Its expiry date has passed.")
    download_url = serializers.SerializerMethodField(
        help_text="Streams the current version (`download/`)."
    )
    versions = DocumentVersionSerializer(many=True, read_only=True, help_text="Newest first.")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "record_type",
            "record_id",
            "expires_on",
            "expired",
            "download_url",
            "versions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=record_types()))
    def get_record_type(self, document) -> str:
        return f"{document.content_type.app_label}.{document.content_type.model}"

    def get_expired(self, document) -> bool:
        return document.expires_on is not None and document.expires_on < timezone.localdate()

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, document) -> str:
        return reverse(
            "v1:document-download", args=[document.pk], request=self.context.get("request")
        )
