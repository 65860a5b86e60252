"""Paying online: ``POST /api/v1/tenant/invoices/{id}/pay/`` starts a card payment with
Stripe, and ``POST /api/v1/payments/webhooks/stripe/`` is where Stripe says it was paid
(``services.online_payments``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from realestate.clients.api.portal import (
    IsPortalClient,
    RefusalSerializer,
    not_found,
    portal_errors,
)
from realestate.core.api.errors import (
    ValidationErrorSerializer,
    error_body,
    validation_errors,
)
from realestate.core.api.idempotency import IDEMPOTENCY_PARAMETERS, KEY_REUSED, idempotent
from realestate.core.api.schema import RESPONSE_HEADERS, error_responses
from realestate.finance.choices import OnlineEventOutcome
from realestate.finance.models import Receivable
from realestate.finance.services import online_payments as online

#: In the shape of the API's other refusals to a caller (403: ``not_a_client``...).
OFF = {
    "code": "online_payment_off",
    "detail": "Online payment is switched off on this server: pay by another method.",
}


def _refusal(description: str, *examples: tuple[str, dict]) -> OpenApiResponse:
    return OpenApiResponse(
        ValidationErrorSerializer,
        description=description,
        examples=[OpenApiExample(name, value=value) for name, value in examples],
    )


OFF_DESCRIPTION = (
    "Online payment is switched off: the server has no Stripe keys (`online_payment_off`). "
    "An invoice's `pay_online` says beforehand whether it may be paid online."
)


class PaymentStartSerializer(serializers.Serializer):
    """What the app hands to Stripe's SDK to collect the card and confirm the payment."""

    provider = serializers.CharField(help_text="Always `stripe`.")
    payment_intent = serializers.CharField(help_text="Stripe's PaymentIntent id.")
    client_secret = serializers.CharField(help_text="The PaymentIntent's client secret.")
    publishable_key = serializers.CharField(help_text="Stripe's publishable key.")
    invoice = serializers.IntegerField(help_text="The invoice paid.")
    number = serializers.CharField(help_text="The invoice's number.")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="What is charged: the invoice's balance."
    )
    amount_minor = serializers.IntegerField(
        help_text="The same in the currency's smallest unit, as Stripe counts it."
    )
    currency = serializers.CharField(help_text="ISO 4217 code, upper case.")


@extend_schema(
    tags=["tenant"],
    summary="Pay one of the tenant's invoices by card (Stripe)",
    description=(
        "Starts a card payment of the invoice's balance with Stripe and answers what the "
        "app needs to complete it with Stripe's SDK. The payment is posted to the invoice, "
        "with its receipt, when Stripe confirms it (webhook); until then the invoice is "
        "unchanged. With the same `Idempotency-Key`, a retry gets the same payment intent."
    ),
    parameters=[*RESPONSE_HEADERS, *IDEMPOTENCY_PARAMETERS],
    request=None,
    examples=[
        OpenApiExample(
            "Started",
            response_only=True,
            status_codes=["201"],
            value={
                "provider": "stripe",
                "payment_intent": "pi_3PqK2LJ8bXQ9vY0a1B2c3D4e",
                "client_secret": "pi_3PqK2LJ8bXQ9vY0a1B2c3D4e_secret_Zx9Yw8Vu7T",
                "publishable_key": "pk_live_51H8exampleKey",
                "invoice": 311,
                "number": "INV-2026-00311",
                "amount": "4000.00",
                "amount_minor": 400000,
                "currency": "AED",
            },
        )
    ],
    responses={
        201: PaymentStartSerializer,
        **portal_errors(
            IsPortalClient,
            bad_request=validation_errors(
                "The `Idempotency-Key` header is malformed, or the balance cannot be charged "
                "in its currency.",
                **{"Bad key": {"Idempotency-Key": "1 to 255 printable ASCII characters."}},
            ),
            not_found=not_found("invoice"),
            body=True,
        ),
        409: _refusal(
            "The invoice is paid, void or settled (`nothing_due`), or the `Idempotency-Key` "
            "was used with another request (`idempotency_key_reused`).",
            ("Nothing due", error_body("nothing_due", "Invoice INV-2026-00311 is paid.")),
            *[(example.name, example.value) for example in KEY_REUSED.examples],
        ),
        502: _refusal(
            "Stripe refused the payment or could not be reached (`provider_error`): try "
            "again later.",
            ("Provider down", error_body("provider_error", "Stripe could not be reached.")),
        ),
        403: OpenApiResponse(
            RefusalSerializer,
            description=f"{portal_errors(IsPortalClient)[403].description} {OFF_DESCRIPTION}",
            examples=[
                *portal_errors(IsPortalClient)[403].examples,
                OpenApiExample("Switched off", value=OFF),
            ],
        ),
    },
)
class InvoicePayView(APIView):
    permission_classes = [IsAuthenticated, IsPortalClient]

    def post(self, request, pk):
        invoice = get_object_or_404(
            Receivable.objects.restrict(request.user, "view").filter(client=request.portal_client),
            pk=pk,
        )
        return idempotent(request, lambda: self._start(request, invoice))

    def _start(self, request, invoice):
        try:
            started = online.online_payment_start(
                receivable=invoice,
                by=request.user,
                idempotency_key=request.headers.get("Idempotency-Key"),
            )
        except online.OnlinePaymentOff:
            return Response(OFF, status=status.HTTP_403_FORBIDDEN)
        except online.NothingDue as refusal:
            return Response(
                error_body("nothing_due", refusal.messages[0]), status=status.HTTP_409_CONFLICT
            )
        except online.ProviderError as error:
            return Response(
                error_body("provider_error", f"Stripe refused or could not be reached: {error}"),
                status=status.HTTP_502_BAD_GATEWAY,
            )
        body = {
            "provider": online.PROVIDER,
            "payment_intent": started.payment_intent,
            "client_secret": started.client_secret,
            "publishable_key": started.publishable_key,
            "invoice": invoice.pk,
            "number": invoice.number,
            "amount": started.amount,
            "amount_minor": started.amount_minor,
            "currency": started.currency,
        }
        return Response(PaymentStartSerializer(body).data, status=status.HTTP_201_CREATED)


