"""``/api/v1/agent/viewings/``: a field agent's viewings (what ``restrict()`` gives them: what
is assigned) as a calendar feed over dates, created, rescheduled, cancelled, checked in on
site and marked done with feedback, through the same services and flow as the admin
(``viewing_create``, ``viewing_reschedule``, ``viewing_check_in``, ``viewing_status_change``).
A step the flow does not allow (the viewing is done or cancelled, already checked in) is 409
in the one error shape; another agent's viewing is 404."""

from __future__ import annotations

import django_filters
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from realestate.clients import services
from realestate.clients.api.agents import AgentRecordsMixin
from realestate.clients.api.portal import (
    IsAgent,
    detail_schema,
    list_schema,
    not_found,
    portal_errors,
)
from realestate.clients.choices import ViewingStatus
from realestate.clients.models import Client, Lead, Viewing
from realestate.core.api.errors import error_body, validation_errors
from realestate.core.api.fields import StrictCharField
from realestate.core.api.idempotency import IDEMPOTENCY_PARAMETERS, KEY_REUSED
from realestate.core.api.lists import SyncFilterSet, ordering
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.properties.models import Unit

#: The services' refusals that are about the viewing's state, not the request: 409.
CONFLICTS = {"not_scheduled", "checked_in", "invalid_transition"}


