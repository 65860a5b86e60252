"""The Documents tab on a record's page, the upload page (several files, each checked; a
refusal shown against its file), the documents list (filters, search, export), deleting by
administrators (logged), and "Upload signed copy" on contracts and leases."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from realestate.documents.models import Document, DocumentVersion
from realestate.documents.services import document_upload
from realestate.sales import services as sales
from realestate.sales.models import SaleContract
from tests.accounts.cast import contract, lease, signed
from tests.documents.conftest import EICAR, PDF, image_bytes, stored_files, upload
from tests.factories import ClientFactory, UnitFactory

pytestmark = pytest.mark.django_db


def upload_url(record, **query):
    content_type = ContentType.objects.get_for_model(type(record))
    url = reverse("admin:documents_document_upload", args=[content_type.pk, record.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def test_the_documents_tab_lists_versions_and_flags_expired_ids(admin_client, media):
    client = ClientFactory(name="Layla Haddad")
    old = document_upload(
        record=client,
        file=upload("passport.pdf", PDF),
        kind="id_scan",
        title="Passport",
        expires_on=timezone.localdate() - timedelta(days=3),
    )
    document_upload(record=client, file=upload("passport-2.pdf", PDF), document=old.document)
    page = admin_client.get(change_url(client)).content.decode()
    assert "Documents (1 expired)" in page
    assert "“Passport” expired on" in page and "Expired" in page
    assert "passport-2.pdf" in page  # the current version
    for version in old.document.versions.all():
        assert version.file.url in page  # every version downloads
    assert upload_url(client) in page  # "Upload documents"
    assert f"{upload_url(client)}?document={old.document.pk}" in page  # "New version"


def test_several_files_at_once_each_checked_the_good_ones_filed(admin_client, media):
    unit = UnitFactory()
    response = admin_client.post(
        upload_url(unit),
        {
            "kind": "photo",
            "title": "",
            "files": [
                upload("front.jpg", image_bytes("JPEG")),
                upload("plan.pdf", PDF),
                upload("fake.pdf", image_bytes("PNG")),
                upload("virus.exe", EICAR),
            ],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "“fake.pdf” is a PNG file but its name ends in .pdf" in page
    assert "“virus.exe” is not a file type we keep" in page
    assert "“front.jpg” filed as “front”, version 1." in page
    titles = set(Document.objects.values_list("title", flat=True))
    assert titles == {"front", "plan"}
    assert len(stored_files(media)) == 2


def test_an_upload_of_good_files_goes_back_to_the_tab(admin_client, media):
    unit = UnitFactory()
    response = admin_client.post(
        upload_url(unit),
        {"kind": "title_deed", "title": "Deed", "files": [upload("deed.pdf", PDF)]},
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(unit) + "#documents"
    document = Document.objects.get()
    assert (document.kind, document.title, document.record) == ("title_deed", "Deed", unit)
    # A new version through the tab's link.
    response = admin_client.post(
        upload_url(unit, document=document.pk), {"files": [upload("deed-signed.pdf", PDF)]}
    )
    assert response.status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]


def test_the_documents_list_filters_searches_and_exports(admin_client, media):
    client, unit = ClientFactory(), UnitFactory()
    document_upload(
        record=client,
        file=upload("id.pdf", PDF),
        kind="id_scan",
        title="Emirates ID",
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    document_upload(record=unit, file=upload("floor-plan.png", image_bytes("PNG")), kind="photo")
    url = reverse("admin:documents_document_changelist")

    def titles(**query):
        response = admin_client.get(url, query)
        assert response.status_code == 200
        return {document.title for document in response.context["cl"].result_list}

    assert titles() == {"Emirates ID", "floor-plan"}
    assert titles(kind__exact="id_scan") == {"Emirates ID"}
    assert titles(record_type="properties.unit") == {"floor-plan"}
    assert titles(expired="yes") == {"Emirates ID"}
    assert titles(q="floor-plan.png") == {"floor-plan"}  # the file's original name
    response = admin_client.post(
        reverse("admin:documents_document_export") + "?kind__exact=id_scan",
        {"format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert [(row["Title"], row["Record type"], row["Original name"]) for row in rows] == [
        ("Emirates ID", "Clients | client", "id.pdf")
    ]


def test_deleting_is_logged_with_the_files(admin_client, media, django_capture_on_commit_callbacks):
    version = document_upload(record=ClientFactory(), file=upload("id.pdf", PDF), kind="id_scan")
    document = version.document
    url = reverse("admin:documents_document_delete", args=[document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    (entry,) = LogEntry.objects.filter(action_flag=DELETION)
    assert entry.object_id == str(document.pk)
    assert "id.pdf" in entry.change_message and version.sha256 in entry.change_message
    assert stored_files(media) == []


@pytest.mark.parametrize("kind", ["contract", "lease"])
def test_upload_signed_copy_marks_the_contract(client, cast, media, kind):
    record = signed(cast) if kind == "contract" else lease(cast)
    client.force_login(cast.agent if kind == "contract" else cast.users["Leasing Manager"])
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_upload_signed_copy", args=[record.pk])
    assert url in client.get(change_url(record)).content.decode()
    refused = client.post(url, {"file": upload("signed.pdf", b"not a pdf")})
    assert refused.status_code == 200 and "“signed.pdf”" in refused.content.decode()
    assert not Document.objects.exists()
    response = client.post(url, {"file": upload("signed.pdf", PDF)})
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = type(record).objects.get(pk=record.pk)
    document = fresh.signed_document
    assert document.kind == "signed_contract" and document.record == fresh
    assert document.versions.get().original_name == "signed.pdf"
    assert "signed.pdf" in client.get(change_url(record)).content.decode()


def test_a_cancelled_contract_takes_no_signed_copy(client, cast, media):
    record = sales.contract_cancel(contract=contract(cast), reason="Withdrew")
    client.force_login(cast.agent)
    url = reverse("admin:sales_salecontract_upload_signed_copy", args=[record.pk])
    assert client.post(url, {"file": upload("signed.pdf", PDF)}).status_code == 403
    assert SaleContract.objects.get(pk=record.pk).signed_document is None


@pytest.mark.parametrize(
    "role,may_delete", [("Administrator", True), ("Sales Agent", False), ("Auditor", False)]
)
def test_only_administrators_delete(client, cast, media, role, may_delete):
    version = document_upload(record=cast.client, file=upload("id.pdf", PDF), kind="id_scan")
    client.force_login(cast.users[role])
    url = reverse("admin:documents_document_delete", args=[version.document.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == (302 if may_delete else 403)
    assert Document.objects.exists() is not may_delete
    assert LogEntry.objects.filter(action_flag=DELETION).exists() is may_delete


@pytest.mark.parametrize(
    "role,status",
    [("Sales Agent", 200), ("Sales Manager", 200), ("Auditor", 403), ("Leasing Manager", 200)],
)
def test_who_may_open_the_upload_page(client, cast, media, role, status):
    """Uploading needs the right to change the record (the agent's client; every client for
    the leasing manager) and a role that uploads (not the Auditor, who reads everything)."""
    client.force_login(cast.users[role])
    assert client.get(upload_url(cast.client)).status_code == status
    page = client.get(change_url(cast.client)).content.decode()
    assert (upload_url(cast.client) in page) is (status == 200)


def test_s3_links_are_signed_and_expire(tmp_path):
    """With S3 storage, a file's link carries a signature valid for S3_LINK_SECONDS."""
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "print(s.url('documents/clients/client/1/1-v1-id.pdf'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "S3_BUCKET": "backoffice",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "key",
        "S3_SECRET_ACCESS_KEY": "secret",
        "S3_LINK_SECONDS": "120",
    }
    asked = time.time()
    url = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    address, _sep, query = url.partition("?")
    assert address == "http://127.0.0.1:9/backoffice/documents/clients/client/1/1-v1-id.pdf"
    signed = parse_qs(query)
    assert signed["Signature"] and signed["AWSAccessKeyId"] == ["key"]
    assert 110 <= int(signed["Expires"][0]) - asked <= 130  # S3_LINK_SECONDS from now