class StripeEventDataSerializer(serializers.Serializer):
    object = serializers.DictField(
        help_text="The object the event is about: for `payment_intent.succeeded`, the "
        "PaymentIntent (`id`, `amount_received`, `currency`, `metadata.receivable_id`)."
    )


class StripeEventSerializer(serializers.Serializer):
    """An event as Stripe sends it (the fields read here; Stripe sends more)."""

    id = serializers.CharField(max_length=255, help_text="The event's id (`evt_...`).")
    type = serializers.CharField(help_text="`payment_intent.succeeded` is acted on.")
    data = StripeEventDataSerializer()


class WebhookAnswerSerializer(serializers.Serializer):
    event = serializers.CharField(help_text="The event's id.")
    outcome = serializers.ChoiceField(
        choices=OnlineEventOutcome.choices,
        help_text="`posted`: the payment is posted; `refused`: amount or currency do not match "
        "the invoice (nothing posted, staff see it); `ignored`: an event type not acted on.",
    )
    duplicate = serializers.BooleanField(help_text="The event was received before.")
    payment = serializers.IntegerField(allow_null=True, help_text="The payment posted, or null.")


@extend_schema(
    tags=["payments"],
    summary="Stripe's webhook: a card payment succeeded",
    description=(
        "Called by Stripe, not by the app: authenticated by the `Stripe-Signature` header "
        "(the webhook secret), not by a token. Each event is acted on once, however many "
        "times it is delivered; `payment_intent.succeeded` posts the payment to the invoice "
        "its metadata names. Other event types are acknowledged and ignored."
    ),
    auth=[],
    parameters=[
        OpenApiParameter(
            "Stripe-Signature",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            required=True,
            description="`t=<timestamp>,v1=<HMAC-SHA256 of the body>`, as Stripe signs.",
        ),
        *RESPONSE_HEADERS,
    ],
    request={"application/json": StripeEventSerializer},
    examples=[
        OpenApiExample(
            "Payment succeeded",
            request_only=True,
            value={
                "id": "evt_3PqK2LJ8bXQ9vY0a1xYz",
                "object": "event",
                "type": "payment_intent.succeeded",
                "data": {
                    "object": {
                        "id": "pi_3PqK2LJ8bXQ9vY0a1B2c3D4e",
                        "object": "payment_intent",
                        "amount_received": 400000,
                        "currency": "aed",
                        "status": "succeeded",
                        "metadata": {"receivable_id": "311", "receivable_number": "INV-2026-00311"},
                    }
                },
            },
        ),
        OpenApiExample(
            "Posted",
            response_only=True,
            status_codes=["200"],
            value={
                "event": "evt_3PqK2LJ8bXQ9vY0a1xYz",
                "outcome": "posted",
                "duplicate": False,
                "payment": 812,
            },
        ),
    ],
    responses={
        200: WebhookAnswerSerializer,
        **error_responses(
            unauthenticated=None,
            bad_request=_refusal(
                "The signature is missing, malformed, stale or wrong, or the body is not an "
                "event (`bad_signature`).",
                (
                    "Bad signature",
                    error_body("bad_signature", "No signatures found matching the payload."),
                ),
            ),
        ),
        403: OpenApiResponse(
            RefusalSerializer,
            description=f"{OFF_DESCRIPTION} Also: a staff session cookie that still owes its "
            "two-factor code.",
            examples=[OpenApiExample("Switched off", value=OFF)],
        ),
    },
)
class StripeWebhookView(APIView):
    # Stripe signs its calls instead; its retries must never be throttled away.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def post(self, request):
        try:
            record = online.online_event_receive(
                payload=request.body, signature=request.headers.get("Stripe-Signature")
            )
        except online.OnlinePaymentOff:
            return Response(OFF, status=status.HTTP_403_FORBIDDEN)
        except online.BadSignature as error:
            return Response(
                error_body("bad_signature", str(error)), status=status.HTTP_400_BAD_REQUEST
            )
        return Response(
            WebhookAnswerSerializer(
                {
                    "event": record.event_id,
                    "outcome": record.outcome,
                    "duplicate": record.duplicate,
                    "payment": record.payment_id,
                }
            ).data
        )
