"""``/api/v1/tenant/invoices|balance|payments/`` and ``/api/v1/owner/statements/``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realestate.clients.api.portal import (
    ClientRecordsMixin,
    IsPortalClient,
    detail_schema,
    list_schema,
    portal_errors,
)
from realestate.core.api.formats import moment_writer
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.core.api.statements import kept_page
from realestate.finance.api.filtersets import (
    InvoiceFilterSet,
    PaymentFilterSet,
    StatementFilterSet,
)
from realestate.finance.api.serializers import (
    INVOICE_COLUMNS,
    BalanceSerializer,
    InvoiceSerializer,
    OwnerStatementSerializer,
    PaymentSerializer,
    invoice_answer,
    invoice_rows,
)
from realestate.finance.models import Allocation, OwnerStatement, Payment, Receivable
from realestate.finance.selectors import client_balance


@extend_schema_view(
    list=list_schema(
        "The tenant's invoices: every receivable of theirs", "tenant", InvoiceSerializer
    ),
    retrieve=detail_schema("One of the tenant's invoices", "tenant", InvoiceSerializer, "invoice"),
)
class TenantInvoiceViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    """Every receivable of the caller's client: rent, deposits, fees, late fees, instalments."""

    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilterSet
    client_path = "client"
    # One invoice: only the columns its answer reads (``INVOICE_COLUMNS``), not every column
    # of the receivable, nor the unit's (its location parsed into a geometry).
    queryset = (
        Receivable.objects.select_related("unit")
        .only(*INVOICE_COLUMNS, "unit__code")
        .order_by("-due_date", "-id")
    )

    def list(self, request, *args, **kwargs):
        """The page's invoices read as values (``invoice_rows``), not models: building a
        receivable and its unit for each of 50 rows was a third of the list's time. Without
        filters (the app's list), the page is read by a statement compiled once for the
        caller and their client (``core.api.statements``)."""
        page = None
        if not set(request.query_params) - {self.paginator.page_query_param}:
            page = kept_page(
                self,
                ("invoices", request.portal_client.pk),
                lambda start, stop: invoice_rows(self.get_queryset())[start:stop],
                counted=self.get_queryset,
            )
        if page is None:
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginator.paginate_queryset(queryset, request, self, rows=invoice_rows)
        moment = moment_writer()
        return self.get_paginated_response([invoice_answer(row, moment) for row in page])


@extend_schema_view(
    list=list_schema("The tenant's payments, with what each paid", "tenant", PaymentSerializer),
    retrieve=detail_schema("One of the tenant's payments", "tenant", PaymentSerializer, "payment"),
)
class TenantPaymentViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet
    client_path = "client"
    queryset = Payment.objects.prefetch_related(
        Prefetch("allocations", Allocation.objects.select_related("receivable"))
    ).order_by("-received_on", "-id")


class TenantBalanceView(APIView):
    permission_classes = [IsAuthenticated, IsPortalClient]

    @extend_schema(
        tags=["tenant"],
        summary="What the tenant owes, their credit and the ageing of what is overdue",
        parameters=RESPONSE_HEADERS,
        responses={200: BalanceSerializer, **portal_errors(IsPortalClient)},
    )
    def get(self, request):
        balance = client_balance(request.portal_client)
        balance["currency"] = settings.DEFAULT_CURRENCY
        return Response(BalanceSerializer(balance).data)


@extend_schema_view(
    list=list_schema(
        "The owner's monthly statements, with the net payable of each",
        "owner",
        OwnerStatementSerializer,
    ),
    retrieve=detail_schema(
        "One of the owner's statements", "owner", OwnerStatementSerializer, "statement"
    ),
)
class OwnerStatementViewSet(ClientRecordsMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OwnerStatementSerializer
    filterset_class = StatementFilterSet
    client_path = "owner"
    queryset = OwnerStatement.objects.order_by("-period_start", "-id")
