"""A record's generated PDF through the API: made by ``document_generate`` (the admin's
"Generate" buttons' service) from the active template, filed as the record's document (a new
version only when the PDF changed, else the current one) and streamed as that version's file.

A view answers with ``generated_pdf(request, record, kind, **params)`` and documents its
answers with ``generated_pdf_responses(record_name)``: the PDF, 404 for a record out of the
caller's scope (as a missing one), 409 when the PDF cannot be made (no active template, a
template that does not render).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from realestate.core.api.errors import ValidationErrorSerializer, error_body
from realestate.core.workflow import StepRefused
from realestate.documents.generation import PDF, document_generate
from realestate.documents.rendering import TemplateProblem

NOT_GENERATED = "not_generated"

PDF_NOT_MADE = OpenApiResponse(
    ValidationErrorSerializer,
    description=(
        "The PDF cannot be made now (`code` `not_generated`): no active template of its kind, "
        "or a template staff are editing does not render. The office is told in `detail`."
    ),
    examples=[
        OpenApiExample(
            "No template",
            value=error_body(
                NOT_GENERATED,
                "No active invoice template in English: activate one under Documents → "
                "Templates first.",
            ),
        )
    ],
)

FILENAME_HEADER = OpenApiParameter(
    "Content-Disposition",
    {"type": "string"},
    OpenApiParameter.HEADER,
    response=[200],
    description='`attachment; filename="Invoice-INV-2026-00001.pdf"`: the file\'s name.',
)


def pdf_ok(description: str) -> dict:
    """The 200 answer of a PDF endpoint, for ``extend_schema(responses=...)``."""
    return {(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


def pdf_response(version) -> FileResponse:
    """The filed version's file, as an attachment with its name; never cached by others."""
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=PDF,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


def generated_pdf(request, record, kind: str, **params):
    """The record's PDF of ``kind`` generated for (and in the scope of) the caller, filed
    as its document, as a download; 404 out of scope, 409 when it cannot be made."""
    try:
        version = document_generate(record=record, kind=kind, by=request.user, **params)
    except StepRefused:
        raise Http404("No such record, or not one you may see.") from None
    except TemplateProblem as problem:
        return Response(
            error_body(NOT_GENERATED, f"The document's template does not render: {problem}"),
            status=status.HTTP_409_CONFLICT,
        )
    except ValidationError as error:
        return Response(
            error_body(NOT_GENERATED, " ".join(error.messages)),
            status=status.HTTP_409_CONFLICT,
        )
    return pdf_response(version)
