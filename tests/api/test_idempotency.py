"""``Idempotency-Key``: a retry returns the first answer and creates nothing twice."""

import pytest

from realestate.core.models import IdempotentRequest
from realestate.leasing.models import MaintenanceRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/tenant/maintenance/"


@pytest.fixture
def api(jwt_client, first):
    api = jwt_client(first.tenant.user)
    api.unit = first.unit.pk
    return api


def report(api, key, description="Leak under the sink"):
    return api.post(
        URL,
        {"unit": api.unit, "category": "plumbing", "description": description},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_a_retry_returns_the_first_answer_and_creates_nothing(api, first):
    answer = report(api, "k-1")
    retry = report(api, "k-1")

    assert answer.status_code == retry.status_code == 201
    assert retry.json() == answer.json()
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in answer
    assert MaintenanceRequest.objects.filter(reported_by_client=first.tenant.client).count() == 2


def test_another_key_creates_another(api, first):
    report(api, "k-1")
    report(api, "k-2")

    assert MaintenanceRequest.objects.filter(reported_by_client=first.tenant.client).count() == 3


def test_the_same_key_with_another_body_is_a_conflict(api):
    report(api, "k-1")
    response = report(api, "k-1", description="Something else")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"


def test_a_refused_request_leaves_no_key_behind(api, first):
    first.lease.status = "ended"
    first.lease.save()

    assert report(api, "k-1").status_code == 400
    assert not IdempotentRequest.objects.exists()


def test_keys_are_per_user(jwt_client, api, first, second):
    report(api, "k-1")
    other = jwt_client(second.tenant.user).post(
        URL,
        {"unit": second.unit.pk, "category": "plumbing", "description": "Leak"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )

    assert other.status_code == 201 and "Idempotent-Replayed" not in other


def test_a_malformed_key_is_named(api):
    response = report(api, "has spaces in it")

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]


def test_comments_are_idempotent_too(api, first):
    url = f"{URL}{first.request.pk}/comments/"
    for _ in range(2):
        api.post(url, {"body": "Any news?"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")

    assert first.request.comments.count() == 1
