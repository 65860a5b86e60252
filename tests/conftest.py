"""Shared fixtures. Tests run on the database named by DATABASE_URL (SpatiaLite by default,
PostGIS in CI's second pass)."""

import pytest
from django.db import connection

from realestate.accounts.roles import SALES_AGENT, roles_sync
from tests.factories import AgentFactory, SuperUserFactory, UnitFactory, UserFactory
from tests.redis_support import throwaway_redis


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in CI's PostGIS pass)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing a password the production way takes a third of a second, and tests make
    thousands of users: in-process tests hash with a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def access_forgotten():
    """What ``core.access`` remembers of users, the API's checked tokens and the statements
    compiled once (``core.statements``) live in the process: each test starts without them,
    as a new web process does."""
    from realestate.accounts.api import authentication
    from realestate.core.access import forget_all
    from realestate.core.statements import forget_shared

    forget_all()
    forget_shared()
    authentication._validated.clear()
    yield
    forget_all()
    forget_shared()
    authentication._validated.clear()


@pytest.fixture
def roles(db):
    roles_sync()


@pytest.fixture
def superuser(db):
    return SuperUserFactory(username="root")


@pytest.fixture
def su(superuser):
    """The superuser, for the admin walkthroughs."""
    return superuser


@pytest.fixture
def c(admin_client):
    """A client logged in as the superuser, for the admin walkthroughs."""
    return admin_client


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def make_agent(roles):
    """A sales agent (staff user in the Sales Agent role, with an agent profile)."""

    def make(username):
        user = UserFactory(username=username, roles=[SALES_AGENT])
        AgentFactory(user=user)
        return user

    return make


@pytest.fixture
def agent1(make_agent):
    return make_agent("agent1")


@pytest.fixture
def agent2(make_agent):
    return make_agent("agent2")


@pytest.fixture
def two_agents_with_units(agent1, agent2):
    """agent1 and agent2, each assigned one unit: the grants follow the assignment."""
    unit1 = UnitFactory(code="A1-UNIT", agent=agent1)
    unit2 = UnitFactory(code="A2-UNIT", agent=agent2)
    return unit1, unit2


@pytest.fixture
def jwt_client():
    """``jwt_client(user)``: a DRF client that sends ``Authorization: Bearer <access>``."""
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import RefreshToken

    def make(user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
        return client

    return make


@pytest.fixture
def redis_url():
    """A throwaway redis-server on a free port (the test is skipped without the binary)."""
    with throwaway_redis() as port:
        yield f"redis://127.0.0.1:{port}/0"
