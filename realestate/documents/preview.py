"""The live preview of a template being edited: its first pages as PNG images, rendered
against a record the user may see, without saving anything.

The PDF is made as a generated document is (``rendering.render_pdf``, sandboxed), then its
first pages are rasterised in-process by PDFium (``pypdfium2``): no process per preview.
PDFium is not thread-safe, hence the lock.
"""

from __future__ import annotations

import base64
import io
import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from realestate.documents.kinds import KINDS
from realestate.documents.rendering import TemplateProblem, render_pdf

logger = logging.getLogger(__name__)

#: Pages shown in the preview, and how large (1.0 = 72 dpi).
PREVIEW_PAGES = 3
PREVIEW_SCALE = 1.25
#: A preview's layout stops sooner than a generated document's: the editor is waiting.
PREVIEW_PDF_SECONDS = 10.0

_pdfium = threading.Lock()


@dataclass
class Preview:
    pages: list[str] = field(default_factory=list)  # data: URIs of PNG images
    page_count: int = 0
    problem: TemplateProblem | None = None
    refused: list[str] = field(default_factory=list)
    note: str = ""
    milliseconds: int = 0

    def as_json(self) -> dict:
        return {
            "pages": self.pages,
            "page_count": self.page_count,
            "problem": (
                {"line": self.problem.line, "message": self.problem.message}
                if self.problem
                else None
            ),
            "refused": self.refused,
            "note": self.note,
            "milliseconds": self.milliseconds,
        }


def pdf_pages_png(content: bytes, *, pages: int = PREVIEW_PAGES, scale: float = PREVIEW_SCALE):
    """The first ``pages`` pages of a PDF as PNG bytes, and the PDF's number of pages."""
    import pypdfium2

    images = []
    with _pdfium:
        document = pypdfium2.PdfDocument(content)
        try:
            count = len(document)
            for index in range(min(pages, count)):
                page = document[index]
                bitmap = page.render(scale=scale)
                buffer = io.BytesIO()
                bitmap.to_pil().save(buffer, format="PNG", optimize=False)
                images.append(buffer.getvalue())
                bitmap.close()
                page.close()
        finally:
            document.close()
    return images, count


@dataclass(frozen=True)
class Draft:
    """The unsaved template of the editor."""

    kind: str
    language: str
    page_size: str
    body: str
    css: str


def preview_context(kind: str, record) -> tuple[dict, list, str]:
    """The plain data of ``record`` for ``kind``, its images, and a note for the pane."""
    spec = KINDS.get(kind)
    if spec is None or record is None:
        return (
            {},
            [],
            _(
                "No record kind is registered for this template yet: the preview shows "
                "the letterhead and the template's own text only."
            ),
        )
    assets = list(spec.assets(record)) if spec.assets else []
    return spec.context(record), assets, ""


def preview_render(draft: Draft, record=None, *, branch=None) -> Preview:
    """The preview of ``draft`` against ``record``: page images, or the template's problem
    (with its line); any other failure is reported too, never raised."""
    started = time.perf_counter()
    preview = Preview()
    try:
        context, assets, preview.note = preview_context(draft.kind, record)
        content = render_pdf(
            draft,
            context,
            assets=assets,
            branch=branch,
            refused=preview.refused,
            pdf_seconds=min(PREVIEW_PDF_SECONDS, settings.DOCUMENT_PDF_SECONDS),
        )
        images, preview.page_count = pdf_pages_png(content)
        preview.pages = [
            "data:image/png;base64," + base64.b64encode(image).decode("ascii") for image in images
        ]
    except TemplateProblem as problem:
        preview.problem = problem
    except Exception as error:  # noqa: BLE001 - the editor shows it; a preview never crashes
        logger.exception("Preview of a %s template failed", draft.kind)
        preview.problem = TemplateProblem(
            _("The PDF could not be made: %(error)s") % {"error": error or type(error).__name__}
        )
    preview.milliseconds = round((time.perf_counter() - started) * 1000)
    return preview
