"""``/api/v1/devices/``: the caller's phones register their push token for notifications."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from realestate.accounts import services
from realestate.accounts.models import Device
from realestate.core.api.errors import validation_errors
from realestate.core.api.fields import NOT_BLANK, StrictCharField
from realestate.core.api.idempotency import IDEMPOTENCY_PARAMETERS, KEY_REUSED, idempotent
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.schema import RESPONSE_HEADERS, ErrorSerializer, error_responses


class DeviceSerializer(serializers.ModelSerializer):
    push_token = StrictCharField(
        max_length=255, validators=[NOT_BLANK], help_text="The token of the push service."
    )
    name = StrictCharField(max_length=80, required=False, allow_blank=True)

    class Meta:
        model = Device
        fields = ["id", "platform", "push_token", "name", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


DEVICE_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No such device of the caller's (another user's is the same answer).",
    examples=[OpenApiExample("Not found", value={"detail": "No Device matches the given query."})],
)


@extend_schema_view(
    list=extend_schema(
        tags=["devices"],
        summary="The caller's registered devices",
        parameters=RESPONSE_HEADERS,
        responses={
            200: DeviceSerializer(many=True),
            **error_responses(
                bad_request=validation_errors(
                    "`page` is not a page number.",
                    **{"Page": {"page": "A page is a whole number from 1 to 1000000, or “last”."}},
                ),
                not_found=DEVICE_NOT_FOUND,
            ),
        },
    ),
    create=extend_schema(
        tags=["devices"],
        summary="Register this device's push token (again: refreshes it)",
        parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
        examples=[
            OpenApiExample(
                "iPhone",
                value={"platform": "ios", "push_token": "f3b1c0ffee", "name": "Aisha's iPhone"},
                request_only=True,
            )
        ],
        responses={
            201: DeviceSerializer,
            **error_responses(
                bad_request=validation_errors(
                    "A field has a value a device does not take; each is named.",
                    **{"Platform": {"platform": '"symbian" is not a valid choice.'}},
                ),
                body=True,
            ),
            409: KEY_REUSED,
        },
    ),
    destroy=extend_schema(
        tags=["devices"],
        summary="Forget a device (logging out of the app)",
        parameters=RESPONSE_HEADERS,
        responses={
            204: OpenApiResponse(description="No more notifications to it."),
            **error_responses(not_found=DEVICE_NOT_FOUND),
        },
    ),
)
class DeviceViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Any signed-in user's own devices; another user's device is 404."""

    serializer_class = DeviceSerializer
    queryset = Device.objects.none()  # typing the path's id; get_queryset answers
    pagination_class = PageNumberPagination
    parser_classes = [JSONParser]
    filterset_class = None
    filter_backends = []

    def get_queryset(self):
        return Device.objects.filter(user=self.request.user).order_by("-updated_at", "-id")

    def create(self, request):
        def register():
            serializer = DeviceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            device = services.device_register(user=request.user, **serializer.validated_data)
            return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)

        return idempotent(request, register)
