import pytest

from tests.api import stripe_stand_in
from tests.api.portal import tenancy


@pytest.fixture
def first(roles):
    """tenant1 renting a unit of owner1, with invoices, a payment, a request, a statement."""
    return tenancy(1)


@pytest.fixture
def second(roles):
    """The same for tenant2 and owner2."""
    return tenancy(2)


@pytest.fixture
def stripe_server():
    """A local stand-in for Stripe's API (``tests/api/stripe_stand_in.py``)."""
    server = stripe_stand_in.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_on(settings, stripe_server):
    """Online payment switched on, with test keys, against the stand-in."""
    settings.STRIPE_SECRET_KEY = stripe_stand_in.SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = stripe_stand_in.PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = stripe_stand_in.WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_server.base
    return stripe_server
