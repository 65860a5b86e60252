"""PDF rendering with WeasyPrint, never touching the network nor the project's files.

A document may show ``data:`` URIs, the static files (``/static/...`` URLs, found by the
static-files finders) and the files it is given by name (``allowed_files``: the company logo,
the record's own photos). Anything else is refused: other local files (the project folder
holds ``.env`` and the SQLite database), other media, http, https, ftp. A refused resource is
left out of the PDF, as a browser leaves out a blocked image, and its URL is collected in the
fetcher's ``refused`` list so that the caller can say why it is missing.
"""

from __future__ import annotations

import posixpath
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


def html_to_pdf(html: str, *, allowed_files=(), refused: list | None = None) -> bytes:
    """The PDF of ``html``; URLs refused on the way are appended to ``refused``."""
    # Root-relative URLs ("/static/x.css", as {% static %} writes them) resolve to
    # file:///static/x.css, which the fetcher maps to the static file behind it.
    fetcher = LocalURLFetcher(allowed_files=allowed_files, refused=refused)
    return HTML(string=html, base_url="file:///", url_fetcher=fetcher).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
