"""One shape for the app's refused requests: ``{"code", "detail", "fields"}``.

``code`` is what the app acts on (``invalid``, ``parse_error``, ``idempotency_key_reused``,
``refused``...), ``detail`` a sentence to show, ``fields`` the messages per field (a query
parameter or a body field; ``non_field_errors`` for the request as a whole; a nested field's
path joined with dots, ``photos.1``). Services'
Django ``ValidationError`` and workflow refusals are answered in the same shape (a refusal on
a record out of scope is 404, like a missing one).

``exception_handler`` is REST framework's ``EXCEPTION_HANDLER`` (config/settings.py): every
view under ``/api/`` answers so, and ``core.api.schema.field_errors`` documents it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for name, value in detail.items():
            found.update(_flatten(value, f"{prefix}.{name}" if prefix else str(name)))
        return found
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        found = {}
        for index, value in enumerate(detail):
            if value:
                found.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return found
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD: [str(message) for message in messages]}


def error_body(code: str, detail: str, fields: dict | None = None) -> dict:
    return {"code": code, "detail": detail, "fields": fields or {}}


def validation_body(detail) -> dict:
    fields = _flatten(detail)
    first_name, first = next(iter(fields.items()))
    where = "" if first_name == NON_FIELD else f"{first_name}: "
    return error_body("invalid", f"{where}{first[0]}", fields)


def exception_handler(exc, context):
    """DRF's handler, answering 400s in the one shape and services' refusals too."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        detail = {NON_FIELD if name == "__all__" else name: m for name, m in detail.items()}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied) and getattr(exc, "out_of_scope", False):
        exc = Http404()
    elif isinstance(exc, PermissionDenied) and getattr(exc, "message", None):
        return Response(error_body("refused", str(exc.message)), status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        response.data = error_body("parse_error", str(exc.detail))
    return response


class ValidationErrorSerializer(serializers.Serializer):
    """A refused request: what to act on, a sentence to show, and the messages per field."""

    code = serializers.CharField(help_text="`invalid`, `parse_error`, or the refusal's own code.")
    detail = serializers.CharField(help_text="The first problem, in a sentence.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=(
            "Messages per field (query parameter or body field; `non_field_errors` for the "
            "whole request; a nested field's path joined with dots). Empty when the body "
            "could not be parsed."
        ),
    )


def validation_errors(description: str, **examples: dict) -> OpenApiResponse:
    """400 in the one shape; ``examples`` by name: ``{field: message}``."""
    return OpenApiResponse(
        ValidationErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(name, value=validation_body({f: [m] for f, m in fields.items()}))
            for name, fields in examples.items()
        ],
    )
