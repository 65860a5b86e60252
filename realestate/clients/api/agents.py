"""``/api/v1/agent/clients/`` and ``/api/v1/agent/leads/``: a field agent's own clients and
leads (what ``restrict()`` gives them: what is assigned), created and changed through the
same services as the admin; a lead moves through its pipeline with ``lead_status_change``."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from realestate.clients import services
from realestate.clients.api.portal import (
    IsAgent,
    detail_schema,
    list_schema,
    not_found,
    portal_errors,
)
from realestate.clients.choices import (
    LEAD_STATUS_FLOW,
    ClientKind,
    ClientSource,
    LeadStatus,
    LostReason,
)
from realestate.clients.models import Client, Lead
from realestate.core.api.errors import error_body, validation_errors
from realestate.core.api.fields import (
    NOT_BLANK,
    BlankableEmailField,
    StrictCharField,
    StrictMoneyField,
)
from realestate.core.api.idempotency import IDEMPOTENCY_PARAMETERS, KEY_REUSED, idempotent
from realestate.core.api.lists import IdFilter, SyncFilterSet, ordering
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.permissions import ACTION_BY_METHOD
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.properties.models import Unit


class AgentClientSerializer(serializers.ModelSerializer):
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    name = StrictCharField(max_length=160, validators=[NOT_BLANK])
    email = BlankableEmailField(required=False)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True)
    nationality = StrictCharField(max_length=60, required=False, allow_blank=True)
    notes = StrictCharField(required=False, allow_blank=True, max_length=4000)

    class Meta:
        model = Client
        fields = [
            "id", "kind", "name", "email", "phone", "nationality", "source", "notes", "agent",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "agent", "created_at", "updated_at"]


class AgentLeadSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(queryset=Client.objects.none())
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), required=False, allow_null=True
    )
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    budget_min = StrictMoneyField(required=False, allow_null=True)
    budget_max = StrictMoneyField(required=False, allow_null=True)
    lost_reason = serializers.CharField(
        read_only=True, help_text="Why it was lost (a `LostReason`); empty unless lost."
    )
    bedrooms = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, allow_null=True
    )
    next_follow_up = serializers.DateField(required=False, allow_null=True)
    notes = StrictCharField(required=False, allow_blank=True, max_length=4000)

    class Meta:
        model = Lead
        fields = [
            "id", "client", "status", "unit", "unit_type", "budget_min", "budget_max",
            "bedrooms", "source", "next_follow_up", "lost_reason", "notes", "agent",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "lost_reason", "agent", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["client"].queryset = Client.objects.restrict(request.user)
            self.fields["unit"].queryset = Unit.objects.restrict(request.user)

    def validate_client(self, client):
        if self.instance is not None and client != self.instance.client:
            raise serializers.ValidationError("A lead stays with its client.")
        return client


class LeadMoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=LeadStatus.choices)
    lost_reason = serializers.ChoiceField(
        choices=LostReason.choices, required=False, help_text="Required to move to `lost`."
    )


class ClientFilterSet(SyncFilterSet):
    kind = django_filters.ChoiceFilter(choices=ClientKind.choices)
    source = django_filters.ChoiceFilter(choices=ClientSource.choices)
    ordering = ordering("name", "created_at", "updated_at")

    class Meta:
        model = Client
        fields = ["kind", "source"]


class LeadFilterSet(SyncFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=LeadStatus.choices)
    client = IdFilter(field_name="client_id")
    follow_up_due = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_follow_up_due",
        help_text="`true`: open leads whose next follow-up is today or before.",
    )
    ordering = ordering("next_follow_up", "created_at", "updated_at")

    class Meta:
        model = Lead
        fields = ["status", "client"]

    def filter_follow_up_due(self, queryset, name, value):
        from realestate.clients.selectors import leads_open

        if value == "true":
            return leads_open(queryset).filter(next_follow_up__lte=timezone.localdate())
        return queryset


class AgentRecordsMixin:
    """A field agent's records: what ``restrict()`` lets them see (to read) or change (to
    change); anything else is 404."""

    permission_classes = [IsAuthenticated, IsAgent]
    pagination_class = PageNumberPagination
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        action_name = ACTION_BY_METHOD.get(self.request.method, "view")
        if getattr(self, "action", None) == "move":
            action_name = "change"
        return super().get_queryset().restrict(self.request.user, action_name)

    def create(self, request):
        def make():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            record = self.service_create(dict(serializer.validated_data))
            return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

        return idempotent(request, make)

    def partial_update(self, request, pk=None):
        record = self.get_object()
        serializer = self.get_serializer(record, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        record = self.service_update(record, dict(serializer.validated_data))
        return Response(self.get_serializer(record).data)


def _write_schemas(tag: str, serializer, record: str, errors, example: dict):
    return {
        "list": list_schema(f"The agent's {record}s", tag, serializer, permission=IsAgent),
        "retrieve": detail_schema(
            f"One of the agent's {record}s", tag, serializer, record, IsAgent
        ),
        "create": extend_schema(
            tags=[tag],
            summary=f"A new {record}, assigned to the agent",
            parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
            examples=[OpenApiExample(record, value=example, request_only=True)],
            responses={
                201: serializer,
                **portal_errors(IsAgent, bad_request=errors, body=True),
                409: KEY_REUSED,
            },
        ),
        "partial_update": extend_schema(
            tags=[tag],
            summary=f"Change one of the agent's {record}s",
            parameters=RESPONSE_HEADERS,
            responses={
                200: serializer,
                **portal_errors(
                    IsAgent, bad_request=errors, not_found=not_found(record), body=True
                ),
            },
        ),
    }


CLIENT_ERRORS = validation_errors(
    "A field has a value a client does not take; each is named in `fields`.",
    **{"No contact": {"non_field_errors": "A client needs an email address or a phone number."}},
)
LEAD_ERRORS = validation_errors(
    "A field has a value a lead does not take; each is named in `fields`.",
    **{"Budget": {"budget_max": "The budget's upper end is below its lower end."}},
)


@extend_schema_view(
    **_write_schemas(
        "agent",
        AgentClientSerializer,
        "client",
        CLIENT_ERRORS,
        {"name": "Omar Haddad", "phone": "+971 50 111 2222", "source": "referral"},
    )
)
class AgentClientViewSet(
    AgentRecordsMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = AgentClientSerializer
    filterset_class = ClientFilterSet
    queryset = Client.objects.select_related("agent").order_by("name", "id")

    def service_create(self, data):
        return services.client_create(by=self.request.user, **data)

    def service_update(self, client, data):
        return services.client_update(client=client, by=self.request.user, **data)


MOVE_ERRORS = validation_errors(
    "The status is not one of the pipeline's, or `lost` without a `lost_reason`.",
    **{"No reason": {"lost_reason": "Say why the lead was lost."}},
)


@extend_schema_view(
    **_write_schemas(
        "agent",
        AgentLeadSerializer,
        "lead",
        LEAD_ERRORS,
        {"client": 118, "unit_type": "apartment", "bedrooms": 2, "budget_max": "2500000.00"},
    )
)
class AgentLeadViewSet(
    AgentRecordsMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    serializer_class = AgentLeadSerializer
    filterset_class = LeadFilterSet
    queryset = Lead.objects.select_related("agent").order_by("-created_at", "-id")

    def service_create(self, data):
        return services.lead_create(by=self.request.user, **data)

    def service_update(self, lead, data):
        return services.lead_update(lead=lead, by=self.request.user, **data)

    @extend_schema(
        tags=["agent"],
        summary="Move a lead through its pipeline (the admin's “Move to”)",
        parameters=RESPONSE_HEADERS,
        request=LeadMoveSerializer,
        examples=[OpenApiExample("Qualify", value={"status": "qualified"}, request_only=True)],
        responses={
            200: AgentLeadSerializer,
            **portal_errors(
                IsAgent, bad_request=MOVE_ERRORS, not_found=not_found("lead"), body=True
            ),
            409: validation_errors(
                "The pipeline does not go from the lead's status to this one.",
                **{"Not allowed": {"status": "A won lead does not move on."}},
            ),
        },
    )
    @action(detail=True, methods=["post"], serializer_class=LeadMoveSerializer)
    def move(self, request, pk=None):
        lead = self.get_object()
        serializer = LeadMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = serializer.validated_data["status"]
        if not LEAD_STATUS_FLOW.can(lead.status, target):
            body = error_body(
                "invalid_transition",
                f"A lead does not move from {lead.get_status_display()} to "
                f"{LeadStatus(target).label}.",
                {"status": [f"Not allowed from {lead.status}."]},
            )
            return Response(body, status=status.HTTP_409_CONFLICT)
        lead = services.lead_status_change(
            lead=lead,
            status=target,
            by=request.user,
            lost_reason=serializer.validated_data.get("lost_reason", ""),
        )
        return Response(AgentLeadSerializer(lead, context=self.get_serializer_context()).data)
