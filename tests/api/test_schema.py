"""The OpenAPI schema and its Swagger UI, which must work on machines without internet."""

import json
import re

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

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

    assert {"status", "type", "min_price", "max_price", "bedrooms", "near", "radius_km",
            "in_bbox", "page"} <= parameters


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
