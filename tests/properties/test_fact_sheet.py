"""The unit fact sheet is a real PDF, and PDF rendering never goes to the network."""

import io
import socket
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from realestate.core.pdf import html_to_pdf
from tests.factories import ProjectFactory, UnitFactory, UserFactory


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def no_network(monkeypatch):
    """Fail any attempt to open a connection, and record it."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"test forbids network access (to {address!r})")

    def refuse_call(address, *args, **kwargs):
        refuse(None, address)

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse_call)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_call)  # no DNS look-up either
    return attempts


@pytest.mark.django_db
def test_fact_sheet_is_a_pdf_with_code_and_price(admin_client, no_network):
    agent = UserFactory(username="layla", first_name="Layla", last_name="Haddad")
    unit = UnitFactory(
        code="DT-2304",
        project=ProjectFactory(name="Downtown Views"),
        list_price=Decimal("1850000"),
        currency="AED",
        agent=agent,
    )
    url = reverse("admin:properties_unit_fact_sheet", args=[unit.pk])
    assert url == f"/admin/properties/unit/{unit.pk}/fact-sheet/"

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="unit-DT-2304.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "DT-2304" in text
    assert "AED 1,850,000.00" in text
    assert "Downtown Views" in text
    assert "Layla Haddad" in text
    assert no_network == []


@pytest.mark.django_db
def test_fact_sheet_of_missing_unit_is_404(admin_client):
    response = admin_client.get(reverse("admin:properties_unit_fact_sheet", args=[999999]))
    assert response.status_code == 404


def test_html_to_pdf_refuses_remote_urls(no_network):
    html = """<html><head>
      <link rel="stylesheet" href="https://example.com/style.css">
      <style>@import url("http://example.com/more.css");
             body { background: url("http://example.com/bg.png"); }</style>
      </head><body>
      <h1>Offline receipt</h1>
      <img src="http://example.com/x.png" alt="">
      <img src="ftp://example.com/y.png" alt="">
      </body></html>"""

    content = html_to_pdf(html)

    assert no_network == []
    assert content.startswith(b"%PDF-")
    assert "Offline receipt" in pdf_text(content)


def test_html_to_pdf_refuses_local_files_outside_the_project(no_network, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("h1::after { content: 'LEAKED'; }")
    html = f'<link rel="stylesheet" href="{secret.as_uri()}"><h1>Statement</h1>'

    text = pdf_text(html_to_pdf(html))

    assert "Statement" in text
    assert "LEAKED" not in text


def test_html_to_pdf_reads_static_files(no_network):
    # Root-relative static URLs, as {% static %} writes them, resolve to the app's files.
    html = '<link rel="stylesheet" href="/static/core/admin.css"><p>Static is fine</p>'
    assert "Static is fine" in pdf_text(html_to_pdf(html))
