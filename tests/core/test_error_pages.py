"""403, 404 and 500 pages look like the admin and lead back to it (DEBUG off, as pytest runs);
the API keeps JSON errors; the 500 page needs neither a user nor the database."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = f'href="{reverse("admin:index")}"'.encode()
ADMIN_LOOK = b"unfold/css/styles.css"


def looks_like_the_admin(response, status, words):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert ADMIN_LOOK in response.content
    assert HOME in response.content
    assert f'data-status="{status}"'.encode() in response.content
    assert words.encode() in response.content


def test_refused_admin_page_is_a_403_in_the_admin(client, roles):
    # A staff member with no role opens the payments: PermissionDenied inside the admin.
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("admin:finance_payment_changelist"))
    looks_like_the_admin(response, 403, "You may not open this page")
    assert b"Back to the dashboard" in response.content
    assert b'id="nav-sidebar"' in response.content  # inside the admin, sidebar and all


def test_a_refusal_that_says_why_shows_its_reason(rf, superuser):
    from django.core.exceptions import PermissionDenied

    from realestate.core.errors import permission_denied

    request = rf.get("/admin/")
    request.user = superuser
    response = permission_denied(request, PermissionDenied("You may not approve your own <b>."))
    looks_like_the_admin(response, 403, "You may not open this page")
    assert b"You may not approve your own &lt;b&gt;." in response.content


def test_missing_page_is_a_404_in_the_admin_for_staff(admin_client):
    response = admin_client.get("/admin/properties/unit/987654/change/")
    looks_like_the_admin(response, 404, "There is no such page")
    assert b"Back to the dashboard" in response.content


def test_missing_page_for_anybody_is_a_404_with_a_way_in(client):
    response = client.get("/no/such/page/")
    looks_like_the_admin(response, 404, "There is no such page")
    assert b"Go to the back office" in response.content
    assert b'id="nav-sidebar"' not in response.content


@override_settings(ROOT_URLCONF="tests.core.broken_urls")
def test_failing_view_is_a_500_in_the_admin_look(admin_client):
    admin_client.raise_request_exception = False
    response = admin_client.get("/broken/")
    looks_like_the_admin(response, 500, "Something went wrong")
    assert b"the view failed" not in response.content  # no detail of the failure


@override_settings(ROOT_URLCONF="tests.core.broken_urls")
def test_api_errors_stay_json(admin_client):
    admin_client.raise_request_exception = False
    assert admin_client.get("/api/no/such/thing/").json() == {"detail": "Not found."}
    response = admin_client.get("/api/broken/")
    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred."}
    nobody = Client()
    nobody.force_login(UserFactory(username="plain-staff"))
    assert nobody.get("/api/v1/units/").status_code in (200, 403)  # DRF's own errors: JSON
    assert nobody.get("/api/v1/units/987654/")["Content-Type"] == "application/json"


def test_500_page_needs_no_user_no_session_and_no_database(rf):
    from realestate.core.errors import server_error

    request = rf.get("/admin/properties/unit/")  # no user, no session: no middleware ran

    def database_down(*args, **kwargs):
        raise OperationalError("the database is down")

    with connection.execute_wrapper(database_down):
        response = server_error(request)
        with pytest.raises(OperationalError):
            LogEntry.objects.exists()  # the database really is unreachable here
    looks_like_the_admin(response, 500, "Something went wrong")


def test_500_page_never_fails_itself(rf, monkeypatch):
    from realestate.core.errors import server_error

    monkeypatch.setattr("realestate.core.errors.render_to_string", lambda *a, **k: 1 / 0)
    response = server_error(rf.get("/admin/"))
    assert response.status_code == 500
    assert HOME in response.content and b"Something went wrong" in response.content
