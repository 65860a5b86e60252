"""``/api/v1/tenant/leases/{lease_id}/documents/``: the documents filed with one of the
tenant's leases (its agreement, the signed copies, anything staff filed with it), each with its
versions and the link that downloads it (``/api/v1/documents/{id}/download/``). Another's
lease is 404, as a missing one."""

from __future__ import annotations

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from realestate.clients.api.portal import IsPortalClient, list_errors, not_found, portal_errors
from realestate.core.api.lists import MAX_ID, SyncFilterSet, ordering
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.documents.api.serializers import DocumentSerializer
from realestate.documents.choices import DocumentKind
from realestate.documents.models import Document, DocumentVersion
from realestate.leasing.models import Lease


class LeaseDocumentFilterSet(SyncFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        choices=DocumentKind.choices, help_text="Documents of any of these kinds."
    )
    ordering = ordering("title", "updated_at")

    class Meta:
        model = Document
        fields = ["kind"]


LEASE_ID = OpenApiParameter(
    "lease_id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
    description="One of the tenant's leases.",
)


@extend_schema_view(
    list=extend_schema(
        tags=["tenant"],
        summary="The documents of one of the tenant's leases (agreement, signed copies)",
        parameters=[LEASE_ID, *RESPONSE_HEADERS],
        responses={
            200: DocumentSerializer(many=True),
            **portal_errors(
                IsPortalClient,
                bad_request=list_errors(),
                not_found=not_found("lease (or page)"),
            ),
        },
    )
)
class TenantLeaseDocumentViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, IsPortalClient]
    pagination_class = PageNumberPagination
    serializer_class = DocumentSerializer
    filterset_class = LeaseDocumentFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        user = self.request.user
        leases = Lease.objects.restrict(user, "view").filter(
            tenant=getattr(self.request, "portal_client", None)
        )
        lease_id = self.kwargs["lease_id"]
        lease = get_object_or_404(leases, pk=lease_id if int(lease_id) <= MAX_ID else 0)
        versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
        return (
            Document.objects.restrict(user, "view")
            .filter(content_type=ContentType.objects.get_for_model(Lease), object_id=lease.pk)
            .select_related("content_type")
            .prefetch_related(Prefetch("versions", queryset=versions))
            .order_by("-updated_at", "-pk")
        )
