"""PDF rendering with WeasyPrint, never touching the network nor the project's files.

A document may show ``data:`` URIs, the static files (``/static/...`` URLs, found by the
static-files finders) and the files it is given by name (``allowed_files``: the company logo,
the record's own photos). Anything else is refused: other local files (the project folder
holds ``.env`` and the SQLite database), other media, http, https, ftp. A refused resource is
left out of the PDF, as a browser leaves out a blocked image, and its URL is collected in the
fetcher's ``refused`` list so that the caller can say why it is missing.

Laying out a PDF takes time in proportion to its elements and pages (WeasyPrint: about a
millisecond a table row), so ``html_to_pdf`` can be bounded: a ``deadline`` in seconds and a
number of ``max_pages``, checked as WeasyPrint reports each step and each page it lays out
(its ``weasyprint.progress`` log); past either, ``PDFTooLong`` is raised.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import posixpath
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalURLFetcher(URLFetcher):
    """Serves ``data:`` URIs, static files and the ``allowed_files``; refuses the rest."""

    def __init__(self, *, allowed_files=(), refused: list | None = None, **kwargs):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, **kwargs)
        self.allowed_files = frozenset(Path(name).resolve() for name in allowed_files)
        self.refused = [] if refused is None else refused

    def fetch(self, url, headers=None):
        target = self.permitted(url)
        if target is None:
            self.refused.append(url)
            raise ValueError(f"PDF rendering may not read {url[:200]!r}")
        return super().fetch(target, headers)

    def permitted(self, url: str) -> str | None:
        """The URL to read for ``url`` (a static file's own path), or None when refused."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return url
        if scheme != "file":
            return None
        parsed = urlparse(url)
        if parsed.netloc not in ("", "localhost"):
            return None
        path = posixpath.normpath(unquote(parsed.path))
        if path.startswith(settings.STATIC_URL):
            try:
                found = finders.find(path[len(settings.STATIC_URL) :])
            except (SuspiciousFileOperation, ValueError):
                found = None
            return Path(found).resolve().as_uri() if found else None
        resolved = Path(path).resolve()
        return resolved.as_uri() if resolved in self.allowed_files else None


class PDFTooLong(Exception):
    """A PDF that took longer than its deadline, or ran past its number of pages."""


_bounds: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("pdf_bounds", default=None)


class _BoundsFilter(logging.Filter):
    """Checks the current render's bounds at each step WeasyPrint reports; logs nothing."""

    def filter(self, record):
        bounds = _bounds.get()
        if bounds is not None:
            seconds, deadline, max_pages, pages = bounds
            if record.args and "Page" in str(record.msg):
                with contextlib.suppress(TypeError, ValueError, IndexError):
                    pages[0] = max(pages[0], int(record.args[-1]))
            if max_pages is not None and pages[0] > max_pages:
                raise PDFTooLong(f"The document runs past {max_pages} pages.")
            if deadline is not None and time.monotonic() > deadline:
                raise PDFTooLong(f"Laying out the PDF took longer than {seconds:g} seconds.")
        return False


_progress = logging.getLogger("weasyprint.progress")
_bounds_filter = _BoundsFilter()


def _progress_watched() -> None:
    """WeasyPrint's progress records reach the bounds' filter: INFO on its logger, the filter
    on it. Asked before each render, since configuring logging again (``dictConfig`` with the
    settings' ``weasyprint: ERROR``) resets a child logger's level to its parent's, and the
    bounds would then silently stop."""
    if _progress.level != logging.INFO:
        _progress.setLevel(logging.INFO)
    if _bounds_filter not in _progress.filters:
        _progress.addFilter(_bounds_filter)


_progress_watched()


def html_to_pdf(
    html: str,
    *,
    allowed_files=(),
    refused: list | None = None,
    seconds: float | None = None,
    max_pages: int | None = None,
) -> bytes:
    """The PDF of ``html``; URLs refused on the way are appended to ``refused``; past
    ``seconds`` or ``max_pages`` (when given), ``PDFTooLong``."""
    # Root-relative URLs ("/static/x.css", as {% static %} writes them) resolve to
    # file:///static/x.css, which the fetcher maps to the static file behind it.
    fetcher = LocalURLFetcher(allowed_files=allowed_files, refused=refused)
    deadline = time.monotonic() + seconds if seconds is not None else None
    _progress_watched()
    token = _bounds.set((seconds, deadline, max_pages, [0]))
    try:
        return HTML(string=html, base_url="file:///", url_fetcher=fetcher).write_pdf()
    finally:
        _bounds.reset(token)


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
