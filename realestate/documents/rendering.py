"""Rendering a document template (HTML with placeholders, and CSS) to PDF.

The interface the rest of the product uses:

- ``render_pdf(template, context, *, assets=(), branch=None, refused=None)`` -> bytes:
  ``template`` is a ``DocumentTemplate`` or ``DocumentTemplateVersion`` (anything with
  ``body``, ``css`` and ``page_size``); ``context`` is the plain data of its kind
  (``kinds.GeneratedKind.context``); ``assets`` the local image files the template may show
  (the record's photos: paths or stored files; ``asset_uri`` gives the URI to put in the
  context). The company's letterhead is added to the context as ``company`` (with
  ``branch``'s own address and phone, when given). URLs the template tried to reach and was
  refused are appended to ``refused``; the PDF is made without them.
- ``TemplateProblem``: raised for a template that cannot render (a syntax error, a forbidden
  tag, a method read, too long, too large), with the line and a message a user can act on.

The template renders in the sandbox of ``sandbox.py``; the PDF's fetcher (``core.pdf``)
reads only ``data:`` URIs, static files, and the ``assets``.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.conf import settings
from django.utils.html import escape

from realestate.core.pdf import PDFTooLong, html_to_pdf
from realestate.core.uploads import content_type_for
from realestate.documents.company import company_context
from realestate.documents.sandbox import FORBIDDEN_TAGS, Budget, TemplateProblem, render_body

__all__ = [
    "FORBIDDEN_TAGS",
    "TemplateProblem",
    "asset_uri",
    "company_context",
    "render_html",
    "render_pdf",
]

#: The base styles every document starts from: fonts with Arabic glyphs, right to left for
#: Arabic. A template's own CSS comes after and may override them.
BASE_CSS = """
html { font-family: "DejaVu Sans", "Amiri", sans-serif; font-size: 10pt; }
[lang|="ar"], .ar { font-family: "Amiri", "DejaVu Sans", serif; direction: rtl;
  unicode-bidi: embed; text-align: right; }
:not([lang|="ar"]) > [lang|="ar"], html[lang|="ar"] { font-size: 1.15em; }
[dir="rtl"] { direction: rtl; text-align: right; }
[dir="ltr"] { direction: ltr; text-align: left; }
"""

LANGUAGE_ATTRIBUTES = {"ar": 'lang="ar" dir="rtl"', "en-ar": 'lang="en"', "en": 'lang="en"'}


def page_css(page_size: str) -> str:
    return f"@page {{ size: {page_size}; }}"


def _asset_path(asset) -> Path | None:
    path = getattr(asset, "path", None) if not isinstance(asset, (str, Path)) else asset
    if path is None:
        return None
    text = str(path)
    if text.startswith("file://"):
        text = text[len("file://") :]
    return Path(text)


def asset_uri(file) -> str:
    """The URI a template shows a stored image by: its ``file://`` URI with local storage
    (pass the same file in ``assets``), its bytes as a ``data:`` URI otherwise (S3)."""
    if not file:
        return ""
    try:
        return Path(file.path).resolve().as_uri()
    except (NotImplementedError, AttributeError, ValueError):
        pass
    with file.storage.open(file.name, "rb") as handle:
        data = handle.read()
    kind = content_type_for(file.name) or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(template, context: dict, *, branch=None, budget: Budget | None = None) -> str:
    """The whole HTML page of ``template`` rendered with ``context`` and the letterhead."""
    data = {**context}
    data.setdefault("company", company_context(branch))
    content = render_body(template.body, data, budget=budget)
    language = getattr(template, "language", None) or getattr(
        getattr(template, "template", None), "language", "en"
    )
    attributes = LANGUAGE_ATTRIBUTES.get(language, 'lang="en"')
    # The template's CSS cannot close its <style> element and add markup of its own.
    css = (template.css or "").replace("</", "<\\/")
    return (
        f"<!doctype html><html {attributes}><head><meta charset='utf-8'><style>"
        + BASE_CSS
        + page_css(escape(template.page_size))
        + "</style><style>"  # its own sheet, where an @import may come first
        + css
        + "</style></head><body>"
        + content
        + "</body></html>"
    )


def render_pdf(
    template,
    context: dict,
    *,
    assets=(),
    branch=None,
    refused: list | None = None,
    pdf_seconds: float | None = None,
) -> bytes:
    """The PDF of ``template`` with ``context``; see the module's docstring."""
    html = render_html(template, context, branch=branch)
    allowed = [path for path in (_asset_path(asset) for asset in assets) if path is not None]
    try:
        return html_to_pdf(
            html,
            allowed_files=allowed,
            refused=refused,
            seconds=settings.DOCUMENT_PDF_SECONDS if pdf_seconds is None else pdf_seconds,
            max_pages=settings.DOCUMENT_MAX_PAGES,
        )
    except PDFTooLong as error:
        raise TemplateProblem(f"{error} The PDF was stopped.") from None
