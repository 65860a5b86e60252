"""Uploads are checked before anything is stored: the type by content and by name, the size,
and a virus scan by a real clamd; each refusal names the file, and a refused file leaves no
row and no file behind. Accepted files are filed as versions of their document."""

from __future__ import annotations

import hashlib
import os
import socket

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from realestate.documents.checks import clamd_scan, document_file_check
from realestate.documents.models import Document, DocumentVersion
from realestate.documents.services import document_add, document_upload
from tests.documents.conftest import (
    EICAR,
    PDF,
    SIGNATURE,
    image_bytes,
    office_bytes,
    stored_files,
    upload,
)
from tests.factories import ClientFactory, SuperUserFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCX = office_bytes("wordprocessingml.document.main+xml")
XLSX = office_bytes("spreadsheetml.sheet.main+xml")

ACCEPTED = {
    "PDF": ("deed.pdf", PDF, "application/pdf"),
    "JPEG": ("passport.JPG", image_bytes("JPEG"), "image/jpeg"),
    "JPEG .jpeg": ("passport.jpeg", image_bytes("JPEG"), "image/jpeg"),
    "PNG": ("plan.png", image_bytes("PNG"), "image/png"),
    "WebP": ("view.webp", image_bytes("WEBP"), "image/webp"),
    "Word": (
        "letter.docx",
        DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "Excel": (
        "sheet.xlsx",
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}

REFUSED = {
    "a PNG named .pdf": ("deed.pdf", image_bytes("PNG"), "is a PNG file but its name ends in .pdf"),
    "a PDF named .jpg": ("scan.jpg", PDF, "is a PDF file but its name ends in .jpg"),
    "a Word file named .xlsx": ("sheet.xlsx", DOCX, "is a Word file but its name ends in .xlsx"),
    "text named .pdf": ("contract.pdf", b"just some text\n" * 10, "its content is not one"),
    "a bare zip named .docx": ("letter.docx", b"PK\x03\x04" + os.urandom(64), "content is not"),
    "a PNG header then a web page": (
        "trick.png",
        b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>" * 20,
        "its content is not one",
    ),
    "an executable": ("setup.exe", b"MZ\x90\x00" + os.urandom(64), "not a file type we keep"),
    "a GIF": ("plan.gif", image_bytes("GIF"), "not a file type we keep"),
    "no extension": ("README", PDF, "not a file type we keep"),
    "empty": ("empty.pdf", b"", "is empty"),
}


@pytest.mark.parametrize("case", ACCEPTED, ids=list(ACCEPTED))
def test_allowed_types_are_recognised_by_their_content(case):
    name, content, content_type = ACCEPTED[case]
    assert document_file_check(upload(name, content)).content_type == content_type


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_refused_uploads_name_the_file_and_store_nothing(media, case):
    name, content, reason = REFUSED[case]
    client = ClientFactory()
    with pytest.raises(ValidationError) as refused:
        document_upload(record=client, file=upload(name, content), kind="other")
    message = " ".join(refused.value.messages)
    assert f"“{name}”" in message and reason in message, message
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files(media) == []


def test_oversize_is_refused_before_anything_else(media, settings):
    settings.DOCUMENT_MAX_MB = 1
    content = PDF + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        document_upload(record=ClientFactory(), file=upload("big.pdf", content), kind="other")
    assert "“big.pdf” is 1.0 MB; a document may be at most 1 MB." in refused.value.messages
    assert not DocumentVersion.objects.exists() and stored_files(media) == []


def test_an_accepted_upload_is_stored_with_its_checksum_and_type(media):
    client = ClientFactory()
    version = document_upload(record=client, file=upload("Passport scan.pdf", PDF), kind="id_scan")
    assert version.number == 1
    assert version.document.title == "Passport scan"
    assert version.document.record == client
    assert version.original_name == "Passport scan.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(PDF)
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    with version.file.open("rb") as stored:
        assert stored.read() == PDF


def test_uploading_again_adds_a_version_and_keeps_the_old_one(media):
    client = ClientFactory()
    first = document_upload(
        record=client, file=upload("deed.pdf", PDF), kind="title_deed", title="Title deed"
    )
    changed = PDF.replace(b"%%EOF", b"% second\n%%EOF")
    second = document_upload(
        record=client, file=upload("deed-2.pdf", changed), kind="title_deed", title="Title deed"
    )
    third = document_upload(
        record=client, file=upload("deed-3.png", image_bytes("PNG")), document=first.document
    )
    assert first.document == second.document == third.document
    assert [v.number for v in first.document.versions.all()] == [3, 2, 1]
    assert second.sha256 != first.sha256
    assert len(stored_files(media)) == 3
    with first.file.open("rb") as old:
        assert old.read() == PDF


def test_a_generated_pdf_is_filed_through_document_add(media):
    """The generators' door (``document_add`` with bytes) stays as it was."""
    client = ClientFactory()
    version = document_add(
        record=client,
        kind="statement",
        title="Statement of account",
        file=PDF,
        content_type="application/pdf",
        by=None,
        template_version=None,
    )
    assert version.number == 1 and version.size == len(PDF)


def test_uploading_needs_the_right_to_change_the_record(media, roles):
    client = ClientFactory()
    with pytest.raises(PermissionDenied):
        document_upload(
            record=client, file=upload("a.pdf", PDF), kind="other", by=UserFactory(username="x")
        )
    assert not DocumentVersion.objects.exists()
    version = document_upload(
        record=client, file=upload("a.pdf", PDF), kind="other", by=SuperUserFactory()
    )
    assert version.uploaded_by.is_superuser


# --- the virus scan, by a real clamd ----------------------------------------------------
EICAR_PDF = PDF.replace(b"%%EOF", EICAR + b"\n%%EOF")


@pytest.mark.parametrize("via", ["socket", "url"])
def test_clamd_finds_the_test_virus_and_passes_a_clean_file(clamd, settings, via):
    settings.CLAMAV_SOCKET = clamd["socket"] if via == "socket" else ""
    settings.CLAMAV_URL = clamd["url"] if via == "url" else ""
    assert clamd_scan(upload("clean.pdf", PDF)) is None
    assert clamd_scan(upload("eicar.pdf", EICAR_PDF)).startswith(SIGNATURE)


def test_an_infected_upload_is_refused_naming_file_and_signature(media, clamd, settings):
    settings.CLAMAV_SOCKET = clamd["socket"]
    client = ClientFactory()
    with pytest.raises(ValidationError) as refused:
        document_upload(record=client, file=upload("contract.pdf", EICAR_PDF), kind="other")
    (message,) = refused.value.messages
    assert message.startswith("“contract.pdf” was refused: the virus scanner found ")
    assert SIGNATURE in message
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files(media) == []
    # A clean file passes the same scanner and is stored.
    assert document_upload(record=client, file=upload("contract.pdf", PDF), kind="other")


def test_an_unreachable_scanner_refuses_the_upload(media, settings, tmp_path):
    """Fail closed: a configured scanner that cannot scan stores nothing."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the block ends: nobody listens there
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ValidationError) as refused:
        document_upload(record=ClientFactory(), file=upload("deed.pdf", PDF), kind="other")
    (message,) = refused.value.messages
    assert message.startswith("“deed.pdf” was not stored: the virus scanner could not check it")
    settings.CLAMAV_URL, settings.CLAMAV_SOCKET = "", str(tmp_path / "no-such.sock")
    with pytest.raises(ValidationError, match="could not check it"):
        document_upload(record=ClientFactory(), file=upload("deed.pdf", PDF), kind="other")
    assert not DocumentVersion.objects.exists() and stored_files(media) == []
