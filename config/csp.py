"""The Content-Security-Policy (django-csp), built from the settings it depends on.

- Scripts: this site's files, inline scripts only with the request's nonce (django-leaflet's
  map scripts carry it), and ``'unsafe-eval'``: unfold drives its pages with Alpine.js's
  standard build, which evaluates its ``x-data`` / ``x-on`` expressions with ``Function``.
- Styles: this site's files and ``'unsafe-inline'``: unfold's markup carries ``style``
  attributes and an inline ``<style>`` (its colours), and htmx injects one.
- Images: this site, ``data:`` URIs (icons in the CSS), the map tiles' host and the photo
  storage's host (S3) when configured.
- Nothing may frame the site, no plugins, forms post only here, ``<base>`` only to here.

- Connections: this site, and its WebSocket origin (``ws://`` or ``wss://`` and the host the
  page came from: ``SocketConnectMiddleware``), for the live updates at ``/ws/notifications/``.
  CSP level 3 counts same-host WebSockets as ``'self'``; older browsers need them named.

``CSP_<DIRECTIVE>_SRC`` variables add sources for a deployment's own needs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE

EXTRA = ("script", "style", "img", "font", "connect")


def origin(url_template: str) -> str | None:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` -> ``https://*.tile.example.org``."""
    if not url_template:
        return None
    parts = urlsplit(url_template.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def storage_origins(*, bucket: str, endpoint_url: str | None, region: str | None) -> list[str]:
    """Where signed photo links point when files live in S3 (admin thumbnails load them)."""
    if not bucket:
        return []
    if endpoint_url:
        return [origin(endpoint_url)]
    hosts = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return hosts


def content_security_policy(env, *, map_tiles_url: str, storage: list[str]) -> dict:
    """django-csp's ``CONTENT_SECURITY_POLICY`` setting."""
    extra = {name: env.list(f"CSP_{name.upper()}_SRC", default=[]) for name in EXTRA}
    tiles = [host] if (host := origin(map_tiles_url)) else []
    directives = {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, UNSAFE_EVAL, *extra["script"]],
        "style-src": [SELF, UNSAFE_INLINE, *extra["style"]],
        "img-src": [SELF, "data:", *tiles, *storage, *extra["img"]],
        "font-src": [SELF, "data:", *extra["font"]],
        "connect-src": [SELF, *extra["connect"]],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    report_uri = env.str("CSP_REPORT_URI", default="")
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}


class SocketConnectMiddleware:
    """Adds the page's own WebSocket origin to ``connect-src`` (django-csp's per-response
    update), whatever host of ``ALLOWED_HOSTS`` served the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "html" in response.get("Content-Type", ""):
            scheme = "wss" if request.is_secure() else "ws"
            try:
                host = request.get_host()
            except Exception:  # noqa: BLE001 - a disallowed host: Django answers 400 anyway
                return response
            update = dict(getattr(response, "_csp_update", None) or {})
            update["connect-src"] = [*update.get("connect-src", []), f"{scheme}://{host}"]
            response._csp_update = update
        return response
