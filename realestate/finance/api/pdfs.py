"""The portal's money PDFs: ``/api/v1/tenant/invoices/{id}/pdf/``,
``/api/v1/tenant/payments/{id}/receipt/``, ``/api/v1/tenant/statement/`` (a period's
statement of account) and ``/api/v1/owner/statements/{id}/pdf/``. Each is generated as the
admin's "Generate" button makes it and filed as the record's document (``generated``)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from realestate.clients.api.portal import (
    ClientRecordsMixin,
    IsPortalClient,
    not_found,
    portal_errors,
)
from realestate.core.api.errors import validation_errors
from realestate.core.api.schema import RESPONSE_HEADERS
from realestate.documents.api.generated import (
    FILENAME_HEADER,
    PDF_NOT_MADE,
    generated_pdf,
    pdf_ok,
)
from realestate.documents.api.views import JSONOnlyNegotiation
from realestate.documents.choices import TemplateKind
from realestate.finance.models import OwnerStatement, Payment, Receivable

PDF_PARAMETERS = [FILENAME_HEADER, *RESPONSE_HEADERS]


def _pdf_schema(tag: str, summary: str, description: str, record: str, **extra):
    """Its errors in JSON whatever ``Accept`` asks for (``JSONOnlyNegotiation``): no 406."""
    parameters = extra.pop("parameters", [])
    errors = portal_errors(IsPortalClient, not_found=not_found(record) if record else None, **extra)
    errors.pop(406)
    return extend_schema(
        tags=[tag],
        summary=summary,
        parameters=[*parameters, *PDF_PARAMETERS],
        responses={**pdf_ok(description), **errors, 409: PDF_NOT_MADE},
    )


class RecordPdfViewSet(ClientRecordsMixin, viewsets.GenericViewSet):
    """One action, ``pdf`` (or ``receipt``) on a detail route: the caller's own record's PDF
    of ``kind``; another's record is 404, as a missing one."""

    kind = ""
    pagination_class = None
    filter_backends = []

    def generated(self, request):
        return generated_pdf(request, self.get_object(), self.kind)


class TenantInvoicePdfViewSet(RecordPdfViewSet):
    client_path = "client"
    kind = TemplateKind.INVOICE
    queryset = Receivable.objects.select_related(
        "client", "unit", "lease", "contract", "reservation"
    )

    @_pdf_schema(
        "tenant",
        "One of the tenant's invoices as PDF",
        "The invoice, as filed with it (`Invoice-<number>.pdf`).",
        "invoice",
    )
    @action(detail=True, methods=["get"], content_negotiation_class=JSONOnlyNegotiation)
    def pdf(self, request, pk=None):
        return self.generated(request)


class TenantPaymentReceiptViewSet(RecordPdfViewSet):
    client_path = "client"
    kind = TemplateKind.RECEIPT
    queryset = Payment.objects.select_related("client")

    @_pdf_schema(
        "tenant",
        "The receipt of one of the tenant's payments, as PDF",
        "The receipt, as filed with the payment (`Receipt-<number>.pdf`).",
        "payment",
    )
    @action(detail=True, methods=["get"], content_negotiation_class=JSONOnlyNegotiation)
    def receipt(self, request, pk=None):
        return self.generated(request)


class OwnerStatementPdfViewSet(RecordPdfViewSet):
    client_path = "owner"
    kind = TemplateKind.OWNER_STATEMENT
    queryset = OwnerStatement.objects.select_related("owner")

    @_pdf_schema(
        "owner",
        "One of the owner's statements as PDF",
        "The owner statement, as filed with it.",
        "statement",
    )
    @action(detail=True, methods=["get"], content_negotiation_class=JSONOnlyNegotiation)
    def pdf(self, request, pk=None):
        return self.generated(request)


class StatementPeriodSerializer(serializers.Serializer):
    """``from`` and ``to`` (``from`` is a Python keyword: the fields are named here)."""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False),
        }

    def validate(self, data):
        today = timezone.localdate()
        first = data.get("from") or date(today.year, 1, 1)
        last = data.get("to") or today
        if first > last:
            raise serializers.ValidationError({"to": ["The period ends before it starts."]})
        return {"start": first, "end": last}


PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from",
        {"type": "string", "format": "date"},
        OpenApiParameter.QUERY,
        description="The period's first day; the first of January of this year by default.",
        examples=[OpenApiExample("Start of 2026", value="2026-01-01")],
    ),
    OpenApiParameter(
        "to",
        {"type": "string", "format": "date"},
        OpenApiParameter.QUERY,
        description="The period's last day (not before `from`); today by default.",
        examples=[OpenApiExample("End of June", value="2026-06-30")],
    ),
]


class TenantStatementView(APIView):
    permission_classes = [IsAuthenticated, IsPortalClient]
    content_negotiation_class = JSONOnlyNegotiation

    @_pdf_schema(
        "tenant",
        "The tenant's statement of account for a period, as PDF",
        "Charges and payments of the period with the running balance, the balance brought "
        "forward and the ageing of what is open; filed with the client's documents, one "
        "document per period.",
        "",
        parameters=PERIOD_PARAMETERS,
        bad_request=validation_errors(
            "`from` or `to` is not a date, or the period ends before it starts.",
            **{"Backwards": {"to": "The period ends before it starts."}},
        ),
    )
    def get(self, request):
        period = StatementPeriodSerializer(
            data={k: v for k, v in request.query_params.items() if k in ("from", "to") and v}
        )
        period.is_valid(raise_exception=True)
        return generated_pdf(
            request, request.portal_client, TemplateKind.STATEMENT, **period.validated_data
        )
