"""``/api/v1/agent/reservations/``: a field agent holds a unit for a client through the same
``reservation_create`` service as the admin. Of two agents racing for one unit, one wins;
the other gets 409 (the unit's row lock and the one-active-reservation index decide)."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from realestate.clients.api.portal import IsAgent, detail_schema, list_schema, portal_errors
from realestate.clients.models import Client
from realestate.core.api.errors import error_body, validation_errors
from realestate.core.api.fields import StrictCharField, StrictMoneyField
from realestate.core.api.idempotency import IDEMPOTENCY_PARAMETERS, idempotent
from realestate.core.api.lists import SyncFilterSet, ordering
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.properties.models import Unit
from realestate.sales import services
from realestate.sales.models import Reservation

DEFAULT_HOLD = timedelta(days=7)


class ReservationSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    client = serializers.SlugRelatedField(slug_field="name", read_only=True)
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    deposit = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)

    class Meta:
        model = Reservation
        fields = [
            "id", "number", "unit", "client", "agent", "status", "deposit", "currency",
            "expires_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class ReservationCreateSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), help_text="An available unit the agent may see."
    )
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.none(), help_text="One of the agent's clients."
    )
    deposit = StrictMoneyField(help_text="Charged to the client as a receivable due today.")
    expires_at = serializers.DateTimeField(
        required=False, help_text="When the hold ends (in the future); 7 days by default."
    )
    notes = StrictCharField(required=False, allow_blank=True, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["unit"].queryset = Unit.objects.restrict(request.user)
            self.fields["client"].queryset = Client.objects.restrict(request.user)


class ReservationFilterSet(SyncFilterSet):
    ordering = ordering("created_at", "expires_at", "updated_at")

    class Meta:
        model = Reservation
        fields = ["status"]


@extend_schema_view(
    list=list_schema("The agent's reservations", "agent", ReservationSerializer, IsAgent),
    retrieve=detail_schema(
        "One of the agent's reservations", "agent", ReservationSerializer, "reservation", IsAgent
    ),
    create=extend_schema(
        tags=["agent"],
        summary="Reserve a unit for a client",
        parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
        request=ReservationCreateSerializer,
        examples=[
            OpenApiExample(
                "Hold", value={"unit": 42, "client": 118, "deposit": "25000.00"}, request_only=True
            )
        ],
        responses={
            201: ReservationSerializer,
            **portal_errors(
                IsAgent,
                bad_request=validation_errors(
                    "A field has a value a reservation does not take; each is named.",
                    **{"Past": {"expires_at": "The reservation must expire in the future."}},
                ),
                body=True,
            ),
            409: validation_errors(
                "The unit is not available (reserved, sold or let, maybe by another agent a "
                "moment ago; `code` `unit_unavailable`), or the `Idempotency-Key` was used "
                "with another body (`idempotency_key_reused`).",
                **{"Taken": {"unit": "Unit MH-A-1204 is reserved: it cannot be reserved."}},
            ),
        },
    ),
)
class AgentReservationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, IsAgent]
    pagination_class = PageNumberPagination
    parser_classes = [JSONParser]
    serializer_class = ReservationSerializer
    filterset_class = ReservationFilterSet
    queryset = Reservation.objects.select_related("unit", "client", "agent").order_by(
        "-created_at", "-id"
    )

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def get_serializer_class(self):
        if self.action == "create":
            return ReservationCreateSerializer
        return super().get_serializer_class()

    def create(self, request):
        def reserve():
            serializer = ReservationCreateSerializer(
                data=request.data, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            data.setdefault("expires_at", timezone.now() + DEFAULT_HOLD)
            try:
                reservation = services.reservation_create(by=request.user, **data)
            except DjangoValidationError as error:
                if getattr(error, "code", None) != "unit_unavailable":
                    raise
                body = error_body("unit_unavailable", error.messages[0], {"unit": error.messages})
                return Response(body, status=status.HTTP_409_CONFLICT)
            answer = ReservationSerializer(reservation, context=self.get_serializer_context())
            return Response(answer.data, status=status.HTTP_201_CREATED)

        return idempotent(request, reserve)
