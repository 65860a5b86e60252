"""PDF rendering with WeasyPrint, never touching the network.

Templates may reference static files (``/static/...`` URLs) and files under the project or
the media folder; any other URL (http, https, ftp) is refused, so a template edited by staff
cannot make the server fetch remote content, and rendering works with no internet.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalURLFetcher(URLFetcher):
    """Serves ``data:`` and local files only; maps static URLs to the files behind them."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("file", "data"), **kwargs)

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = unquote(parsed.path)
            if path.startswith(settings.STATIC_URL):
                found = finders.find(path[len(settings.STATIC_URL) :])
                if not found:
                    raise ValueError(f"No static file behind {url!r}")
                url = Path(found).as_uri()
            else:
                resolved = Path(path).resolve()
                roots = [Path(settings.BASE_DIR).resolve(), Path(settings.MEDIA_ROOT).resolve()]
                if not any(resolved.is_relative_to(root) for root in roots):
                    raise ValueError(f"PDF rendering may not read {url!r}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    # Root-relative URLs ("/static/x.css", as {% static %} writes them) resolve to
    # file:///static/x.css, which the fetcher maps to the static file behind it.
    base_url = Path(settings.BASE_DIR).as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=LocalURLFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
