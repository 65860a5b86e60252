"""Stripe delivering one event twice at the same moment (PostgreSQL, real threads): the
payment is posted once."""

import pytest
from django.test import Client

from realestate.finance.models import OnlinePaymentEvent, Payment
from tests.api import stripe_stand_in as standin
from tests.api.portal import tenancy
from tests.api.stripe_stand_in import deliver, succeeded_event
from tests.races import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


@pytest.fixture
def stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = standin.SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = standin.PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = standin.WEBHOOK_SECRET


def test_concurrent_deliveries_of_one_event_post_once(roles, stripe_keys):
    first = tenancy(1)
    for n, invoice in enumerate(first.invoices[:2] * 2):
        invoice.refresh_from_db()
        minor = int(invoice.balance * 100)
        event = succeeded_event(invoice, minor=minor, event_id=f"evt_{n}", intent_id=f"pi_{n}")

        outcomes = race(*(lambda event=event: deliver(Client(), event).json() for _ in range(3)))

        assert sorted(o["duplicate"] for o in outcomes) == [False, True, True], outcomes
        assert len({o["payment"] for o in outcomes}) == 1, outcomes
    online = Payment.objects.filter(method="online")
    # Each invoice paid once; the second round's events found them paid and were refused.
    assert online.count() == 2
    assert OnlinePaymentEvent.objects.filter(outcome="posted").count() == 2
    assert OnlinePaymentEvent.objects.filter(outcome="refused").count() == 2


def test_two_events_of_one_payment_racing_post_once(roles, stripe_keys):
    first = tenancy(1)
    invoice = first.invoices[1]
    events = [
        succeeded_event(invoice, minor=900000, event_id=f"evt_{n}", intent_id="pi_same")
        for n in range(ROUNDS)
    ]

    outcomes = race(*(lambda event=event: deliver(Client(), event).json() for event in events))

    assert {o["outcome"] for o in outcomes} == {"posted"}, outcomes
    assert len({o["payment"] for o in outcomes}) == 1
    assert Payment.objects.filter(idempotency_key="stripe:pi_same").count() == 1
