"""The unit form's location map really shows in a browser, with its marker.

Drives the admin in headless Chromium (the system's /usr/bin/chromium) through Playwright.
Map tiles are off and every request that is not to the test server is aborted, so the test
never reaches the internet.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.gis.geos import Point
from django.db import connections
from django.urls import reverse

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"browser tests need {CHROMIUM}"),
]


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


@pytest.fixture
def page(live_server, offline_map):
    from playwright.sync_api import sync_playwright

    server = urlparse(live_server.url)
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
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.route("**/*", local_only)
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.blocked_requests = blocked
            yield page
        finally:
            browser.close()
            # Code run inside sync_playwright() has its own context, so Django gave it its
            # own database connection: close it, or it outlives the test database.
            connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_unit_form_shows_location_map_with_marker(page, live_server, tmp_path):
    from tests.factories import SuperUserFactory, UnitFactory

    SuperUserFactory(username="mapper")  # password "pass"
    unit = UnitFactory(code="MAP-1", location=Point(55.2708, 25.2048, srid=4326))
    change_url = reverse("admin:properties_unit_change", args=[unit.pk])

    page.goto(f"{live_server.url}{reverse('admin:login')}?next={change_url}")
    page.fill("#id_username", "mapper")
    page.fill("#id_password", "pass")
    page.click("form [type=submit]")
    page.wait_for_url(f"{live_server.url}{change_url}")
    assert page.locator("input[name=code]").input_value() == "MAP-1"

    map_container = page.locator(".re-map-field .leaflet-container")
    map_container.wait_for(state="visible")
    box = map_container.bounding_box()
    assert box is not None
    assert box["width"] > 200, box
    assert box["height"] > 200, box

    marker = page.locator(".re-map-field .leaflet-marker-icon")
    marker.first.wait_for(state="visible")
    marker_box = marker.first.bounding_box()
    # The marker stands inside the map, not at some corner outside it.
    assert box["x"] <= marker_box["x"] <= box["x"] + box["width"]
    assert box["y"] <= marker_box["y"] <= box["y"] + box["height"]

    # No tile layer is configured, so no tile is ever requested.
    assert page.locator(".re-map-field .leaflet-tile").count() == 0

    screenshot = tmp_path / "unit-change-map.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 0

    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
