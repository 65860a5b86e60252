"""Paying an invoice online: starting a card payment with Stripe (a local stand-in answers
for Stripe's API) and Stripe's signed webhook posting it once."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from realestate.documents.models import Document
from realestate.finance.choices import OnlineEventOutcome, ReceivableStatus
from realestate.finance.models import OnlinePaymentEvent, Payment
from tests.api import stripe_stand_in as standin
from tests.api.stripe_stand_in import deliver, succeeded_event
from tests.factories import ReceivableFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_off(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""


def pay(api, invoice, **headers):
    return api.post(f"/api/v1/tenant/invoices/{invoice.pk}/pay/", **headers)


# --- starting a payment ---------------------------------------------------------------------
def test_pay_starts_a_payment_intent_of_the_balance(jwt_client, first, stripe_on):
    invoice = first.invoices[0]  # 9000.00, 5000.00 paid

    response = pay(jwt_client(first.tenant.user), invoice)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["payment_intent"].startswith("pi_standin")
    assert body["client_secret"] == f"{body['payment_intent']}_secret_standin"
    assert body["publishable_key"] == standin.PUBLISHABLE_KEY
    assert (body["amount"], body["amount_minor"], body["currency"]) == ("4000.00", 400000, "AED")
    assert (body["invoice"], body["number"]) == (invoice.pk, invoice.number)
    [(_method, path, headers, fields)] = stripe_on.requests
    assert path == "/v1/payment_intents"
    assert headers["Authorization"] == f"Bearer {standin.SECRET_KEY}"
    assert fields["amount"] == "400000" and fields["currency"] == "aed"
    assert fields["metadata[receivable_id]"] == str(invoice.pk)
    assert fields["metadata[receivable_number]"] == invoice.number
    assert fields["payment_method_types[0]"] == "card"
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("5000.00")  # nothing posted until Stripe says so


def test_a_retry_with_the_same_key_gets_the_same_intent(jwt_client, first, stripe_on):
    api = jwt_client(first.tenant.user)

    one = pay(api, first.invoices[1], HTTP_IDEMPOTENCY_KEY="tap-1")
    two = pay(api, first.invoices[1], HTTP_IDEMPOTENCY_KEY="tap-1")
    other = pay(api, first.invoices[1], HTTP_IDEMPOTENCY_KEY="tap-2")

    assert (one.status_code, two.status_code, other.status_code) == (201, 201, 201)
    assert one.json() == two.json()
    assert two.headers["Idempotent-Replayed"] == "true"
    assert other.json()["payment_intent"] != one.json()["payment_intent"]
    keys = [headers["Idempotency-Key"] for _m, _p, headers, _f in stripe_on.requests]
    prefix = f"invoice-{first.invoices[1].pk}"
    assert keys == [f"{prefix}-tap-1", f"{prefix}-tap-2"]


def test_another_tenants_invoice_is_404(jwt_client, first, second, stripe_on):
    response = pay(jwt_client(first.tenant.user), second.invoices[0])

    assert response.status_code == 404
    assert stripe_on.requests == []


def test_staff_and_owners_without_the_invoice_are_refused(jwt_client, first, superuser, stripe_on):
    assert pay(jwt_client(superuser), first.invoices[0]).status_code == 403
    assert pay(jwt_client(first.owner.user), first.invoices[0]).status_code == 404
    assert stripe_on.requests == []


@pytest.mark.parametrize("status", [ReceivableStatus.PAID, ReceivableStatus.VOID])
def test_a_paid_or_void_invoice_has_nothing_to_pay(jwt_client, first, stripe_on, status):
    invoice = ReceivableFactory(client=first.tenant.client, amount=Decimal("700.00"), status=status)
    if status == ReceivableStatus.PAID:
        invoice.amount_paid = Decimal("700.00")
        invoice.save()

    response = pay(jwt_client(first.tenant.user), invoice)

    assert response.status_code == 409
    assert response.json()["code"] == "nothing_due"
    assert invoice.number in response.json()["detail"]
    assert stripe_on.requests == []


def test_stripe_refusing_is_a_clear_502(jwt_client, first, stripe_on):
    stripe_on.fail = True

    response = pay(jwt_client(first.tenant.user), first.invoices[0], HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 502
    assert response.json()["code"] == "provider_error"
    assert "cannot currently make live charges" in response.json()["detail"]
    stripe_on.fail = False  # the retry with the same key runs afresh
    assert (
        pay(jwt_client(first.tenant.user), first.invoices[0], HTTP_IDEMPOTENCY_KEY="k1").status_code
        == 201
    )


def test_without_keys_online_payment_is_switched_off(jwt_client, first, stripe_off):
    api = jwt_client(first.tenant.user)

    response = pay(api, first.invoices[0])
    invoices = api.get("/api/v1/tenant/invoices/").json()["results"]
    webhook = deliver(api, succeeded_event(first.invoices[0], minor=400000))

    assert response.status_code == 403
    assert response.json()["code"] == "online_payment_off"
    assert {invoice["pay_online"] for invoice in invoices} == {False}
    assert webhook.status_code == 403
    assert not Payment.objects.filter(idempotency_key__startswith="stripe:").exists()


def test_invoices_say_whether_they_may_be_paid_online(jwt_client, first, stripe_on):
    paid = ReceivableFactory(
        client=first.tenant.client, amount=Decimal("10.00"), amount_paid=Decimal("10.00")
    )
    paid.status = ReceivableStatus.PAID
    paid.save()

    invoices = jwt_client(first.tenant.user).get("/api/v1/tenant/invoices/").json()["results"]

    assert {i["number"]: i["pay_online"] for i in invoices} == {
        first.invoices[0].number: True,
        first.invoices[1].number: True,
        paid.number: False,
    }


# --- the webhook ----------------------------------------------------------------------------
def test_a_succeeded_payment_is_posted_to_its_invoice_with_its_receipt(
    client, first, stripe_on, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)
    invoice = first.invoices[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = deliver(client, succeeded_event(invoice, minor=400000, intent_id="pi_A"))

    assert response.status_code == 200, response.content
    payment = Payment.objects.get(idempotency_key="stripe:pi_A")
    assert response.json() == {
        "event": "evt_1",
        "outcome": "posted",
        "duplicate": False,
        "payment": payment.pk,
    }
    assert (payment.amount, payment.currency) == (Decimal("4000.00"), "AED")
    assert payment.method == "online"
    assert payment.client == first.tenant.client and payment.reference == "pi_A"
    assert [(a.receivable, a.amount) for a in payment.allocations.all()] == [
        (invoice, Decimal("4000.00"))
    ]
    invoice.refresh_from_db()
    assert invoice.status == ReceivableStatus.PAID and invoice.balance == 0
    receipt = Document.objects.get(
        content_type=ContentType.objects.get_for_model(Payment), object_id=payment.pk
    )
    assert receipt.kind == "receipt" and payment.number in receipt.title
    event = OnlinePaymentEvent.objects.get()
    assert (event.outcome, event.receivable, event.payment) == ("posted", invoice, payment)


def test_a_replayed_event_posts_once(client, first, stripe_on):
    event = succeeded_event(first.invoices[0], minor=400000)

    answers = [deliver(client, event).json() for _ in range(3)]

    assert [a["duplicate"] for a in answers] == [False, True, True]
    assert {a["payment"] for a in answers} == {answers[0]["payment"]}
    assert Payment.objects.filter(client=first.tenant.client, method="online").count() == 1
    assert OnlinePaymentEvent.objects.count() == 1


def test_another_event_of_the_same_payment_posts_nothing_new(client, first, stripe_on):
    one = deliver(client, succeeded_event(first.invoices[0], minor=400000, event_id="evt_a"))
    two = deliver(client, succeeded_event(first.invoices[0], minor=400000, event_id="evt_b"))

    assert one.json()["payment"] == two.json()["payment"]
    assert two.json()["outcome"] == "posted"
    assert Payment.objects.filter(method="online").count() == 1


@pytest.mark.parametrize(
    ("minor", "currency", "message"),
    [
        (390000, "aed", "Paid 3900.00 AED, but 4000.00 is due on invoice"),
        (400000, "usd", "Paid in USD, but invoice"),
    ],
)
def test_an_amount_or_currency_mismatch_is_refused_and_shown_to_staff(
    client, admin_client, first, stripe_on, minor, currency, message, caplog
):
    invoice = first.invoices[0]

    response = deliver(client, succeeded_event(invoice, minor=minor, currency=currency))

    assert response.status_code == 200
    assert response.json()["outcome"] == "refused" and response.json()["payment"] is None
    assert not Payment.objects.filter(method="online").exists()
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("5000.00")
    event = OnlinePaymentEvent.objects.get()
    assert event.outcome == OnlineEventOutcome.REFUSED and message in event.message
    assert any(message in record.getMessage() for record in caplog.records)
    page = admin_client.get("/admin/finance/onlinepaymentevent/?outcome=refused")
    assert page.status_code == 200 and message in page.content.decode()


def test_a_payment_for_a_paid_invoice_is_refused(client, first, stripe_on):
    invoice = first.invoices[0]
    deliver(client, succeeded_event(invoice, minor=400000, event_id="evt_1", intent_id="pi_1"))

    event = succeeded_event(invoice, minor=400000, event_id="evt_2", intent_id="pi_2")
    again = deliver(client, event)

    assert again.json()["outcome"] == "refused"
    assert "is paid" in OnlinePaymentEvent.objects.get(event_id="evt_2").message
    assert Payment.objects.filter(method="online").count() == 1


def test_a_bad_signature_is_400_and_records_nothing(client, first, stripe_on):
    event = succeeded_event(first.invoices[0], minor=400000)

    forged = deliver(client, event, secret="whsec_someone_else")
    unsigned = deliver(client, event, signature="")
    garbled = deliver(client, event, signature="t=abc,v1=nothing")

    for response in (forged, unsigned, garbled):
        assert response.status_code == 400
        assert response.json()["code"] == "bad_signature"
    assert not OnlinePaymentEvent.objects.exists()
    assert not Payment.objects.filter(method="online").exists()


def test_unknown_event_types_are_acknowledged_and_ignored(client, first, stripe_on):
    event = succeeded_event(first.invoices[0], minor=400000)
    event["type"] = "charge.refund.updated"

    response = deliver(client, event)

    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    assert not Payment.objects.filter(method="online").exists()


def test_the_webhook_is_not_throttled(client, first, stripe_on, settings):
    settings.API_RATE_ANON = "2/hour"
    event = succeeded_event(first.invoices[0], minor=1, event_id="evt_t")
    event["type"] = "payment_intent.created"

    codes = {deliver(client, event).status_code for _ in range(4)}

    assert codes == {200}
