"""On a client's page, the Documents tab's "Upload documents" opens the upload page; two files
chosen at once are both filed and listed on the tab, each with its download link."""

import pytest
from django.urls import reverse

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_uploading_two_files_on_the_documents_tab(page, live_server, log_in, settings, tmp_path):
    from PIL import Image

    from tests.factories import ClientFactory, SuperUserFactory

    settings.MEDIA_ROOT = tmp_path
    SuperUserFactory(username="boss")
    client = ClientFactory(name="Layla Haddad")
    png = tmp_path / "emirates-id.png"
    Image.new("RGB", (40, 30), (30, 90, 200)).save(png)
    pdf = tmp_path / "title-deed.pdf"
    pdf.write_bytes(PDF)
    record_url = reverse("admin:clients_client_change", args=[client.pk])

    log_in("boss", record_url)
    page.click("a[href='#documents']")
    page.click("#documents-upload")
    page.wait_for_selector("#document-upload-form")
    page.set_input_files("input[name=files]", [str(png), str(pdf)])
    page.select_option("select[name=kind]", "id_scan")
    page.fill("input[name=expires_on]", "2020-01-31")
    page.screenshot(path="/tmp/documents-upload.png", full_page=True)
    page.click("#document-upload-form [type=submit]")

    page.wait_for_url(f"{live_server.url}{record_url}#documents")
    tab = page.locator("#documents-group")
    tab.wait_for(state="visible")
    assert "2 documents filed." in page.content()
    for name in ("emirates-id.png", "title-deed.pdf"):
        assert tab.get_by_role("link", name=name).is_visible()
    assert "Documents (2 expired)" in page.locator("#tabs-items").inner_text()
    from realestate.documents.models import Document

    assert set(Document.objects.values_list("title", flat=True)) == {"emirates-id", "title-deed"}
    page.screenshot(path="/tmp/documents-tab.png", full_page=True)
    download = tab.get_by_role("link", name="title-deed.pdf").get_attribute("href")
    assert page.request.get(f"{live_server.url}{download}").body() == PDF
    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
