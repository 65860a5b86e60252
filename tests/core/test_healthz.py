"""``/healthz``: what the load balancer and the container orchestrator poll."""

import pytest
from django.db import OperationalError

from realestate.core import views

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


def test_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_cache_that_forgets_is_503(client, settings):
    # A cache that accepts writes and returns nothing, as a dead Redis behind a lenient
    # client would: the check must notice it did not get its value back.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("error: RuntimeError")


def test_cache_that_raises_is_503(client, monkeypatch):
    def broken_cache():
        raise ConnectionError("redis:6379 refused the connection")

    monkeypatch.setitem(views.CHECKS, "cache", broken_cache)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"] == {
        "database": "ok",
        "cache": "error: ConnectionError: redis:6379 refused the connection",
    }


def test_database_failure_is_503_and_other_checks_still_run(client, monkeypatch):
    def broken_database():
        raise OperationalError("could not connect to server")

    monkeypatch.setitem(views.CHECKS, "database", broken_database)

    response = client.get("/healthz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"].startswith("error: OperationalError")
    assert checks["cache"] == "ok"
