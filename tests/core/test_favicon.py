"""Every page's icon: linked from the admin's pages, and at /favicon.ico for the rest."""

import io
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO"


@pytest.mark.parametrize("path", ["/admin/login/", "/admin/"])
def test_admin_pages_link_the_icon(admin_client, path):
    response = admin_client.get(path, follow=True)
    links = re.findall(r"<link [^>]*>", response.content.decode())
    assert any('rel="icon" href="/static/core/favicon.svg"' in link for link in links), links
    svg = admin_client.get("/static/core/favicon.svg")
    assert svg.status_code == 200
    assert b"<svg" in b"".join(svg.streaming_content)
