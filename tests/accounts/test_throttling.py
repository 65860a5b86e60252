"""Login throttling on the admin form and the API token endpoint, without user enumeration."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
TOKEN = "/api/v1/auth/token/"
LOCKED = "Too many failed attempts. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_MAX_FAILURES_PER_IP = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def staff(db):
    return UserFactory(username="staffer", is_superuser=True)  # password "pass"


def admin_login(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(username, password, ip="10.0.0.1"):
    return APIClient().post(
        TOKEN, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip
    )


def body(response):
    """The page without the per-response CSRF token and the typed username."""
    text = response.content.decode()
    for marker in ('name="csrfmiddlewaretoken" value="', 'name="username" value="'):
        while marker in text:
            start = text.index(marker)
            end = text.index('"', start + len(marker))
            text = text[:start] + text[end + 1 :]
    return text


# --- Admin login --------------------------------------------------------------------------


def test_admin_locks_user_after_max_failures_even_with_right_password(client, staff):
    for _ in range(2):
        assert LOCKED not in admin_login(client, "staffer", "wrong").content.decode()
    third = admin_login(client, "staffer", "wrong")
    assert LOCKED in third.content.decode()

    right = admin_login(client, "staffer", "pass", ip="10.0.0.2")
    assert right.status_code == 200
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_locks_address_across_usernames(client, staff):
    for name in ("a", "b", "c", "d", "e"):
        admin_login(client, name, "wrong", ip="10.9.9.9")

    blocked = admin_login(client, "staffer", "pass", ip="10.9.9.9")
    assert LOCKED in blocked.content.decode()
    assert admin_login(client, "staffer", "pass", ip="10.9.9.10").status_code == 302


def test_admin_success_resets_user_counter(client, staff):
    admin_login(client, "staffer", "wrong")
    admin_login(client, "staffer", "wrong")
    assert admin_login(client, "staffer", "pass").status_code == 302
    client.logout()

    admin_login(client, "staffer", "wrong", ip="10.0.0.3")
    admin_login(client, "staffer", "wrong", ip="10.0.0.3")
    assert admin_login(client, "staffer", "pass", ip="10.0.0.4").status_code == 302


def test_admin_unknown_and_wrong_password_look_the_same(client, staff):
    wrong = admin_login(client, "staffer", "wrong", ip="10.1.0.1")
    unknown = admin_login(client, "nobody", "wrong", ip="10.1.0.2")
    assert wrong.status_code == unknown.status_code == 200
    assert body(wrong) == body(unknown)

    for _ in range(2):
        wrong = admin_login(client, "staffer", "wrong", ip="10.1.0.1")
        unknown = admin_login(client, "nobody", "wrong", ip="10.1.0.2")
    assert LOCKED in wrong.content.decode()
    assert body(wrong) == body(unknown)


# --- API token endpoint -------------------------------------------------------------------


def test_api_locks_user_after_max_failures(staff):
    assert token("staffer", "wrong").status_code == 401
    assert token("staffer", "wrong").status_code == 401
    third = token("staffer", "wrong")
    assert third.status_code == 429
    assert third.json() == {"detail": LOCKED}

    right = token("staffer", "pass", ip="10.0.0.2")
    assert right.status_code == 429
    assert "access" not in right.json()


def test_api_locks_address_across_usernames(staff):
    for name in ("a", "b", "c", "d", "e"):
        token(name, "wrong", ip="10.8.8.8")

    assert token("staffer", "pass", ip="10.8.8.8").status_code == 429
    assert token("staffer", "pass", ip="10.8.8.9").status_code == 200


def test_api_success_resets_user_counter(staff):
    token("staffer", "wrong")
    token("staffer", "wrong")
    assert token("staffer", "pass").status_code == 200
    token("staffer", "wrong", ip="10.0.0.5")
    token("staffer", "wrong", ip="10.0.0.5")
    assert token("staffer", "pass", ip="10.0.0.6").status_code == 200


def test_api_unknown_and_wrong_password_look_the_same(staff):
    wrong = token("staffer", "wrong", ip="10.2.0.1")
    unknown = token("nobody", "wrong", ip="10.2.0.2")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()

    for _ in range(2):
        wrong = token("staffer", "wrong", ip="10.2.0.1")
        unknown = token("nobody", "wrong", ip="10.2.0.2")
    assert wrong.status_code == unknown.status_code == 429
    assert wrong.json() == unknown.json() == {"detail": LOCKED}


def test_username_counter_ignores_case(staff):
    token("Staffer", "wrong")
    token("STAFFER", "wrong")
    assert token("staffer", "wrong").status_code == 429
