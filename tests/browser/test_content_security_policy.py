"""The Content-Security-Policy holds and breaks nothing: the admin's pages, its map, a dialog
action and the API docs run in Chromium with no policy violation and nothing in the console.

Violations are caught twice: the page's ``securitypolicyviolation`` events (reported to the
test through a binding that survives navigations) and Chromium's console, where every refused
script, style or image also shows as an error.
"""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse


def settle(page):
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_admin_and_api_docs_run_under_the_policy(watched, live_server, tmp_path):
    from tests.factories import LeaseFactory, SuperUserFactory, UnitFactory

    page = watched
    SuperUserFactory(username="csp-admin")  # password "pass"
    unit = UnitFactory(code="CSP-1", location=Point(55.2708, 25.2048, srid=4326))
    lease = LeaseFactory()

    # The login page, then the dashboard (no ``next``).
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    settle(page)
    response = page.request.get(f"{live_server.url}{reverse('admin:login')}")
    policy = response.headers["content-security-policy"]
    for directive in (
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ):
        assert directive in policy, policy
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "pass")
    page.click("form [type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    settle(page)

    # A unit list, then the unit's page with its map drawn.
    page.goto(f"{live_server.url}{reverse('admin:properties_unit_changelist')}")
    settle(page)
    page.goto(f"{live_server.url}{reverse('admin:properties_unit_change', args=[unit.pk])}")
    page.locator(".re-map-field .leaflet-marker-icon").first.wait_for(state="visible")
    settle(page)
    page.screenshot(path=str(tmp_path / "unit.png"), full_page=True)

    # A dialog action: the lease's "Activate" opens its dialog (htmx), which is then submitted.
    page.goto(f"{live_server.url}{reverse('admin:leasing_lease_change', args=[lease.pk])}")
    settle(page)
    page.get_by_role("link", name="Activate").click()
    dialog_button = page.get_by_role("button", name="Activate")
    dialog_button.wait_for(state="visible")
    page.screenshot(path=str(tmp_path / "dialog.png"), full_page=True)
    dialog_button.click()
    page.get_by_text(f"Lease {lease.number} is active.").wait_for()
    settle(page)

    # The API docs: Swagger UI from drf-spectacular-sidecar, served by this site.
    page.goto(f"{live_server.url}{reverse('api-docs')}")
    page.locator(".swagger-ui .information-container").wait_for(state="visible")
    settle(page)
    page.screenshot(path=str(tmp_path / "docs.png"), full_page=True)

    assert page.violations == []
    assert page.console == []
    assert page.blocked_requests == [], "the page tried to reach beyond the test server"
