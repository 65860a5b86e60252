"""``/api/v1/``: where a client finds the endpoints, the schema and the docs."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/"
LISTED = {
    "token": "http://testserver/api/v1/auth/token/",
    "token_refresh": "http://testserver/api/v1/auth/token/refresh/",
    "logout": "http://testserver/api/v1/auth/logout/",
    "units": "http://testserver/api/v1/units/",
    "documents": "http://testserver/api/v1/documents/",
    "me": "http://testserver/api/v1/me/",
    "schema": "http://testserver/api/schema/",
    "docs": "http://testserver/api/docs/",
}


def test_root_lists_the_endpoints_with_absolute_urls_to_anybody():
    response = APIClient().get(ROOT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == LISTED


def test_the_listed_urls_answer(jwt_client, superuser):
    api = jwt_client(superuser)
    urls = APIClient().get(ROOT).json()

    assert api.get(urls["units"]).status_code == 200
    assert api.get(urls["documents"]).status_code == 200
    assert api.get(urls["schema"]).status_code == 200
    assert api.get(urls["docs"]).status_code == 200
    assert api.post(urls["token"], {}, format="json").status_code == 400  # a POST endpoint


def test_root_with_a_token_that_is_not_valid_is_401():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")

    response = api.get(ROOT)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_root_is_read_only():
    assert APIClient().post(ROOT).status_code == 405


def test_root_is_documented(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][ROOT]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/ApiRoot"}
    assert set(schema["components"]["schemas"]["ApiRoot"]["required"]) == set(LISTED)
    assert set(next(iter(body["examples"].values()))["value"]) == set(LISTED)
