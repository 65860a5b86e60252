"""The staff notification centre in the admin: the bell in every admin page's header (its
count and list fetched, no queries on the page itself), the "Notifications" page, opening a
notification (read, then its record) and marking one or all read."""

import pytest
from django.urls import reverse

from realestate.notifications import services
from realestate.notifications.models import Notification
from tests.factories import UnitFactory, UserFactory
from tests.notifications.live_support import lease_ending

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(username="nadia")
    client.force_login(user)
    return user


def test_the_header_carries_the_bell_and_the_pages_script(client, staff):
    page = client.get(reverse("admin:index")).content.decode()

    assert 'id="notification-bell"' in page
    assert reverse("notification_recent") in page and reverse("notification_count") in page
    assert "notifications/live.js" in page and "notifications/centre.css" in page
    # Served by WSGI: no socket to open (the bell polls).
    assert 'data-socket-path=""' in page


def test_served_by_asgi_the_bell_opens_the_socket(staff):
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    client = AsyncClient()
    async_to_sync(client.aforce_login)(staff)
    page = async_to_sync(client.get)(reverse("admin:index")).content.decode()

    assert 'data-socket-path="/ws/notifications/"' in page


def test_the_page_policy_names_the_sites_own_websocket(client, staff):
    response = client.get(reverse("admin:index"))

    assert "ws://testserver" in response["Content-Security-Policy"].split("connect-src")[1]


def test_the_bell_lists_the_newest_and_counts_the_unread(client, staff):
    unit = UnitFactory(code="MH-1204")
    lease_ending(staff, unit)
    lease_ending(UserFactory(), UnitFactory(code="NOT-MINE"))

    response = client.get(reverse("notification_recent"), {"next": "/admin/"})

    assert response["X-Unread-Count"] == "1"
    html = response.content.decode()
    assert "MH-1204" in html and "NOT-MINE" not in html
    mine = Notification.objects.get(user=staff)
    assert reverse("notification_open", args=[mine.pk]) in html
    assert client.get(reverse("notification_count")).json() == {"count": 1}


def test_the_page_lists_own_notifications_paginated(client, staff):
    for step in range(30):
        lease_ending(staff, UnitFactory(), step=str(step))

    first_page = client.get(reverse("notification_centre"))
    second_page = client.get(reverse("notification_centre"), {"page": 2})

    assert first_page.status_code == 200
    assert first_page.content.decode().count('data-notification="') == 25
    assert second_page.content.decode().count('data-notification="') == 5
    assert "Unread (30)" in first_page.content.decode()


def test_opening_marks_read_and_goes_to_the_record(client, staff):
    unit = UnitFactory()
    lease_ending(staff, unit)
    mine = Notification.objects.get(user=staff)

    response = client.get(reverse("notification_open", args=[mine.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:properties_unit_change", args=[unit.pk])
    assert services.unread_count(staff) == 0


def test_mark_one_and_all_read(client, staff):
    lease_ending(staff, UnitFactory())
    lease_ending(staff, UnitFactory())
    first, second = Notification.objects.filter(user=staff)

    response = client.post(reverse("notification_read", args=[first.pk]), {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert services.unread_count(staff) == 1
    client.post(reverse("notification_read_all"), {"next": "https://evil.example/"})
    assert services.unread_count(staff) == 0
    assert client.get(reverse("notification_centre"), {"unread": 1}).status_code == 200


def test_another_users_notification_is_404(client, staff):
    lease_ending(UserFactory(), UnitFactory())
    theirs = Notification.objects.get()

    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notification_read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notification_read_all"))
    assert Notification.objects.get().read_at is None


def test_a_login_is_needed(client):
    response = client.get(reverse("notification_centre"))

    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
