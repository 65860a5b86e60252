"""Who the app's caller is: an owner or a tenant (a client's app login, never staff), a field
agent, other staff; and the permissions that open the portal's endpoints to them."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import BasePermission

from realestate.clients.models import Client
from realestate.core.api.schema import ErrorSerializer

TENANT, OWNER, AGENT, STAFF = "tenant", "owner", "agent", "staff"
KINDS = (TENANT, OWNER, AGENT, STAFF)


def portal_client(user) -> Client | None:
    """The client whose app login ``user`` is; None for staff (never a portal user)."""
    if not user.is_authenticated or user.is_staff:
        return None
    return Client.objects.filter(portal_user=user).first()


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
