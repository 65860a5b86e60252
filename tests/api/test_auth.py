"""The mobile app logs in with a username and password and then sends a JWT."""

import pytest
from rest_framework.test import APIClient

from tests.factories import UnitFactory, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
UNITS_URL = "/api/v1/units/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff_user():
    return UserFactory(username="fieldagent", is_superuser=True)  # password "pass"


def test_token_pair_for_right_password(api, staff_user):
    response = api.post(TOKEN_URL, {"username": "fieldagent", "password": "pass"}, format="json")

    assert response.status_code == 200
    assert set(response.json()) >= {"access", "refresh"}
    assert response.json()["access"] and response.json()["refresh"]


def test_wrong_password_is_401(api, staff_user):
    response = api.post(TOKEN_URL, {"username": "fieldagent", "password": "nope"}, format="json")

    assert response.status_code == 401
    assert "access" not in response.json()


def test_unknown_user_is_401(api, db):
    response = api.post(TOKEN_URL, {"username": "ghost", "password": "pass"}, format="json")

    assert response.status_code == 401


def test_refresh_returns_a_new_working_access_token(api, staff_user):
    pair = api.post(TOKEN_URL, {"username": "fieldagent", "password": "pass"}, format="json").json()

    response = api.post(REFRESH_URL, {"refresh": pair["refresh"]}, format="json")

    assert response.status_code == 200
    access = response.json()["access"]
    assert access
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get(UNITS_URL).status_code == 200


def test_refresh_with_an_access_token_is_refused(api, staff_user):
    pair = api.post(TOKEN_URL, {"username": "fieldagent", "password": "pass"}, format="json").json()

    response = api.post(REFRESH_URL, {"refresh": pair["access"]}, format="json")

    assert response.status_code == 401


def test_units_without_token_is_401(api):
    UnitFactory()

    response = api.get(UNITS_URL)

    assert response.status_code == 401


def test_units_with_garbage_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")

    assert api.get(UNITS_URL).status_code == 401


def test_units_with_bearer_token_is_200(api, staff_user):
    UnitFactory(code="TOKEN-UNIT")
    access = api.post(
        TOKEN_URL, {"username": "fieldagent", "password": "pass"}, format="json"
    ).json()["access"]

    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = api.get(UNITS_URL)

    assert response.status_code == 200
    assert [unit["code"] for unit in response.json()["results"]] == ["TOKEN-UNIT"]


@pytest.mark.parametrize("field", ["username", "password", "otp"])
def test_a_field_that_is_not_text_is_400_naming_it(api, staff_user, field):
    body = {"username": "fieldagent", "password": "pass", field: 123456}

    response = api.post(TOKEN_URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": f"{field}: Must be a string.",
        "fields": {field: ["Must be a string."]},
    }


def test_a_body_that_is_not_json_is_400_with_a_detail(api):
    response = api.post(TOKEN_URL, "{bad", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert response.json()["detail"].startswith("JSON parse error")
    assert response.json()["fields"] == {}


def test_another_body_type_is_415(api):
    response = api.post(TOKEN_URL, "username=x", content_type="text/plain")

    assert response.status_code == 415
    assert "detail" in response.json()


@pytest.mark.parametrize("user_id", ["not-a-number", 10**12])
def test_a_signed_token_of_no_such_user_is_401(api, staff_user, user_id):
    """The user is read by a query written once (``core.access.user_by_id``): an id that is no
    user's, or not an id at all, is refused as any unknown user is."""
    from realestate.accounts.api.authentication import RefreshToken

    token = RefreshToken.for_user(staff_user).access_token
    token["user_id"] = user_id
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = api.get("/api/v1/units/")

    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"
