"""What every endpoint under ``/api/`` documents besides its own answers: the errors DRF and
the middleware give, in the shapes they give them.

Each view states the answers it can give with ``error_responses(...)`` and adds
``RESPONSE_HEADERS`` to its parameters (``Retry-After`` on 429, ``WWW-Authenticate`` on 401).
``tests/api/test_schemathesis.py`` holds the schema to every answer the running app gives.
"""

from __future__ import annotations

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from realestate.core.api.errors import NON_FIELD, validation_body


class ErrorSerializer(serializers.Serializer):
    """An error with a message only: DRF's ``{"detail": ...}``."""

    detail = serializers.CharField()


class TokenMessageSerializer(serializers.Serializer):
    token_class = serializers.CharField()
    token_type = serializers.CharField()
    message = serializers.CharField()


class AuthErrorSerializer(serializers.Serializer):
    """Credentials missing (``detail`` only) or refused: a malformed, expired or revoked
    token carries a ``code`` (``token_not_valid``, ``token_revoked``,
    ``bad_authorization_header``, ``user_inactive``...) and, for an access token that does
    not decode, ``messages``."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    messages = TokenMessageSerializer(many=True, required=False)


def field_errors(
    name: str,
    fields: list[str],
    *,
    body: bool = False,
    description: str = "",
    examples: dict[str, dict[str, str]] | None = None,
) -> OpenApiResponse:
    """400 in the API's one error shape (``core.api.errors``): ``code``, ``detail`` and
    ``fields``, whose keys are the named fields (query parameters or body fields). With a
    ``body``: ``non_field_errors`` when it is not an object, and ``code`` ``parse_error`` with
    no fields when it could not be parsed (malformed JSON). ``examples`` by name:
    ``{field: message}``."""
    names = [*fields, NON_FIELD] if body else fields
    per_field = type(
        f"{name}Fields",
        (serializers.Serializer,),
        {
            "__doc__": "Messages per field, each naming what is wrong with the value.",
            **{
                field: serializers.ListField(child=serializers.CharField(), required=False)
                for field in names
            },
        },
    )
    serializer = type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": "A refused request: what to act on, a sentence, the messages per field.",
            "code": serializers.CharField(
                help_text="`invalid`, or `parse_error` when the body could not be parsed."
            ),
            "detail": serializers.CharField(help_text="The first problem, in a sentence."),
            "fields": per_field(help_text="Messages per field; empty for a `parse_error`."),
        },
    )
    return OpenApiResponse(
        serializer,
        description=description or "The request is malformed.",
        examples=[
            OpenApiExample(title, value=validation_body({f: [m] for f, m in found.items()}))
            for title, found in (examples or {}).items()
        ],
    )


#: Response headers, for ``extend_schema(parameters=[..., *RESPONSE_HEADERS])``.
RESPONSE_HEADERS = [
    OpenApiParameter(
        "Retry-After",
        {"type": "integer", "minimum": 0},
        OpenApiParameter.HEADER,
        required=True,
        response=[429],
        description="Seconds to wait before the next request.",
    ),
    OpenApiParameter(
        "WWW-Authenticate",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        response=[401],
        description='The scheme to authenticate with: `Bearer realm="api"`.',
    ),
]

UNAUTHENTICATED = OpenApiResponse(
    AuthErrorSerializer,
    description=(
        "No valid credentials: the `Authorization` header is missing or malformed, or its "
        "token is malformed, expired or revoked (logout, a password change, a deactivation)."
    ),
    examples=[
        OpenApiExample(
            "No token", value={"detail": "Authentication credentials were not provided."}
        ),
        OpenApiExample(
            "Revoked token",
            value={"detail": "The token has been revoked.", "code": "token_revoked"},
        ),
    ],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description=(
        "A staff session cookie that still owes its two-factor code: log in to the admin, or "
        "call without the cookie."
    ),
    examples=[OpenApiExample("2FA owed", value={"detail": "Two-factor authentication required."})],
)
NOT_ACCEPTABLE = OpenApiResponse(
    ErrorSerializer,
    description="The `Accept` header asks for a type other than JSON.",
    examples=[
        OpenApiExample(
            "Not acceptable", value={"detail": "Could not satisfy the request Accept header."}
        )
    ],
)
UNSUPPORTED_MEDIA_TYPE = OpenApiResponse(
    ErrorSerializer,
    description=("The body is not JSON, form-encoded or multipart form data (`Content-Type`)."),
    examples=[
        OpenApiExample(
            "Plain text",
            value={"detail": 'Unsupported media type "text/plain" in request.'},
        )
    ],
)
THROTTLED = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Too many requests: over the rate limit of the user, the address or the token "
        "endpoint, or (token endpoint) the login is locked after failed attempts. Wait for "
        "the seconds in `Retry-After`."
    ),
    examples=[
        OpenApiExample(
            "Throttled",
            value={"detail": "Request was throttled. Expected available in 42 seconds."},
        )
    ],
)


def error_responses(
    *,
    bad_request: OpenApiResponse | None = None,
    unauthenticated: OpenApiResponse | None = UNAUTHENTICATED,
    not_found: OpenApiResponse | None = None,
    body: bool = False,
) -> dict[int, OpenApiResponse]:
    """The errors of one operation: ``bad_request`` (400) and ``not_found`` (404) when it has
    them, 401 when ``unauthenticated`` is given (a view that takes a token or asks for one),
    415 when it reads a ``body``; 403 (a staff session owing its 2FA code, refused on every
    ``/api/`` path), 406 and 429 always."""
    responses = {
        400: bad_request,
        401: unauthenticated,
        403: FORBIDDEN,
        404: not_found,
        406: NOT_ACCEPTABLE,
        415: UNSUPPORTED_MEDIA_TYPE if body else None,
        429: THROTTLED,
    }
    return {code: response for code, response in responses.items() if response is not None}


def allow_empty_query_values(result, generator, request, public):
    """Postprocessing hook: a query parameter that takes one value answers an empty one as if
    it were not sent (django-filter's filters and DRF's ``page`` do), so say so. Parameters
    that take a list of values (``status=a&status=b``) refuse an empty one (400)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter["schema"].get("type") != "array":
                    parameter["allowEmptyValue"] = True
    return result


def _merge_blank_alternatives(node):
    if isinstance(node, dict):
        alternatives = node.get("oneOf")
        if (
            isinstance(alternatives, list)
            and len(alternatives) == 2
            and alternatives[1] == {"type": "string", "maxLength": 0}
            and alternatives[0].get("type") == "string"
            and re.search(alternatives[0].get("pattern", ""), "") is not None
        ):
            node.pop("oneOf")
            node.update(alternatives[0])
        for value in node.values():
            _merge_blank_alternatives(value)
    elif isinstance(node, list):
        for value in node:
            _merge_blank_alternatives(value)


def merge_blank_alternatives(result, generator, request, public):
    """Postprocessing hook: a text field that may be blank and has a pattern is described as
    "the pattern, or an empty string". Where the pattern takes an empty string already (no NUL
    characters: ``StrictCharField``), "one of" both would be ambiguous for the empty string:
    the pattern alone says it."""
    _merge_blank_alternatives(result.get("components", {}))
    return result
