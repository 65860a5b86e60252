"""Card payments online, with Stripe: a tenant starts one for an invoice from the app, and
Stripe's webhook tells when the money came in; the payment is then posted like any other
(``payment_post``), allocated to that invoice, and its receipt is filed.

Switched on only when ``STRIPE_SECRET_KEY``, ``STRIPE_PUBLISHABLE_KEY`` and
``STRIPE_WEBHOOK_SECRET`` are all set (``online_payment_enabled``). Each webhook event is
handled once: its id is recorded (a unique index) in the transaction that posts the payment,
so a provider's retry, or two deliveries racing, post nothing twice; and the payment itself
takes the provider's payment id as its idempotency key. A payment whose amount or currency
is not what the invoice still owes is refused: nothing is posted, the event says why, and
staff see it under Money → Online payment events.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.core.providers import online_payment_enabled  # noqa: F401 - re-exported
from realestate.core.workflow import StepRefused
from realestate.finance.choices import UNSETTLED, OnlineEventOutcome, PaymentMethod
from realestate.finance.models import OnlinePaymentEvent, Payment, Receivable
from realestate.finance.services.payments import AllocationRequest, payment_post

logger = logging.getLogger(__name__)

PROVIDER = "stripe"
SUCCEEDED = "payment_intent.succeeded"
#: Currencies Stripe counts in whole units, and those it counts in thousandths
#: (https://docs.stripe.com/currencies#zero-decimal); every other one in hundredths.
ZERO_DECIMAL = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND",
    "VUV", "XAF", "XOF", "XPF",
}  # fmt: skip
THREE_DECIMAL = {"BHD", "JOD", "KWD", "OMR", "TND"}


class OnlinePaymentOff(Exception):
    """Online payment is switched off: the keys are not configured."""


class ProviderError(Exception):
    """The provider refused the request or could not be reached."""


class BadSignature(Exception):
    """A webhook call that is not the provider's (no or a wrong ``Stripe-Signature``)."""


class NothingDue(ValidationError):
    """The invoice is paid, void or settled: nothing to pay online."""


@dataclass(frozen=True)
class OnlinePaymentStart:
    """What the app needs to complete a card payment with Stripe's SDK."""

    payment_intent: str
    client_secret: str
    amount: Decimal
    amount_minor: int
    currency: str
    publishable_key: str
    invoice: Receivable


def online_payable(receivable: Receivable) -> bool:
    """Whether the app may offer to pay ``receivable`` by card now."""
    return payable_online(receivable.status, receivable.balance)


def payable_online(status: str, balance: Decimal) -> bool:
    """Whether a receivable of this status and balance may be paid by card now."""
    return online_payment_enabled() and status in UNSETTLED and balance > 0


def _exponent(currency: str) -> int:
    currency = currency.upper()
    return 0 if currency in ZERO_DECIMAL else 3 if currency in THREE_DECIMAL else 2


def minor_units(amount: Decimal, currency: str) -> int:
    """``Decimal("4000.50"), "AED"`` → ``400050``, as Stripe counts amounts."""
    scaled = amount.scaleb(_exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValidationError(
            _("%(amount)s %(currency)s cannot be charged by card: %(currency)s has no cents.")
            % {"amount": amount, "currency": currency}
        )
    return int(scaled)


def from_minor_units(value: int, currency: str) -> Decimal:
    return (Decimal(value).scaleb(-_exponent(currency))).quantize(Decimal("0.01"))


def _stripe() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base} if base else None,
        max_network_retries=1,
    )


def online_payment_start(
    *, receivable: Receivable, by, idempotency_key: str | None = None
) -> OnlinePaymentStart:
    """Start a card payment of what is still due on ``receivable`` (a Stripe PaymentIntent);
    the webhook posts it once the card is charged. Only the invoice's own client (``by`` is
    their app login) pays it; a paid, void or settled invoice has nothing to pay. With an
    ``idempotency_key`` (the app's ``Idempotency-Key``), Stripe answers a retry with the
    intent it made the first time."""
    if not online_payment_enabled():
        raise OnlinePaymentOff
    receivable = Receivable.objects.select_related("client").get(pk=receivable.pk)
    if by is not None and receivable.client.portal_user_id != by.pk:
        raise StepRefused(_("No such invoice, or not one you may see."), out_of_scope=True)
    balance = receivable.balance
    if receivable.status not in UNSETTLED or balance <= 0:
        raise NothingDue(
            _("Invoice %(number)s is %(status)s: nothing to pay.")
            % {"number": receivable.number, "status": receivable.get_status_display().lower()}
        )
    currency = receivable.currency.upper()
    amount_minor = minor_units(balance, currency)
    params = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "payment_method_types": ["card"],
        "description": f"Invoice {receivable.number}",
        "metadata": {
            "receivable_id": str(receivable.pk),
            "receivable_number": receivable.number,
            "client_id": str(receivable.client_id),
        },
    }
    options = {}
    if idempotency_key:
        options["idempotency_key"] = f"invoice-{receivable.pk}-{idempotency_key}"[:255]
    try:
        intent = _stripe().v1.payment_intents.create(params=params, options=options)
    except stripe.StripeError as error:
        logger.warning("Stripe refused a payment of invoice %s: %s", receivable.number, error)
        raise ProviderError(str(getattr(error, "user_message", "") or error)) from error
    return OnlinePaymentStart(
        payment_intent=intent.id,
        client_secret=intent.client_secret,
        amount=balance,
        amount_minor=amount_minor,
        currency=currency,
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        invoice=receivable,
    )


