"""The unit form's location map really shows in a browser, with its marker.

Map tiles are off and every request that is not to the test server is aborted (see
``conftest.py``), so the test never reaches the internet.
"""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse


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
