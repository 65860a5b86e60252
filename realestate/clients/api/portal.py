"""Who the app's caller is: an owner or a tenant (a client's app login, never staff), a field
agent, other staff; and the permissions that open the portal's endpoints to them."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated

from realestate.clients.models import Client
from realestate.core.api.errors import validation_errors
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.schema import RESPONSE_HEADERS, ErrorSerializer, error_responses
from realestate.core.statements import inputs_as_slots, model_values, shared, statement

TENANT, OWNER, AGENT, STAFF = "tenant", "owner", "agent", "staff"
KINDS = (TENANT, OWNER, AGENT, STAFF)


def portal_client(user) -> Client | None:
    """The client whose app login ``user`` is; None for staff (never a portal user). Read
    by a statement compiled once per process (``core.statements``; the user its slot): every
    request of a tenant or an owner asks."""
    if not user.is_authenticated or user.is_staff:
        return None
    read = statement(
        shared(),
        ("portal_client", Client.objects.db),
        lambda inputs: model_values(
            Client.objects.filter(portal_user=inputs["user"]).order_by(*Client._meta.ordering)[:1]
        ),
        inputs_as_slots,
        ({"user": -987654321}, {"user": -987654322}),
    )
    if read is None:
        return Client.objects.filter(portal_user=user).first()
    found = read.instances(Client, {"user": user.pk})
    return found[0] if found else None


def is_agent(user) -> bool:
    profile = getattr(user, "agent_profile", None) if user.is_staff else None
    return bool(profile and profile.is_active)


def user_kinds(user, client: Client | None = None) -> list[str]:
    """What the caller is, possibly several: a client who rents and owns is both."""
    if user.is_staff:
        return [AGENT, STAFF] if is_agent(user) else [STAFF]
    client = client or portal_client(user)
    if client is None:
        return []
    kinds = []
    if client.leases.exists():
        kinds.append(TENANT)
    if client.owned_units.exists() or client.owner_statements.exists():
        kinds.append(OWNER)
    return kinds


class IsPortalClient(BasePermission):
    """A client's app login: the tenant's and the owner's endpoints. Staff are refused (403):
    what they see is in the admin and the staff endpoints."""

    message = {
        "code": "not_a_client",
        "detail": "Only an owner's or a tenant's app login may use this endpoint.",
    }

    def has_permission(self, request, view):
        client = portal_client(request.user)
        request.portal_client = client
        return client is not None


class IsAgent(BasePermission):
    """A staff user with an active agent profile: the field agents' endpoints."""

    message = {"code": "not_an_agent", "detail": "Only a field agent may use this endpoint."}

    def has_permission(self, request, view):
        return is_agent(request.user)


class RefusalSerializer(serializers.Serializer):
    """Refused: ``code`` says why (``not_a_client``, ``not_an_agent``, ``refused``), or a
    staff session owing its two-factor code (``detail`` only)."""

    code = serializers.CharField(required=False)
    detail = serializers.CharField()


def forbidden(permission: type[BasePermission]) -> OpenApiResponse:
    """403: the caller is not who the endpoint serves (or a staff session owes its 2FA)."""
    return OpenApiResponse(
        RefusalSerializer,
        description=(
            f"{permission.__doc__.split(':')[0].strip()} only. Also: a staff session cookie "
            "that still owes its two-factor code."
        ),
        examples=[OpenApiExample("Not for this caller", value=permission.message)],
    )


def not_found(record: str) -> OpenApiResponse:
    return OpenApiResponse(
        ErrorSerializer,
        description=f"No such {record}, or not one the caller may see (the same answer).",
        examples=[OpenApiExample("Not found", value={"detail": "No such record."})],
    )


PAGE_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="The page is past the last one.",
    examples=[OpenApiExample("Past the end", value={"detail": "Invalid page."})],
)


def list_errors(example_field: str = "updated_since", message: str = "Enter a valid date/time."):
    return validation_errors(
        "A query parameter has a value the list does not take; each is named in `fields`.",
        **{"Bad parameter": {example_field: message}},
    )


def portal_errors(permission, *, bad_request=None, not_found=None, body=False) -> dict:
    """The error answers of a portal operation: ``error_responses`` with the 403 of the
    endpoint's permission."""
    return {
        **error_responses(bad_request=bad_request, not_found=not_found, body=body),
        403: forbidden(permission),
    }


class ClientRecordsMixin:
    """A tenant's or an owner's own records: what ``restrict()`` lets them see, and of that
    only what hangs from their own client record (``client_path``), never what a grant by
    hand might add. Anything else is 404."""

    permission_classes = [IsAuthenticated, IsPortalClient]
    pagination_class = PageNumberPagination
    client_path = ""

    def get_queryset(self):
        queryset = super().get_queryset().restrict(self.request.user, "view")
        return queryset.filter(**{self.client_path: getattr(self.request, "portal_client", None)})


def list_schema(summary: str, tag: str, serializer, permission=IsPortalClient, **kwargs):
    """The schema of a portal list: its page of ``serializer`` rows and its errors."""
    return extend_schema(
        tags=[tag],
        summary=summary,
        parameters=RESPONSE_HEADERS,
        responses={
            200: serializer(many=True),
            **portal_errors(permission, bad_request=list_errors(), not_found=PAGE_NOT_FOUND),
        },
        **kwargs,
    )


def detail_schema(summary: str, tag: str, serializer, record: str, permission=IsPortalClient):
    return extend_schema(
        tags=[tag],
        summary=summary,
        parameters=RESPONSE_HEADERS,
        responses={200: serializer, **portal_errors(permission, not_found=not_found(record))},
    )
