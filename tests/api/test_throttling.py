"""API rate limits: per user, per address without a token, tighter on the token endpoint."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
UNITS = "/api/v1/units/"
SCHEMA = "/api/schema/"


@pytest.fixture(autouse=True)
def rates(settings):
    settings.API_RATE_USER = "5/hour"
    settings.API_RATE_ANON = "3/minute"
    settings.API_RATE_TOKEN = "4/minute"
    settings.LOGIN_MAX_FAILURES = 100
    settings.LOGIN_MAX_FAILURES_PER_IP = 100


def test_signed_in_user_is_limited_per_user(jwt_client):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    api = jwt_client(alice)

    assert [api.get(UNITS).status_code for _ in range(5)] == [200] * 5
    refused = api.get(UNITS)
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600
    assert "throttled" in refused.json()["detail"]
    # Another user from the same address has a count of their own.
    assert jwt_client(bob).get(UNITS).status_code == 200


def test_calls_without_a_token_are_limited_per_address(client):
    assert [client.get(SCHEMA, REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)] == [200] * 3
    refused = client.get(SCHEMA, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client.get(SCHEMA, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_token_endpoint_has_a_tighter_limit_per_address(settings):
    settings.API_RATE_ANON = "100/minute"
    UserFactory(username="fieldagent")
    api = APIClient()

    def token(ip, password="wrong"):
        return api.post(
            TOKEN, {"username": "fieldagent", "password": password}, format="json", REMOTE_ADDR=ip
        )

    assert [token("10.1.1.1").status_code for _ in range(4)] == [401] * 4
    refused = token("10.1.1.1", password="pass")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert token("10.1.1.2", password="pass").status_code == 200


def test_the_address_comes_from_the_proxy_header_when_configured(client, settings):
    settings.LOGIN_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _ in range(3):
        client.get(SCHEMA, HTTP_X_REAL_IP="192.0.2.1")

    assert client.get(SCHEMA, HTTP_X_REAL_IP="192.0.2.1").status_code == 429
    assert client.get(SCHEMA, HTTP_X_REAL_IP="192.0.2.2").status_code == 200


def test_an_empty_rate_switches_the_limit_off(client, settings):
    settings.API_RATE_ANON = ""

    assert {client.get(SCHEMA).status_code for _ in range(6)} == {200}


def test_a_malformed_rate_says_what_is_expected(client, settings):
    settings.API_RATE_ANON = "lots"

    with pytest.raises(ImproperlyConfigured, match="API_RATE_ANON='lots'.*1200/hour"):
        client.get(SCHEMA)
