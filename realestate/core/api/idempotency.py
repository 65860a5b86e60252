"""``Idempotency-Key`` on POSTs that create records or money: a retry (a lost answer, a
double tap) returns the first answer and creates nothing twice.

The key is stored with the user, the endpoint, a digest of the body and the answer, in the
same transaction as what the request creates: a failed request leaves nothing behind (its
retry runs afresh), and of two requests racing with one key, the second waits on the unique
index until the first commits, then replays its answer. The same key with another body is
refused (409 Conflict), as it is a mistake of the app, not a retry.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from realestate.core.api.errors import ValidationErrorSerializer, error_body
from realestate.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY = re.compile(r"[\x21-\x7e]{1,255}")

IDEMPOTENCY_PARAMETERS = [
    OpenApiParameter(
        HEADER,
        {"type": "string", "pattern": r"^[!-~]{1,255}$"},
        OpenApiParameter.HEADER,
        required=False,
        description=(
            "A key the app makes up per record it creates (a UUID): a retry with the same key "
            "returns the first answer and creates nothing twice. 1–255 printable ASCII "
            "characters, no spaces."
        ),
        examples=[OpenApiExample("UUID", value="5f0c2a8e-8a43-4e7e-9d5b-2f1a6c3e9b71")],
    ),
    OpenApiParameter(
        REPLAYED_HEADER,
        {"type": "string", "enum": ["true"]},
        OpenApiParameter.HEADER,
        response=[201],
        description="Present on the answer to a retry: nothing was created this time.",
    ),
]

KEY_REUSED = OpenApiResponse(
    ValidationErrorSerializer,
    description="The `Idempotency-Key` was used before on this endpoint with another body.",
    examples=[
        OpenApiExample(
            "Reused key",
            value=error_body(
                "idempotency_key_reused",
                "This Idempotency-Key was used with another request body: use a new key.",
            ),
        )
    ],
)


class _Undo(Exception):
    def __init__(self, response):
        self.response = response


def _fingerprint(request) -> str:
    data = request.data
    items = (
        data.lists()
        if hasattr(data, "lists")
        else (data.items() if isinstance(data, dict) else [("", data)])
    )
    canonical = {str(k): v for k, v in items}
    for name, files in request.FILES.lists():
        canonical[f"file:{name}"] = [(f.name, f.size) for f in files]
    text = json.dumps(canonical, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def idempotent(request, create) -> Response:
    """``create()`` once per ``Idempotency-Key`` (see the module's docstring): without the
    header, simply ``create()``."""
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    if not KEY.fullmatch(key):
        raise ValidationError(
            {HEADER: ["1 to 255 printable ASCII characters without spaces, e.g. a UUID."]}
        )
    identity = {"user": request.user, "endpoint": f"POST {request.path}"[:255], "key": key}
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            record = IdempotentRequest.objects.create(**identity, fingerprint=fingerprint)
            response = create()
            if not status.is_success(response.status_code):
                raise _Undo(response)
            record.status_code = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data) or b"null")
            record.save(update_fields=["status_code", "body"])
            return response
    except _Undo as undo:
        return undo.response
    except IntegrityError:
        record = IdempotentRequest.objects.filter(**identity).first()
        if record is None:  # the other request failed and left nothing: try again
            raise
    if record.fingerprint != fingerprint:
        return Response(
            error_body(
                "idempotency_key_reused",
                "This Idempotency-Key was used with another request body: use a new key.",
            ),
            status=status.HTTP_409_CONFLICT,
        )
    return Response(record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"})


class IdempotentCreateMixin:
    """``create`` honours ``Idempotency-Key`` (see the module's docstring)."""

    def create(self, request, *args, **kwargs):
        parent = super().create
        return idempotent(request, lambda: parent(request, *args, **kwargs))
