"""``/api/v1/me/``: who the caller is, their contact details and notification preferences."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from realestate.accounts import services as accounts
from realestate.clients import services
from realestate.clients.api.portal import RefusalSerializer, portal_client
from realestate.clients.api.serializers import MeSerializer, MeUpdateSerializer
from realestate.core.api.errors import validation_errors
from realestate.core.api.schema import RESPONSE_HEADERS, error_responses

ME_ERRORS = validation_errors(
    "A field has a value the profile does not take; each is named.",
    **{"Bad e-mail": {"email": "Enter a valid email address."}},
)


STAFF_ADDRESS = {
    "code": "refused",
    "detail": "Staff have no address here: only an owner or a tenant sets theirs.",
}
ME_FORBIDDEN = OpenApiResponse(
    RefusalSerializer,
    description=(
        "Staff sent `address` (only owners and tenants have one here), or a staff session "
        "cookie still owes its two-factor code."
    ),
    examples=[OpenApiExample("Staff address", value=STAFF_ADDRESS)],
)


class MeView(GenericAPIView):
    """The caller: an owner or a tenant (their client record), a field agent or staff."""

    serializer_class = MeSerializer
    parser_classes = [JSONParser]

    def _answer(self, request):
        client = portal_client(request.user)
        return Response(MeSerializer(request.user, context={"client": client}).data)

    @extend_schema(
        tags=["me"],
        summary="Who the caller is, with their profile",
        parameters=RESPONSE_HEADERS,
        responses={200: MeSerializer, **error_responses()},
    )
    def get(self, request):
        return self._answer(request)

    @extend_schema(
        tags=["me"],
        summary="Change the caller's contact details and notification preferences",
        parameters=RESPONSE_HEADERS,
        request=MeUpdateSerializer,
        examples=[
            OpenApiExample(
                "New phone, no statements",
                value={
                    "phone": "+971 50 765 4321",
                    "notification_preferences": {"statements": False},
                },
                request_only=True,
            )
        ],
        responses={
            200: MeSerializer,
            **error_responses(bad_request=ME_ERRORS, body=True),
            403: ME_FORBIDDEN,
        },
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        client = portal_client(user)
        contact = {name: data.pop(name) for name in ("email", "phone", "address") if name in data}
        with transaction.atomic():
            if client is not None and contact:
                services.client_contact_update(client=client, **contact)
            elif contact:
                if "address" in contact:
                    raise PermissionDenied(STAFF_ADDRESS)
                data.update(contact)
            if data:
                accounts.user_profile_update(user=user, **data)
        return self._answer(request)
