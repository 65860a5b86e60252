"""The 403, 404 and 500 pages in Chromium: in the admin's look, with a working way back to the
dashboard, and nothing refused by the Content-Security-Policy (screenshots in tmp_path)."""

import pytest
from django.urls import reverse

#: Chromium reports the page's own status as a failed load: that is the point here.
STATUS_LINE = "Failed to load resource: the server responded with a status of"


@pytest.fixture
def failing_view(settings):
    """The project's URLs plus ``/broken/``, a view that fails."""
    settings.ROOT_URLCONF = "tests.core.broken_urls"
    # Built here, before the server's thread and this one race to build it.
    reverse("admin:index")


@pytest.mark.django_db(transaction=True)
def test_error_pages_look_like_the_admin(watched, live_server, log_in, failing_view, tmp_path):
    from realestate.accounts.roles import roles_sync
    from tests.factories import UserFactory

    page = watched
    roles_sync()
    UserFactory(username="newcomer")  # staff, no role yet: the payments are refused
    index = reverse("admin:index")

    def check(path, status, button, name):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        assert page.locator(f'#error-page[data-status="{status}"]').is_visible()
        link = page.get_by_role("link", name=button)
        assert link.is_visible()
        assert link.get_attribute("href") == index

    check("/no/such/page/", 404, "Go to the back office", "404-anonymous")
    page.get_by_role("link", name="Go to the back office").click()
    page.wait_for_url(f"{live_server.url}{reverse('admin:login')}?next={index}")

    log_in("newcomer", index)
    check(reverse("admin:finance_payment_changelist"), 403, "Back to the dashboard", "403")
    check("/admin/properties/unit/987654/change/", 404, "Back to the dashboard", "404-staff")
    check("/broken/", 500, "Go to the back office", "500")
    page.get_by_role("link", name="Go to the back office").click()
    page.wait_for_url(f"{live_server.url}{index}")

    assert page.violations == []
    assert [line for line in page.console if STATUS_LINE not in line] == []
    assert page.blocked_requests == []