class ViewingSerializer(serializers.ModelSerializer):
    client = serializers.PrimaryKeyRelatedField(
        queryset=Client.objects.none(), help_text="One of the agent's clients."
    )
    client_name = serializers.CharField(source="client.name", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(), help_text="A unit the agent may see."
    )
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    lead = serializers.PrimaryKeyRelatedField(
        queryset=Lead.objects.none(),
        required=False,
        allow_null=True,
        help_text="The client's lead the viewing is for (a done viewing moves it on).",
    )
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    scheduled_at = serializers.DateTimeField(help_text="When; in the future.")
    check_in_latitude = serializers.SerializerMethodField(
        help_text="Where the device was at check-in; null before."
    )
    check_in_longitude = serializers.SerializerMethodField(
        help_text="Where the device was at check-in; null before."
    )
    check_in_distance_m = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="How far (metres) the device was from the unit at check-in; null before, "
        "or when the unit has no location.",
    )

    class Meta:
        model = Viewing
        fields = [
            "id", "client", "client_name", "unit", "unit_code", "lead", "agent",
            "scheduled_at", "status", "feedback", "checked_in_at", "check_in_latitude",
            "check_in_longitude", "check_in_distance_m", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "feedback", "agent", "checked_in_at", "created_at", "updated_at",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["client"].queryset = Client.objects.restrict(request.user)
            self.fields["unit"].queryset = Unit.objects.restrict(request.user)
            self.fields["lead"].queryset = Lead.objects.restrict(request.user)

    def get_check_in_latitude(self, viewing) -> float | None:
        return viewing.check_in_location.y if viewing.check_in_location else None

    def get_check_in_longitude(self, viewing) -> float | None:
        return viewing.check_in_location.x if viewing.check_in_location else None


class RescheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(help_text="The new time; in the future.")


class CoordinateField(serializers.FloatField):
    """A JSON number only: DRF's ``FloatField`` reads ``false`` as 0 and ``"25.1"`` as
    25.1, which the schema (``number``) does not take."""

    default_error_messages = {"invalid": "Must be a number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class CheckInSerializer(serializers.Serializer):
    latitude = CoordinateField(min_value=-90, max_value=90)
    longitude = CoordinateField(min_value=-180, max_value=180)
    at = serializers.DateTimeField(
        required=False, help_text="When the device took its position; now by default."
    )


class OutcomeSerializer(serializers.Serializer):
    feedback = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="What the client said about the unit.",
    )


class ViewingFilterSet(SyncFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ViewingStatus.choices)
    ordering = ordering("scheduled_at", "updated_at")

    class Meta:
        model = Viewing
        fields = ["status"]


# ``from`` is a Python keyword: the calendar's bounds are added by name.
ViewingFilterSet.base_filters["from"] = django_filters.DateFilter(
    field_name="scheduled_at",
    lookup_expr="date__gte",
    help_text="Viewings on or after this day (the office's time zone).",
)
ViewingFilterSet.base_filters["to"] = django_filters.DateFilter(
    field_name="scheduled_at",
    lookup_expr="date__lte",
    help_text="Viewings on or before this day; before `from`: none.",
)

VIEWING_ERRORS = validation_errors(
    "A field has a value a viewing does not take; each is named in `fields`.",
    **{"Past": {"scheduled_at": "A viewing is scheduled in the future."}},
)
STATE_CONFLICT = validation_errors(
    "The viewing's state does not allow it: its outcome is recorded (`not_scheduled`, "
    "`invalid_transition`) or it was checked in already (`checked_in`).",
    **{"Done": {"non_field_errors": "The viewing is done: it cannot be rescheduled."}},
)


def _step_schema(summary: str, request, errors, example: dict | None = None):
    return extend_schema(
        tags=["agent"],
        summary=summary,
        parameters=RESPONSE_HEADERS,
        request=request,
        examples=[OpenApiExample(summary, value=example, request_only=True)] if example else [],
        responses={
            200: ViewingSerializer,
            **portal_errors(IsAgent, bad_request=errors, not_found=not_found("viewing"), body=True),
            409: STATE_CONFLICT,
        },
    )


@extend_schema_view(
    list=list_schema(
        "The agent's viewings: a calendar feed over `from`–`to`",
        "agent",
        ViewingSerializer,
        permission=IsAgent,
    ),
    retrieve=detail_schema(
        "One of the agent's viewings", "agent", ViewingSerializer, "viewing", IsAgent
    ),
    create=extend_schema(
        tags=["agent"],
        summary="A new viewing, assigned to the agent",
        parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
        examples=[
            OpenApiExample(
                "Viewing",
                value={"client": 118, "unit": 42, "scheduled_at": "2026-05-04T16:30:00+04:00"},
                request_only=True,
            )
        ],
        responses={
            201: ViewingSerializer,
            **portal_errors(IsAgent, bad_request=VIEWING_ERRORS, body=True),
            409: KEY_REUSED,
        },
    ),
)
class AgentViewingViewSet(
    AgentRecordsMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = ViewingSerializer
    filterset_class = ViewingFilterSet
    http_method_names = ["get", "post", "head", "options"]
    queryset = Viewing.objects.select_related("client", "unit", "agent").order_by(
        "scheduled_at", "id"
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("reschedule", "cancel", "check_in", "done"):
            return self.queryset.restrict(self.request.user, "change")
        return queryset

    def service_create(self, data):
        return services.viewing_create(by=self.request.user, **data)

    def _run(self, parent):
        """A step's answer: the viewing, or 409 for a refusal about its state."""
        try:
            return parent()
        except DjangoValidationError as error:
            code = getattr(error, "code", None)
            if code not in CONFLICTS:
                raise
            return Response(
                error_body(code, error.messages[0], {"non_field_errors": error.messages}),
                status=status.HTTP_409_CONFLICT,
            )

    def _step(self, request, serializer_class, service, **fixed):
        viewing = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)

        def run():
            done = service(viewing=viewing, by=request.user, **fixed, **serializer.validated_data)
            return Response(ViewingSerializer(done, context=self.get_serializer_context()).data)

        return self._run(run)

    @_step_schema(
        "Move a scheduled viewing to another time",
        RescheduleSerializer,
        validation_errors(
            "The new time is not a time, or not in the future.",
            **{"Past": {"scheduled_at": "A viewing is scheduled in the future."}},
        ),
        {"scheduled_at": "2026-05-05T10:00:00+04:00"},
    )
    @action(detail=True, methods=["post"], serializer_class=RescheduleSerializer)
    def reschedule(self, request, pk=None):
        return self._step(request, RescheduleSerializer, services.viewing_reschedule)

    @_step_schema(
        "Cancel a scheduled viewing",
        OutcomeSerializer,
        validation_errors(
            "The feedback is not text.", **{"Not text": {"feedback": "Must be a string."}}
        ),
    )
    @action(detail=True, methods=["post"], serializer_class=OutcomeSerializer)
    def cancel(self, request, pk=None):
        return self._step(
            request, OutcomeSerializer, services.viewing_status_change,
            status=ViewingStatus.CANCELLED,
        )  # fmt: skip

    @_step_schema(
        "Check in on site: the device's position and time, and its distance from the unit",
        CheckInSerializer,
        validation_errors(
            "A coordinate is off the globe, or the time is not one (or ahead of the clock).",
            **{"Off the globe": {"latitude": "Ensure this value is less than or equal to 90."}},
        ),
        {"latitude": 25.0805, "longitude": 55.1403},
    )
    @action(detail=True, methods=["post"], url_path="check-in", serializer_class=CheckInSerializer)
    def check_in(self, request, pk=None):
        viewing = self.get_object()
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def run():
            done = services.viewing_check_in(
                viewing=viewing,
                by=request.user,
                location=Point(data["longitude"], data["latitude"], srid=4326),
                at=data.get("at"),
            )
            return Response(ViewingSerializer(done, context=self.get_serializer_context()).data)

        return self._run(run)

    @_step_schema(
        "Mark a viewing done, with the client's feedback",
        OutcomeSerializer,
        validation_errors(
            "The feedback is not text.", **{"Not text": {"feedback": "Must be a string."}}
        ),
        {"feedback": "Liked the view; finds the kitchen small."},
    )
    @action(detail=True, methods=["post"], serializer_class=OutcomeSerializer)
    def done(self, request, pk=None):
        return self._step(
            request, OutcomeSerializer, services.viewing_status_change, status=ViewingStatus.DONE
        )
