"""What an uploaded document must pass before it is stored.

- Its type: PDF, JPEG, PNG, WebP, or an Office file (Word .docx, Excel .xlsx). Anything else is
  refused, whatever its name says.
- Its content agrees with its name: the first bytes ("magic") decide what the file is, and the
  extension must name that same type (a PNG named ``deed.pdf`` is refused). An image must
  also open as one (Pillow's ``verify``); an Office file is a zip whose
  ``[Content_Types].xml`` declares a Word document or an Excel workbook.
- Its size: at most ``DOCUMENT_MAX_MB`` megabytes, and not empty.
- Viruses: when ``CLAMAV_URL`` (``tcp://host:port``) or ``CLAMAV_SOCKET`` (a unix socket path)
  is set, the file is streamed to that ClamAV daemon (``clamd``'s ``INSTREAM`` command) and
  refused if it finds anything. A daemon that is configured but cannot be reached, or that
  answers with an error, refuses the upload too (fail closed): an unscanned file is never
  stored.

Every refusal is a ``ValidationError`` whose message names the file.
"""

from __future__ import annotations

import socket
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", (".pdf",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG", "image/png", (".png",))
WEBP = FileType("WebP", "image/webp", (".webp",))
DOCX = FileType(
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
TYPES = (PDF, JPEG, PNG, WEBP, DOCX, XLSX)
BY_EXTENSION = {ext: kind for kind in TYPES for ext in kind.extensions}
#: The input's ``accept`` attribute: the browser offers these files first.
ACCEPT = ",".join([*BY_EXTENSION, *sorted({kind.content_type for kind in TYPES})])
ACCEPTED = "PDF, JPEG, PNG, WebP, Word (.docx) or Excel (.xlsx)"

#: Office files name their main part's type in [Content_Types].xml.
OFFICE_MAIN_PARTS = {
    b"wordprocessingml.document.main+xml": DOCX,
    b"spreadsheetml.sheet.main+xml": XLSX,
}
CHUNK = 64 * 1024


class ScanUnavailable(Exception):
    """The configured virus scanner could not scan the file."""


def file_name(file, name: str | None = None) -> str:
    return PurePath(name or getattr(file, "name", None) or "").name or _("(no name)")


def _head(file, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _office_type(file) -> FileType | None:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:  # a real one is a few kilobytes
                return None
            manifest = archive.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    finally:
        file.seek(0)
    for part, kind in OFFICE_MAIN_PARTS.items():
        if part in manifest:
            return kind
    return None


def _image_opens(file) -> bool:
    from PIL import Image

    try:
        file.seek(0)
        with Image.open(file) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - any failure to read means "not the image it claims"
        return False
    finally:
        file.seek(0)
    return True


def sniff(file) -> FileType | None:
    """The type the file's content says it is (None: none we take)."""
    head = _head(file)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG if _image_opens(file) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if _image_opens(file) else None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP if _image_opens(file) else None
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file)
    return None


def check_type(file, name: str) -> FileType:
    """The file's type, once its content and its extension agree on one we take."""
    ext = PurePath(name).suffix.lower()
    claimed = BY_EXTENSION.get(ext)
    if claimed is None:
        raise ValidationError(
            _("“%(name)s” is not a file type we keep: documents must be %(accepted)s files.")
            % {"name": name, "accepted": ACCEPTED},
            code="document_extension",
        )
    found = sniff(file)
    if found is None:
        raise ValidationError(
            _(
                "“%(name)s” is named as a %(type)s file but its content is not one "
                "(damaged, or another kind of file renamed). Documents must be %(accepted)s."
            )
            % {"name": name, "type": claimed.label, "accepted": ACCEPTED},
            code="document_content",
        )
    if found is not claimed:
        raise ValidationError(
            _(
                "“%(name)s” is a %(found)s file but its name ends in %(ext)s: rename it to "
                "%(expected)s."
            )
            % {"name": name, "found": found.label, "ext": ext, "expected": found.extensions[0]},
            code="document_mismatch",
        )
    return found


def check_size(file, name: str) -> None:
    limit_mb = settings.DOCUMENT_MAX_MB
    size = file.size
    if not size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="document_empty")
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("“%(name)s” is %(size).1f MB; a document may be at most %(limit)s MB.")
            % {"name": name, "size": size / 1024 / 1024, "limit": limit_mb},
            code="document_size",
        )


# --- ClamAV --------------------------------------------------------------------------------
def scanner_configured() -> bool:
    return bool(settings.CLAMAV_URL or settings.CLAMAV_SOCKET)


def _connect() -> socket.socket:
    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(timeout)
        conn.connect(settings.CLAMAV_SOCKET)
        return conn
    parts = urlsplit(settings.CLAMAV_URL)
    if parts.scheme != "tcp" or not parts.hostname:
        raise ScanUnavailable(
            f"CLAMAV_URL must look like tcp://host:3310, not {settings.CLAMAV_URL!r}"
        )
    return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)


def clamd_scan(file) -> str | None:
    """Stream ``file`` to clamd (``zINSTREAM``). Returns the signature found, or None for a
    clean file; raises ``ScanUnavailable`` when the daemon cannot give an answer."""
    try:
        with _connect() as conn:
            conn.sendall(b"zINSTREAM\0")
            file.seek(0)
            for chunk in iter(lambda: file.read(CHUNK), b""):
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = conn.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScanUnavailable(str(error) or type(error).__name__) from error
    finally:
        file.seek(0)
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix(" FOUND").strip()
    if answer.endswith(": OK"):
        return None
    raise ScanUnavailable(answer or "no answer")


def check_viruses(file, name: str) -> None:
    if not scanner_configured():
        return
    try:
        found = clamd_scan(file)
    except ScanUnavailable as error:
        raise ValidationError(
            _(
                "“%(name)s” was not stored: the virus scanner could not check it (%(error)s). "
                "Try again later, or tell an administrator."
            )
            % {"name": name, "error": error},
            code="document_unscanned",
        ) from None
    if found:
        raise ValidationError(
            _("“%(name)s” was refused: the virus scanner found %(signature)s in it.")
            % {"name": name, "signature": found},
            code="document_infected",
        )


def document_file_check(file, name: str | None = None) -> FileType:
    """Check an uploaded file (see the module's docstring); return its type. Cheap checks
    first: the scan reads the whole file."""
    name = file_name(file, name)
    check_size(file, name)
    kind = check_type(file, name)
    check_viruses(file, name)
    return kind
