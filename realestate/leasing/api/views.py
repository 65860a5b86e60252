"""``/api/v1/tenant/leases|maintenance/`` and ``/api/v1/owner/maintenance/``."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from realestate.clients.api.portal import (
    ClientRecordsMixin,
    IsPortalClient,
    detail_schema,
    list_schema,
    not_found,
    portal_errors,
)
from realestate.core.api.errors import validation_errors
from realestate.core.api.idempotency import (
    IDEMPOTENCY_PARAMETERS,
    KEY_REUSED,
    idempotent,
)
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.leasing import services
from realestate.leasing.api.filtersets import LeaseFilterSet, MaintenanceFilterSet
from realestate.leasing.api.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    LeaseSerializer,
    MaintenanceCreateSerializer,
    MaintenanceRequestSerializer,
    OwnerMaintenanceSerializer,
)
from realestate.leasing.choices import LeaseStatus
from realestate.leasing.models import Lease, MaintenanceComment, MaintenanceRequest, RentCharge
from realestate.leasing.selectors import leases_with_deposit_held


@extend_schema_view(
    list=list_schema("The tenant's leases, current and past", "tenant", LeaseSerializer),
    retrieve=detail_schema("One of the tenant's leases", "tenant", LeaseSerializer, "lease"),
)
class TenantLeaseViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    """The caller's leases with their unit, term, rent, deposit held and rent schedule."""

    serializer_class = LeaseSerializer
    filterset_class = LeaseFilterSet
    client_path = "tenant"

    def get_queryset(self):
        charges = RentCharge.objects.select_related("receivable").order_by("period_start")
        leases = Lease.objects.select_related("unit__project", "unit__building").prefetch_related(
            Prefetch("rent_charges", charges)
        )
        self.queryset = leases_with_deposit_held(leases).order_by("-start_date", "-id")
        return super().get_queryset()


MAINTENANCE_ERRORS = validation_errors(
    "A field has a value the request does not take; each is named in `fields` (a photo by "
    "its position: `photos.0`).",
    **{
        "Not a unit rented now": {"unit": "Not a unit you rent now."},
        "Not a photo": {
            "photos.0": "“notes.pdf” is not a photo file. Photos must be JPEG (.jpg, .jpeg), "
            "PNG (.png) or WebP (.webp) images."
        },
    },
)
COMMENT_ERRORS = validation_errors(
    "The comment is missing, empty or too long.",
    **{"Empty": {"body": "This field may not be blank."}},
)


def _thread():
    return (
        MaintenanceRequest.objects.select_related("unit")
        .prefetch_related(
            "photos", Prefetch("comments", MaintenanceComment.objects.select_related("author"))
        )
        .order_by("-created_at", "-id")
    )


@extend_schema_view(
    list=list_schema("The tenant's maintenance requests", "tenant", MaintenanceRequestSerializer),
    retrieve=detail_schema(
        "One of the tenant's requests, with its photos and comments",
        "tenant",
        MaintenanceRequestSerializer,
        "maintenance request",
    ),
    create=extend_schema(
        tags=["tenant"],
        summary="Report a problem in a unit the tenant rents now",
        parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
        request={
            "application/json": MaintenanceCreateSerializer,
            "multipart/form-data": MaintenanceCreateSerializer,
        },
        examples=[
            OpenApiExample(
                "Leak",
                request_only=True,
                value={
                    "unit": 42,
                    "category": "plumbing",
                    "priority": "high",
                    "title": "Leaking kitchen tap",
                    "description": "Water drips under the sink.",
                    "permission_to_enter": True,
                },
            )
        ],
        responses={
            201: MaintenanceRequestSerializer,
            **portal_errors(IsPortalClient, bad_request=MAINTENANCE_ERRORS, body=True),
            409: KEY_REUSED,
        },
    ),
)
class TenantMaintenanceViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MaintenanceRequestSerializer
    filterset_class = MaintenanceFilterSet
    client_path = "lease__tenant"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        self.queryset = _thread()
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action == "create":
            return MaintenanceCreateSerializer
        return super().get_serializer_class()

    def create(self, request):
        def report():
            serializer = MaintenanceCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            maintenance = self._report(dict(serializer.validated_data))
            answer = MaintenanceRequestSerializer(
                _thread().get(pk=maintenance.pk), context=self.get_serializer_context()
            )
            return Response(answer.data, status=status.HTTP_201_CREATED)

        return idempotent(request, report)

    def _report(self, data):
        lease = (
            Lease.objects.restrict(self.request.user, "view")
            .filter(
                tenant=self.request.portal_client,
                unit_id=data.pop("unit"),
                status=LeaseStatus.ACTIVE,
            )
            .first()
        )
        if lease is None:
            raise ValidationError({"unit": ["Not a unit you rent now."]})
        return services.maintenance_request_report(lease=lease, by=self.request.user, **data)

    @extend_schema(
        tags=["tenant"],
        summary="Add a comment to one of the tenant's requests",
        parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
        request=CommentCreateSerializer,
        examples=[
            OpenApiExample(
                "Comment", value={"body": "Tuesday morning suits me."}, request_only=True
            )
        ],
        responses={
            201: CommentSerializer,
            **portal_errors(
                IsPortalClient,
                bad_request=COMMENT_ERRORS,
                not_found=not_found("maintenance request"),
                body=True,
            ),
            409: KEY_REUSED,
        },
    )
    @action(
        detail=True, methods=["post"], url_path="comments", serializer_class=CommentCreateSerializer
    )
    def comments(self, request, pk=None):
        maintenance = self.get_object()

        def create():
            serializer = CommentCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            comment = services.maintenance_comment_add(
                request=maintenance, by=request.user, body=serializer.validated_data["body"]
            )
            return Response(
                CommentSerializer(comment, context=self.get_serializer_context()).data,
                status=status.HTTP_201_CREATED,
            )

        return idempotent(request, create)


@extend_schema_view(
    list=list_schema(
        "Maintenance on the owner's units: what, status and cost",
        "owner",
        OwnerMaintenanceSerializer,
    ),
    retrieve=detail_schema(
        "One job on the owner's units", "owner", OwnerMaintenanceSerializer, "maintenance request"
    ),
)
class OwnerMaintenanceViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OwnerMaintenanceSerializer
    filterset_class = MaintenanceFilterSet
    client_path = "unit__owner"
    queryset = MaintenanceRequest.objects.select_related("unit").order_by("-created_at", "-id")
