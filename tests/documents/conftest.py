"""Fixtures of the documents tests: sample files of every kind we take and some we refuse, a
private media folder, and a real ClamAV daemon (``clamd``) with a signature database of its
own for the EICAR test string (built with ``sigtool``: no signatures are downloaded); reading a
PDF back as poppler's pdftotext or pypdf does, a template object with a body, CSS and a page
size, and records with documents to generate (a signed contract with a long schedule)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from realestate.sales import services as sales
from tests.accounts.conftest import cast  # noqa: F401  (the access tests' cast of roles)
from tests.factories import ClientFactory, PaymentPlanFactory, ProjectFactory, UnitFactory

#: The EICAR anti-virus test file: harmless, and detected as a virus by every scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Test-Signature-Local"

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def office_bytes(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/main.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.{main_part}"/></Types>',
        )
        archive.writestr("main.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMAV_URL = settings.CLAMAV_SOCKET = ""
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(check, process, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clamd exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"clamd did not answer within {seconds} s: {log.read_text()[-2000:]}")


def _ping(family, address) -> bool:
    with socket.socket(family, socket.SOCK_STREAM) as conn:
        conn.settimeout(2)
        conn.connect(address)
        conn.sendall(b"zPING\0")
        return conn.recv(16).startswith(b"PONG")


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A clamd of the test's own, listening on a unix socket and on a free TCP port, with a
    database holding one body signature (``.ndb``: the EICAR string anywhere in a file),
    written with ``sigtool --hex-dump``. Yields ``{"socket": path, "url": "tcp://..."}``.

    The setup installs ``clamav-daemon`` and ``clamav`` for the tests (``scripts/setup.sh
    --browser``); without them this fails rather than skip: the scan is what is tested."""
    clamd_bin, sigtool = shutil.which("clamd", path="/usr/sbin:/usr/bin"), shutil.which("sigtool")
    assert clamd_bin and sigtool, "clamd and sigtool are missing: run scripts/setup.sh --browser"
    root = tmp_path_factory.mktemp("clamd")
    database = root / "db"
    database.mkdir()
    hex_signature = (
        subprocess.run([sigtool, "--hex-dump"], input=EICAR, capture_output=True, check=True)
        .stdout.decode()
        .strip()
    )
    (database / "local.ndb").write_text(f"{SIGNATURE}:0:*:{hex_signature}\n")
    sock, port, log = root / "clamd.sock", _free_port(), root / "clamd.log"
    config = root / "clamd.conf"
    lines = [
        "Foreground yes",
        f"LocalSocket {sock}",
        f"TCPSocket {port}",
        "TCPAddr 127.0.0.1",
        f"DatabaseDirectory {database}",
        f"LogFile {log}",
        f"PidFile {root / 'clamd.pid'}",
        "StreamMaxLength 50M",
        "MaxThreads 2",
    ]
    if os.geteuid() == 0:
        lines.append("User root")  # clamd drops to "clamav" otherwise, who cannot read tmp
    config.write_text("\n".join(lines) + "\n")
    log.touch()
    process = subprocess.Popen(
        [clamd_bin, "-c", str(config)], stdout=log.open("a"), stderr=subprocess.STDOUT
    )
    try:
        _wait_for(lambda: _ping(socket.AF_UNIX, str(sock)), process, log)
        _wait_for(lambda: _ping(socket.AF_INET, ("127.0.0.1", port)), process, log)
        yield {"socket": str(sock), "url": f"tcp://127.0.0.1:{port}"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def pdf_text(content: bytes) -> str:
    """The text of a PDF as ``pdftotext`` reads it (poppler-utils; the setup installs it)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


@dataclass
class Draft:
    body: str
    css: str = ""
    page_size: str = "A4"
    language: str = "en"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Logos and photos the tests store go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def unit_kind(monkeypatch):
    """A test-only generated kind (the fact sheet, for units), so that these tests do not
    depend on the kinds the apps register: its context is plain data of the unit."""
    from realestate.documents.choices import DocumentKind, TemplateKind
    from realestate.documents.kinds import KINDS, GeneratedKind
    from realestate.properties.models import Unit

    spec = GeneratedKind(
        kind=TemplateKind.FACT_SHEET,
        model=Unit,
        document_kind=DocumentKind.FACT_SHEET,
        title=lambda unit: f"Fact sheet {unit.code}",
        context=lambda unit: {"unit": {"code": unit.code, "price": unit.list_price}},
        placeholders={"unit.code": "The unit's code", "unit.price": "The list price"},
    )
    monkeypatch.setitem(KINDS, TemplateKind.FACT_SHEET, spec)
    return spec


def pypdf_text(content: bytes) -> str:
    """The PDF's text, pages joined, as pypdf reads it (the generated documents' tests)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def signed_contract(instalments: int = 60, price=D("2400000.00"), discount=D("100000.00")):
    """A signed contract of a unit in a project, with ``instalments`` monthly instalments
    besides a down payment and a handover payment."""
    plan = PaymentPlanFactory(
        name=f"Long plan {instalments}",
        down_payment_percent=D("10"),
        instalment_count=instalments,
        frequency="monthly",
        handover_percent=D("20"),
        grace_months=1,
    )
    unit = UnitFactory(
        code=f"MH-{instalments}01",
        project=ProjectFactory(name="Marina Heights", handover_date=date(2032, 6, 30)),
        list_price=price,
    )
    buyer = ClientFactory(
        name="Noura Saleh",
        id_type="passport",
        id_number="P1234567",
        address="Villa 12, Al Wasl Road, Dubai",
    )
    contract = sales.contract_create(
        unit=unit, buyer=buyer, price=price, discount=discount, plan=plan
    )
    return sales.contract_sign(contract=contract, signing_date=date(2026, 11, 2))


@pytest.fixture
def contract(db):
    return signed_contract()