def online_event_receive(*, payload: bytes, signature: str | None) -> OnlinePaymentEvent:
    """Handle one webhook call of Stripe's: verify its signature (``BadSignature``), then act
    on the event once (see the module's docstring). Returns the event's record: the one made
    now, or the one a former delivery of the same event made (``duplicate`` is True then)."""
    if not signature:
        raise BadSignature(_("No Stripe-Signature header: not a call of Stripe's."))
    if not online_payment_enabled():
        raise OnlinePaymentOff
    try:
        stripe.Webhook.construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, api_key=settings.STRIPE_SECRET_KEY
        )
    except (stripe.SignatureVerificationError, ValueError, TypeError, KeyError) as error:
        raise BadSignature(str(error)) from error
    data = json.loads(payload)  # the plain payload, as signed
    if not isinstance(data, dict) or not data.get("id"):
        raise BadSignature(_("Signed, but not an event: it has no id."))
    identity = {"provider": PROVIDER, "event_id": str(data["id"])[:255]}
    try:
        with transaction.atomic():
            # The unique index is the lock: a second delivery of this event waits here until
            # the first commits, then finds it.
            record = OnlinePaymentEvent.objects.create(
                **identity,
                event_type=str(data.get("type", ""))[:100],
                outcome=OnlineEventOutcome.IGNORED,
            )
            body = data.get("data")
            intent = body.get("object") if isinstance(body, dict) else None
            if record.event_type == SUCCEEDED and isinstance(intent, dict):
                _succeeded(record, intent)
            record.save()
    except IntegrityError:
        record = OnlinePaymentEvent.objects.filter(**identity).first()
        if record is None:  # the first delivery failed and left nothing: fail, to be retried
            raise
        record.duplicate = True
        return record
    record.duplicate = False
    if record.payment_id and record.outcome == OnlineEventOutcome.POSTED:
        _queue_receipt(record.payment_id)
    return record


def _succeeded(record: OnlinePaymentEvent, intent: dict) -> None:
    """A PaymentIntent succeeded: post its payment to the invoice its metadata names."""
    intent_id, currency = intent.get("id"), intent.get("currency")
    minor = intent.get("amount_received", intent.get("amount"))
    if not (
        isinstance(intent_id, str)
        and intent_id
        and isinstance(currency, str)
        and len(currency) == 3
        and type(minor) is int
        and 0 < minor < 10**12
    ):
        logger.warning("Stripe event %s: not a payment intent as Stripe sends", record.event_id)
        record.outcome = OnlineEventOutcome.REFUSED
        record.message = _("Not a payment intent as Stripe sends them (id, currency, amount).")
        return
    currency = currency.upper()
    record.payment_intent = intent_id[:255]
    record.currency = currency
    record.amount = from_minor_units(minor, currency)
    metadata = intent.get("metadata")
    receivable_id = str(metadata.get("receivable_id", "")) if isinstance(metadata, dict) else ""
    receivable = (
        Receivable.objects.select_for_update().filter(pk=int(receivable_id)).first()
        if re.fullmatch(r"[0-9]{1,18}", receivable_id)
        else None
    )
    record.receivable = receivable
    key = f"{PROVIDER}:{intent_id}"
    already = Payment.objects.filter(idempotency_key=key).first()
    if already is not None:  # another event of the same payment posted it
        record.payment, record.outcome = already, OnlineEventOutcome.POSTED
        record.message = _("Posted already as payment %(number)s.") % {"number": already.number}
        return
    problem = _mismatch(receivable, record.amount, currency)
    if problem:
        logger.warning("Stripe payment %s refused: %s", intent_id, problem)
        record.outcome, record.message = OnlineEventOutcome.REFUSED, problem[:500]
        return
    record.payment = payment_post(
        client=receivable.client,
        amount=record.amount,
        method=PaymentMethod.ONLINE,
        received_on=timezone.localdate(),
        idempotency_key=key,
        allocations=[AllocationRequest(receivable=receivable, amount=record.amount)],
        reference=intent_id[:80],
        currency=receivable.currency,
        note=_("Card payment online (Stripe)"),
    )
    record.outcome = OnlineEventOutcome.POSTED
    record.message = _("Payment %(number)s posted to invoice %(invoice)s.") % {
        "number": record.payment.number,
        "invoice": receivable.number,
    }


def _mismatch(receivable: Receivable | None, amount: Decimal | None, currency: str) -> str:
    """Why the money cannot be posted to ``receivable`` as is; empty when it can."""
    if receivable is None:
        return _("The payment names no invoice of ours (metadata receivable_id).")
    if currency != receivable.currency.upper():
        return _("Paid in %(paid)s, but invoice %(number)s is in %(currency)s.") % {
            "paid": currency or "?",
            "number": receivable.number,
            "currency": receivable.currency,
        }
    if receivable.status not in UNSETTLED:
        return _("Invoice %(number)s is %(status)s: %(amount)s %(currency)s not posted.") % {
            "number": receivable.number,
            "status": receivable.get_status_display().lower(),
            "amount": amount,
            "currency": currency,
        }
    if amount != receivable.balance:
        return _("Paid %(amount)s %(currency)s, but %(balance)s is due on invoice %(number)s.") % {
            "amount": amount,
            "currency": currency,
            "balance": receivable.balance,
            "number": receivable.number,
        }
    return ""


def _queue_receipt(payment_id: int) -> None:
    """File the payment's receipt in a job, once the payment is committed (rendering a PDF
    is too slow for the provider's webhook timeout)."""
    from django_q.tasks import async_task

    transaction.on_commit(
        lambda: async_task(
            "realestate.finance.tasks.payment_receipt_file",
            payment_id,
            task_name=f"receipt-{payment_id}",
        )
    )
