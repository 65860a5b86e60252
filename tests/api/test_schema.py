"""The OpenAPI schema and its Swagger UI, which must work on machines without internet."""

import json
import re

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.factories import SuperUserFactory, UnitFactory

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    return json.loads(response.content)


def test_schema_is_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Real-estate back office API"


def test_schema_lists_the_v1_endpoints(schema):
    assert "/api/v1/units/" in schema["paths"]
    assert "/api/v1/units/{id}/" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/auth/token/"]
    assert "post" in schema["paths"]["/api/v1/auth/token/refresh/"]


def test_schema_documents_the_unit_filters(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]}

    assert {
        "status",
        "type",
        "min_price",
        "max_price",
        "bedrooms",
        "near",
        "radius_km",
        "in_bbox",
        "page",
    } <= parameters


def test_schema_declares_bearer_jwt(schema):
    schemes = schema["components"]["securitySchemes"].values()

    assert any(s.get("type") == "http" and s.get("scheme") == "bearer" for s in schemes)


def test_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns any drf-spectacular warning (an unresolvable serializer field, a
    # filter it cannot type) into an error, so the mobile app's generated client stays exact.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")

    assert "/api/v1/units/" in yaml.safe_load((tmp_path / "s.yaml").read_text())["paths"]


def test_schema_default_format_is_yaml(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert "/api/v1/units/" in document["paths"]


def test_docs_page_is_html(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'id="swagger-ui"' in response.content.decode()


def test_docs_page_uses_only_local_assets(client):
    html = client.get("/api/docs/").content.decode()
    assets = ASSET.findall(html)

    scripts = [url for url in assets if url.endswith(".js")]
    assert scripts, "the Swagger UI page should load its bundle"
    remote = [url for url in assets if re.match(r"(https?:)?//", url)]
    assert remote == []
    assert not re.search(r"<script[^>]+src=[\"'](https?:)?//", html, re.I)
    for url in assets:
        assert url.startswith(settings.STATIC_URL), url
        # ...and each one is a file the static files app can actually serve.
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url


def test_docs_page_points_at_the_local_schema(client):
    html = client.get("/api/docs/").content.decode()

    assert '"/api/schema/"' in html


OPERATIONS = [
    ("/api/v1/", "get"),
    ("/api/v1/auth/token/", "post"),
    ("/api/v1/auth/token/refresh/", "post"),
    ("/api/v1/auth/logout/", "post"),
    ("/api/v1/units/", "get"),
    ("/api/v1/units/{id}/", "get"),
    ("/api/v1/documents/", "get"),
    ("/api/v1/documents/{id}/", "get"),
    ("/api/v1/documents/{id}/download/", "get"),
    ("/api/v1/me/", "get"),
    ("/api/v1/me/", "patch"),
    ("/api/v1/tenant/leases/", "get"),
    ("/api/v1/tenant/leases/{id}/", "get"),
    ("/api/v1/tenant/leases/{lease_id}/documents/", "get"),
    ("/api/v1/tenant/invoices/", "get"),
    ("/api/v1/tenant/invoices/{id}/", "get"),
    ("/api/v1/tenant/invoices/{id}/pdf/", "get"),
    ("/api/v1/tenant/invoices/{id}/pay/", "post"),
    ("/api/v1/payments/webhooks/stripe/", "post"),
    ("/api/v1/tenant/balance/", "get"),
    ("/api/v1/tenant/payments/", "get"),
    ("/api/v1/tenant/payments/{id}/", "get"),
    ("/api/v1/tenant/payments/{id}/receipt/", "get"),
    ("/api/v1/tenant/statement/", "get"),
    ("/api/v1/tenant/maintenance/", "get"),
    ("/api/v1/tenant/maintenance/", "post"),
    ("/api/v1/tenant/maintenance/{id}/", "get"),
    ("/api/v1/tenant/maintenance/{id}/comments/", "post"),
    ("/api/v1/owner/units/", "get"),
    ("/api/v1/owner/units/{id}/", "get"),
    ("/api/v1/owner/statements/", "get"),
    ("/api/v1/owner/statements/{id}/", "get"),
    ("/api/v1/owner/statements/{id}/pdf/", "get"),
    ("/api/v1/owner/maintenance/", "get"),
    ("/api/v1/owner/maintenance/{id}/", "get"),
    ("/api/v1/agent/clients/", "get"),
    ("/api/v1/agent/clients/", "post"),
    ("/api/v1/agent/clients/{id}/", "get"),
    ("/api/v1/agent/clients/{id}/", "patch"),
    ("/api/v1/agent/leads/", "get"),
    ("/api/v1/agent/leads/", "post"),
    ("/api/v1/agent/leads/{id}/", "get"),
    ("/api/v1/agent/leads/{id}/", "patch"),
    ("/api/v1/agent/leads/{id}/move/", "post"),
    ("/api/v1/agent/viewings/", "get"),
    ("/api/v1/agent/viewings/", "post"),
    ("/api/v1/agent/viewings/{id}/", "get"),
    ("/api/v1/agent/viewings/{id}/reschedule/", "post"),
    ("/api/v1/agent/viewings/{id}/cancel/", "post"),
    ("/api/v1/agent/viewings/{id}/check-in/", "post"),
    ("/api/v1/agent/viewings/{id}/done/", "post"),
    ("/api/v1/agent/reservations/", "get"),
    ("/api/v1/agent/reservations/", "post"),
    ("/api/v1/agent/reservations/{id}/", "get"),
    ("/api/v1/devices/", "get"),
    ("/api/v1/devices/", "post"),
    ("/api/v1/devices/{id}/", "delete"),
    ("/api/v1/notifications/", "get"),
    ("/api/v1/notifications/{id}/read/", "post"),
    ("/api/v1/notifications/read-all/", "post"),
    ("/api/v1/notifications/unread-count/", "get"),
    ("/api/v1/notifications/preferences/", "get"),
    ("/api/v1/notifications/preferences/", "patch"),
]
#: Answers with the file's own type whatever ``Accept`` asks (errors in JSON): never 406.
FILE_OPERATIONS = {
    ("/api/v1/documents/{id}/download/", "get"),
    ("/api/v1/tenant/invoices/{id}/pdf/", "get"),
    ("/api/v1/tenant/payments/{id}/receipt/", "get"),
    ("/api/v1/tenant/statement/", "get"),
    ("/api/v1/owner/statements/{id}/pdf/", "get"),
}
#: Called by a provider, authenticated by its signature of the raw body (any media type).
SIGNED_OPERATIONS = {("/api/v1/payments/webhooks/stripe/", "post")}


def test_schema_lists_every_operation_and_the_root(schema):
    assert {(path, method) for path, item in schema["paths"].items() for method in item} == set(
        OPERATIONS
    )


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_operation_documents_the_errors_it_can_give(schema, path, method):
    responses = schema["paths"][path][method]["responses"]

    # Every /api/ path: a staff session owing its 2FA code, an Accept other than JSON, rates.
    codes = (
        ("401", "403", "429") if (path, method) in FILE_OPERATIONS else ("401", "403", "406", "429")
    )
    if (path, method) in SIGNED_OPERATIONS:
        codes = ("400", "403", "406", "429")
        assert "401" not in responses and "415" not in responses
    assert set(codes) <= set(responses)
    assert responses["429"]["headers"]["Retry-After"]["required"] is True
    if "401" in codes:
        assert responses["401"]["headers"]["WWW-Authenticate"]["required"] is True
    if (path, method) in FILE_OPERATIONS:
        assert "406" not in responses
        assert "application/pdf" in responses["200"]["content"]
    for code in codes:
        body = responses[code]["content"]["application/json"]["schema"]
        assert "detail" in component(schema, body)["required"]
    if method in ("post", "patch") and (path, method) not in SIGNED_OPERATIONS:
        assert {"400", "415"} <= set(responses)


def test_every_400_has_the_one_error_shape(schema):
    """Refused requests answer ``{"code", "detail", "fields"}`` on every endpoint, and the
    schema says so: a new endpoint documenting DRF's bare ``{field: [...]}`` fails here."""
    shapes = {
        (path, method): component(
            schema, operation["responses"]["400"]["content"]["application/json"]["schema"]
        )
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "400" in operation["responses"]
    }

    assert len(shapes) > 20
    assert [
        operation
        for operation, body in shapes.items()
        if not {"code", "detail", "fields"} <= set(body["required"])
        or body["properties"]["fields"].get("type", "object") != "object"
    ] == []


def component(schema, ref):
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def test_security_per_operation(schema):
    def security(path, method):
        return schema["paths"][path][method].get("security", [])

    assert security("/api/v1/auth/token/", "post") == []
    assert security("/api/v1/auth/token/refresh/", "post") == []
    assert security("/api/v1/auth/logout/", "post") == [{"jwtAuth": []}]
    assert {"jwtAuth": []} in security("/api/v1/units/", "get")
    assert {} in security("/api/v1/", "get")  # open to anybody
    assert security("/api/v1/payments/webhooks/stripe/", "post") == []  # Stripe's signature


def test_every_unit_field_is_required_and_those_that_can_be_null_say_so(schema, jwt_client):
    unit = schema["components"]["schemas"]["Unit"]
    lone = UnitFactory(project=None, floor=None, list_price=None, location=None, agent=None)

    body = jwt_client(SuperUserFactory()).get(f"/api/v1/units/{lone.pk}/").json()

    assert set(unit["required"]) == set(body) == set(unit["properties"])
    nulls = {name for name, value in body.items() if value is None}
    assert nulls == {
        "project", "building", "floor", "list_price", "monthly_rent", "latitude", "longitude",
        "agent", "distance_km",
    }  # fmt: skip
    assert {name for name, field in unit["properties"].items() if field.get("nullable")} == nulls


def unit_list_parameters(schema):
    return {p["name"]: p for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]}


def test_unit_filters_state_their_formats(schema):
    parameters = unit_list_parameters(schema)

    def matches(name, value):
        return re.search(parameters[name]["schema"]["pattern"], value) is not None

    assert matches("near", "55.2708,25.2048") and matches("near", "-180,90")
    assert (
        not matches("near", "180.5,0")
        and not matches("near", "0,91")
        and not matches("near", "nan,1")
    )
    assert matches("in_bbox", "55.1,25.0,55.4,25.3")
    assert not matches("in_bbox", "55.1,25.0,55.4") and not matches("in_bbox", "1e308,1,2,3")
    assert matches("project", "marina-heights") and not matches("project", "no code")
    assert parameters["radius_km"]["schema"] == {
        "type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 500, "default": 5,
    }  # fmt: skip
    assert parameters["min_price"]["schema"]["type"] == "number"
    assert parameters["bedrooms"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 32767}
    assert parameters["status"]["schema"]["type"] == "array"
    assert {"type": "integer", "minimum": 1, "maximum": 1_000_000} in parameters["page"]["schema"][
        "anyOf"
    ]


def test_the_parameters_said_to_take_an_empty_value_do(schema, jwt_client, superuser):
    empties = {name for name, p in unit_list_parameters(schema).items() if p.get("allowEmptyValue")}
    UnitFactory(code="ONLY")

    response = jwt_client(superuser).get("/api/v1/units/", dict.fromkeys(empties, ""))

    assert empties == set(unit_list_parameters(schema)) - {"status", "type"}
    assert [unit["code"] for unit in response.json()["results"]] == ["ONLY"]
