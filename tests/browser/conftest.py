"""Browser fixtures: headless Chromium (the system's /usr/bin/chromium) through Playwright,
with map tiles off and every request that is not to the test server aborted, so browser tests
never reach the internet."""

import contextlib
import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# beside it are still plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"browser tests need {CHROMIUM}"))


@pytest.fixture
def offline_map(settings, monkeypatch):
    """No tile layer, whatever MAP_TILES_URL says, and cookies that work over plain http."""
    import leaflet

    settings.MAP_TILES_URL = ""
    settings.LEAFLET_CONFIG = {**settings.LEAFLET_CONFIG, "TILES": []}
    # django-leaflet copies its settings when imported: switch tiles off there too.
    monkeypatch.setitem(leaflet.app_settings, "TILES", [])
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@contextlib.contextmanager
def local_page(base_url: str, viewport: dict):
    """A page of Debian's Chromium that reaches ``base_url``'s server only (every other request
    is aborted and listed in ``page.blocked_requests``); console errors in
    ``page.console_errors``."""
    from playwright.sync_api import sync_playwright

    server = urlparse(base_url)
    blocked = []

    def local_only(route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == server.netloc:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport=viewport)
            context.route("**/*", local_only)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.blocked_requests = blocked
            page.console_errors = []
            page.on(
                "console",
                lambda m: page.console_errors.append(m.text) if m.type == "error" else None,
            )
            yield page
        finally:
            browser.close()
            # Code run inside sync_playwright() has its own context, so Django gave it its
            # own database connection: close it, or it outlives the test database.
            connections.close_all()


@pytest.fixture
def page(live_server, offline_map):
    with local_page(live_server.url, {"width": 1400, "height": 1000}) as page:
        yield page


@pytest.fixture
def log_in(page, live_server):
    """Log ``username`` (password "pass") in through the admin's login form."""
    from django.urls import reverse

    def go(username, next_url):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}{reverse('admin:login')}?next={next_url}")
        page.fill("#id_username", username)
        page.fill("#id_password", "pass")
        page.click("form [type=submit]")
        page.wait_for_url(f"{live_server.url}{next_url}")

    return go


#: Chromium's own hints (autocomplete attributes and the like) are not the page's doing.
IGNORED_CONSOLE = ("[DOM]",)


@pytest.fixture
def watched(page):
    """The page, with ``page.violations`` and ``page.console`` filled as it runs."""
    page.violations = []
    page.console = []
    page.expose_binding("reportViolation", lambda source, text: page.violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.reportViolation("
        "`${location.pathname}: ${e.violatedDirective} blocked ${e.blockedURI} "
        "(${e.sourceFile}:${e.lineNumber}) ${e.sample}`));"
    )
    page.on(
        "console",
        lambda message: (
            None
            if message.text.startswith(IGNORED_CONSOLE)
            else page.console.append(f"{message.type}: {message.text} @ {page.url}")
        ),
    )
    page.on("pageerror", lambda error: page.console.append(f"pageerror: {error} @ {page.url}"))
    return page
