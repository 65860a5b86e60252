import pytest

from tests.api.portal import tenancy


@pytest.fixture
def first(roles):
    """tenant1 renting a unit of owner1, with invoices, a payment, a request, a statement."""
    return tenancy(1)


@pytest.fixture
def second(roles):
    """The same for tenant2 and owner2."""
    return tenancy(2)
