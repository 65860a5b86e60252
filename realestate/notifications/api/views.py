"""``/api/v1/notifications/``: the caller's notification centre (in-app messages), marking
them read, and which channels each topic reaches them by.

Any signed-in user, staff or portal; only their own messages (another's is 404, as a
missing one). The live counterpart is ``/ws/notifications/`` (``notifications.consumers``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import django_filters
from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from realestate.accounts.services import user_profile_update
from realestate.core.api.errors import validation_errors
from realestate.core.api.lists import UPDATED_SINCE_HELP
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.schema import RESPONSE_HEADERS, ErrorSerializer, error_responses
from realestate.notifications import services
from realestate.notifications.api.serializers import (
    EmptySerializer,
    MarkedSerializer,
    NotificationSerializer,
    PreferencesSerializer,
    PreferencesUpdateSerializer,
    UnreadCountSerializer,
)
from realestate.notifications.choices import Channel
from realestate.notifications.models import Notification
from realestate.notifications.preferences import preferences_full, topic_is_legal
from realestate.notifications.rendering import in_app_texts_fill


class ChangedSinceFilter(django_filters.IsoDateTimeFilter):
    """Written or read at or after the moment (a notification changes only when read), in
    UTC as ``core.api.lists.UpdatedSinceFilter`` compares."""

    def filter(self, qs, value):
        if value is None:
            return qs
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            value = (datetime.max if value.year == datetime.max.year else datetime.min).replace(
                tzinfo=UTC
            )
        return qs.filter(Q(created_at__gte=value) | Q(read_at__gte=value))


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        help_text="`true`: unread only; `false`: read only.",
    )
    updated_since = ChangedSinceFilter(
        field_name="created_at",
        help_text=UPDATED_SINCE_HELP + " A notification changes when written and when read.",
    )

    class Meta:
        model = Notification
        fields = []

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")


NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such notification of the caller's (another user's is the same answer).",
    examples=[
        OpenApiExample("Not found", value={"detail": "No Notification matches the given query."})
    ],
)
BODY_ERRORS = validation_errors(
    "The body is not a JSON object.",
    **{"Not an object": {"non_field_errors": "Invalid data. Expected a dictionary, but got list."}},
)


def preferences_data(user) -> dict:
    return {
        "topics": preferences_full(user.notification_preferences or {}),
        "fixed": {
            topic: [Channel.IN_APP, Channel.EMAIL]
            for topic in preferences_full({})
            if topic_is_legal(topic)
        },
    }


def _merged(stored: dict, changes: dict) -> dict:
    """``changes`` (``{topic: {channel: on}}``) over ``stored`` (a topic may be one boolean
    for every channel there): the topics changed, each with all it had."""
    merged = {}
    for topic, channels in changes.items():
        before = stored.get(topic)
        if isinstance(before, bool):
            before = dict.fromkeys(Channel.values, before)
        merged[topic] = {**(before or {}), **channels}
    return merged


@extend_schema_view(
    list=extend_schema(
        tags=["notifications"],
        summary="The caller's notifications, newest first",
        parameters=RESPONSE_HEADERS,
        responses={
            200: NotificationSerializer(many=True),
            **error_responses(
                bad_request=validation_errors(
                    "A query parameter has a value the list does not take; each is named.",
                    **{
                        "Bad parameter": {
                            "unread": "Select a valid choice. maybe is not one of the available "
                            "choices."
                        }
                    },
                ),
                not_found=OpenApiResponse(
                    ErrorSerializer,
                    description="The page is past the last one.",
                    examples=[OpenApiExample("Past the end", value={"detail": "Invalid page."})],
                ),
            ),
        },
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own in-app notifications."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # typing the path's id; get_queryset answers
    pagination_class = PageNumberPagination
    parser_classes = [JSONParser]
    filterset_class = NotificationFilterSet

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user).order_by("-created_at", "-id")

    def paginate_queryset(self, queryset):
        """The page, its notifications not rendered yet rendered together (no query a row)."""
        page = super().paginate_queryset(queryset)
        if page is not None:
            in_app_texts_fill(page)
        return page

    def _empty_body(self, request):
        EmptySerializer(data=request.data).is_valid(raise_exception=True)

    @extend_schema(
        tags=["notifications"],
        summary="Mark one notification read",
        parameters=RESPONSE_HEADERS,
        request=EmptySerializer,
        responses={
            200: NotificationSerializer,
            **error_responses(bad_request=BODY_ERRORS, not_found=NOT_FOUND, body=True),
        },
    )
    @action(detail=True, methods=["post"], url_path="read", filterset_class=None)
    def read(self, request, pk=None):
        self._empty_body(request)
        notification = self.get_object()
        services.notification_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db(fields=["read_at"])
        return Response(NotificationSerializer(notification).data)

    @extend_schema(
        tags=["notifications"],
        summary="Mark all the caller's notifications read",
        parameters=RESPONSE_HEADERS,
        request=EmptySerializer,
        responses={
            200: MarkedSerializer,
            **error_responses(bad_request=BODY_ERRORS, body=True),
        },
        examples=[OpenApiExample("Marked", value={"marked": 3, "count": 0}, response_only=True)],
    )
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request):
        self._empty_body(request)
        marked = services.notification_mark_read(user=request.user)
        return Response({"marked": marked, "count": services.unread_count(request.user)})

    @extend_schema(
        tags=["notifications"],
        summary="How many of the caller's notifications are unread",
        parameters=RESPONSE_HEADERS,
        responses={200: UnreadCountSerializer, **error_responses()},
        examples=[OpenApiExample("Three", value={"count": 3}, response_only=True)],
    )
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None)
    def unread_count(self, request):
        return Response({"count": services.unread_count(request.user)})

    @extend_schema(
        methods=["GET"],
        tags=["notifications"],
        summary="Which channels each topic reaches the caller by",
        parameters=RESPONSE_HEADERS,
        responses={200: PreferencesSerializer, **error_responses()},
    )
    @extend_schema(
        methods=["PATCH"],
        tags=["notifications"],
        summary="Switch channels of topics on or off",
        description=(
            "Topics and channels sent are set; the rest keep their setting. Legal notices "
            "still reach the caller in-app and by e-mail (`fixed`)."
        ),
        parameters=RESPONSE_HEADERS,
        request=PreferencesUpdateSerializer,
        responses={
            200: PreferencesSerializer,
            **error_responses(
                bad_request=validation_errors(
                    "A topic or channel has a value it does not take; each is named.",
                    **{"Not a boolean": {"topics.invoices.sms": "Must be a valid boolean."}},
                ),
                body=True,
            ),
        },
    )
    @action(
        detail=False,
        methods=["get", "patch"],
        url_path="preferences",
        filterset_class=None,
        pagination_class=None,
    )
    def preferences(self, request):
        user = request.user
        if request.method == "PATCH":
            serializer = PreferencesUpdateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            changes = serializer.validated_data.get("topics") or {}
            if changes:
                user = user_profile_update(
                    user=user,
                    notification_preferences=_merged(user.notification_preferences or {}, changes),
                )
        return Response(PreferencesSerializer(preferences_data(user)).data)
