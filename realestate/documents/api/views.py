"""``/api/v1/documents/``: the documents of records the caller may see, one document with its
versions, and the current (or a chosen) version's file. A document, or a record, the caller
may not see answers 404, as one that does not exist."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.schema import (
    NOT_ACCEPTABLE,
    RESPONSE_HEADERS,
    ErrorSerializer,
    error_responses,
    field_errors,
)
from realestate.documents.api.serializers import DocumentSerializer, record_types
from realestate.documents.checks import TYPES
from realestate.documents.models import Document, DocumentVersion, document_models

MAX_ID = 2**63 - 1
MISSING = "No such record, or not one you may see."


class DocumentQuerySerializer(serializers.Serializer):
    record_type = serializers.ChoiceField(choices=record_types(), required=False)
    record_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class VersionQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


def query_of(request, serializer_class) -> dict:
    """The validated query (400 naming each bad parameter); an empty value is not sent."""
    serializer = serializer_class(
        data={key: value for key, value in request.query_params.items() if value != ""}
    )
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


LIST_PARAMETERS = [
    OpenApiParameter(
        "record_type",
        {"type": "string", "enum": record_types()},
        OpenApiParameter.QUERY,
        description="Only documents of this kind of record (`app.model`).",
    ),
    OpenApiParameter(
        "record_id",
        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        OpenApiParameter.QUERY,
        description=(
            "Only documents of the record with this id (with `record_type`: of that record, "
            "404 when the caller may not see it)."
        ),
    ),
]
VERSION_PARAMETER = OpenApiParameter(
    "version",
    {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    OpenApiParameter.QUERY,
    description="A version's number; empty: the current (newest) version.",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such document, record, version or page, or not one the caller may see.",
    examples=[OpenApiExample("Not found", value={"detail": MISSING})],
)
FILE_TYPES = sorted({kind.content_type for kind in TYPES})


class JSONOnlyNegotiation(BaseContentNegotiation):
    """A file download answers with the file's own type, and errors in JSON, whatever the
    ``Accept`` header asks for."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


@extend_schema_view(
    list=extend_schema(
        summary="Documents of records the caller may see",
        parameters=[*LIST_PARAMETERS, *RESPONSE_HEADERS],
        responses={
            200: DocumentSerializer(many=True),
            **error_responses(
                bad_request=field_errors(
                    "DocumentFilterErrors", ["record_type", "record_id", "page"]
                ),
                not_found=NOT_FOUND,
            ),
        },
    ),
    retrieve=extend_schema(
        summary="One document, its versions and their files",
        parameters=RESPONSE_HEADERS,
        responses={200: DocumentSerializer, **error_responses(not_found=NOT_FOUND)},
    ),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    pagination_class = PageNumberPagination
    queryset = Document.objects.order_by("-updated_at", "-pk")

    def get_queryset(self):
        versions = DocumentVersion.objects.select_related("uploaded_by")
        queryset = (
            super()
            .get_queryset()
            .restrict(self.request.user, "view")
            .select_related("content_type")
            .prefetch_related(Prefetch("versions", queryset=versions))
        )
        if self.action != "list":
            return queryset
        query = query_of(self.request, DocumentQuerySerializer)
        if "record_type" in query:
            model = next(
                m for m in document_models() if m._meta.label_lower == query["record_type"]
            )
            queryset = queryset.filter(content_type=ContentType.objects.get_for_model(model))
            if "record_id" in query:
                visible = model._default_manager.restrict(self.request.user, "view")
                if not visible.filter(pk=query["record_id"]).exists():
                    raise Http404(MISSING)
        if "record_id" in query:
            queryset = queryset.filter(object_id=query["record_id"])
        return queryset

    @extend_schema(
        summary="The file of a document's current (or chosen) version",
        parameters=[VERSION_PARAMETER, *RESPONSE_HEADERS],
        responses={
            (200, content_type): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as it was filed."
            )
            for content_type in FILE_TYPES
        }
        | {
            code: response
            for code, response in error_responses(
                bad_request=field_errors("DocumentVersionErrors", ["version"]),
                not_found=NOT_FOUND,
            ).items()
            if response is not NOT_ACCEPTABLE
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=JSONOnlyNegotiation)
    def download(self, request, pk=None):
        document = self.get_object()
        number = query_of(request, VersionQuerySerializer).get("version")
        versions = document.versions.all()
        version = next((v for v in versions if number is None or v.number == number), None)
        if version is None:
            raise Http404(MISSING)
        response = FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=0"
        return response
