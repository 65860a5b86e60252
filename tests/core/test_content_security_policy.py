"""Every page carries the Content-Security-Policy; its sources follow the settings (map tiles,
S3 photos, extra sources from the environment). The browser test
(tests/browser/test_content_security_policy.py) shows the admin runs under it."""

import environ
import pytest

from config.csp import content_security_policy, origin, storage_origins


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/", "/healthz"])
def test_pages_carry_the_policy(client, path):
    policy = directives(client.get(path)["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]


def test_admin_scripts_get_a_nonce_per_request(admin_client):
    from tests.factories import UnitFactory

    unit = UnitFactory()
    url = f"/admin/properties/unit/{unit.pk}/change/"
    nonces = set()
    for _ in range(2):
        response = admin_client.get(url)
        nonce = next(
            source
            for source in directives(response["Content-Security-Policy"])["script-src"]
            if source.startswith("'nonce-")
        )
        assert f'nonce="{nonce[7:-1]}"'.encode() in response.content  # the map's scripts
        nonces.add(nonce)
    assert len(nonces) == 2


@pytest.mark.django_db
def test_api_docs_start_up_script_carries_the_nonce(client):
    response = client.get("/api/docs/")
    script_src = directives(response["Content-Security-Policy"])["script-src"]
    nonce = next(source for source in script_src if source.startswith("'nonce-"))[7:-1]
    assert f'<script nonce="{nonce}">'.encode() in response.content


@pytest.mark.parametrize(
    "template,expected",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.com/v1/{z}/{x}/{y}.png?key=1", "https://*.tiles.example.com"),
        ("", None),
        ("tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_host(template, expected):
    assert origin(template) == expected


def test_sources_follow_tiles_storage_and_environment(monkeypatch):
    monkeypatch.setenv("CSP_IMG_SRC", "https://cdn.example.com,https://img.example.com")
    monkeypatch.setenv("CSP_CONNECT_SRC", "https://sentry.example.com")
    monkeypatch.setenv("CSP_REPORT_URI", "https://csp.example.com/report")
    policy = content_security_policy(
        environ.Env(),
        map_tiles_url="https://{s}.tile.example.org/{z}/{x}/{y}.png",
        storage=storage_origins(
            bucket="photos", endpoint_url="https://minio.example.com:9000/", region=None
        ),
    )["DIRECTIVES"]
    assert policy["img-src"][2:] == [
        "https://*.tile.example.org",
        "https://minio.example.com:9000",
        "https://cdn.example.com",
        "https://img.example.com",
    ]
    assert policy["connect-src"] == ["'self'", "https://sentry.example.com"]
    assert policy["report-uri"] == ["https://csp.example.com/report"]
    assert storage_origins(bucket="photos", endpoint_url=None, region="me-central-1") == [
        "https://photos.s3.amazonaws.com",
        "https://photos.s3.me-central-1.amazonaws.com",
    ]
    assert storage_origins(bucket="", endpoint_url=None, region=None) == []
