"""``/api/v1/notifications/``: the caller's own notification centre and preferences."""

from datetime import timedelta

import pytest
from django.utils import timezone

from realestate.accounts.choices import NotificationTopic
from realestate.notifications import services
from realestate.notifications.choices import MessageKind
from realestate.notifications.models import Notification
from tests.factories import UnitFactory, UserFactory
from tests.notifications.live_support import lease_ending

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"


@pytest.fixture
def mine(first):
    """Three lease-ending notices to tenant1, the newest first in the list."""
    user = first.tenant.user
    for step in ("90", "60", "30"):
        lease_ending(user, first.unit, step=step)
    return list(Notification.objects.for_user(user).order_by("-created_at", "-id"))


def test_lists_own_newest_first_with_rendered_titles(jwt_client, first, second, mine):
    lease_ending(second.tenant.user, second.unit)
    api = jwt_client(first.tenant.user)

    body = api.get(URL).json()

    assert body["count"] == 3 and body["count_is_estimate"] is False
    assert [row["id"] for row in body["results"]] == [n.pk for n in mine]
    row = body["results"][0]
    assert set(row) == {
        "id", "kind", "title", "body", "link", "record_type", "record_id", "created_at",
        "read_at",
    }  # fmt: skip
    assert row["kind"] == MessageKind.LEASE_ENDING
    assert row["title"] and "LET-1" in row["title"] + row["body"]
    assert row["record_type"] == "properties.unit" and row["record_id"] == first.unit.pk
    assert row["read_at"] is None
    # Rendered once, then kept.
    assert Notification.objects.get(pk=row["id"]).title == row["title"]


def test_unread_filter_and_updated_since(jwt_client, first, mine):
    api = jwt_client(first.tenant.user)
    services.notification_mark_read(user=first.tenant.user, ids=[mine[2].pk])

    assert [r["id"] for r in api.get(URL, {"unread": "true"}).json()["results"]] == [
        mine[0].pk,
        mine[1].pk,
    ]
    assert [r["id"] for r in api.get(URL, {"unread": "false"}).json()["results"]] == [mine[2].pk]
    assert api.get(URL, {"unread": "maybe"}).status_code == 400

    later = (timezone.now() + timedelta(minutes=5)).isoformat()
    assert api.get(URL, {"updated_since": later}).json()["results"] == []
    Notification.objects.filter(pk=mine[1].pk).update(read_at=timezone.now() + timedelta(hours=1))
    assert [r["id"] for r in api.get(URL, {"updated_since": later}).json()["results"]] == [
        mine[1].pk
    ]
    response = api.get(URL, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"code", "detail", "fields"}


def test_mark_one_and_all_read_and_the_unread_count(jwt_client, first, mine):
    api = jwt_client(first.tenant.user)
    assert api.get(f"{URL}unread-count/").json() == {"count": 3}

    response = api.post(f"{URL}{mine[0].pk}/read/", format="json")
    assert response.status_code == 200
    assert response.json()["id"] == mine[0].pk and response.json()["read_at"]
    assert api.get(f"{URL}unread-count/").json() == {"count": 2}

    assert api.post(f"{URL}read-all/").json() == {"marked": 2, "count": 0}
    assert api.get(f"{URL}unread-count/").json() == {"count": 0}
    assert api.post(f"{URL}read-all/", [1], format="json").status_code == 400


def test_another_users_notification_is_404_like_a_missing_one(jwt_client, first, second, mine):
    lease_ending(second.tenant.user, second.unit)
    theirs = Notification.objects.get(user=second.tenant.user)
    api = jwt_client(first.tenant.user)

    response = api.post(f"{URL}{theirs.pk}/read/")

    assert response.status_code == 404
    assert response.json() == api.post(f"{URL}999999999/read/").json()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    api.post(f"{URL}read-all/")
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_staff_use_it_too_and_a_session_works(client, jwt_client):
    agent = UserFactory()
    lease_ending(agent, UnitFactory())
    assert jwt_client(agent).get(f"{URL}unread-count/").json() == {"count": 1}
    client.force_login(agent)
    assert client.get(f"{URL}unread-count/").json() == {"count": 1}


def test_anonymous_is_401(client):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}preferences/").status_code == 401


def test_preferences_show_every_topic_and_channel_and_the_fixed_legal_ones(jwt_client, first):
    body = jwt_client(first.tenant.user).get(f"{URL}preferences/").json()

    assert set(body["topics"]) == set(NotificationTopic.values)
    assert all(set(c) == {"in_app", "email", "sms", "push"} for c in body["topics"].values())
    assert body["fixed"] == {
        "invoices": ["in_app", "email"],
        "payments": ["in_app", "email"],
        "leases": ["in_app", "email"],
    }


def test_patch_merges_channels_and_topics(jwt_client, first):
    user = first.tenant.user
    user.notification_preferences = {"statements": False, "maintenance": {"push": False}}
    user.save(update_fields=["notification_preferences"])
    api = jwt_client(user)

    response = api.patch(
        f"{URL}preferences/",
        {"topics": {"maintenance": {"email": False}, "statements": {"email": True}}},
        format="json",
    )

    assert response.status_code == 200, response.content
    topics = response.json()["topics"]
    assert topics["maintenance"]["email"] is False and topics["maintenance"]["push"] is False
    assert topics["maintenance"]["in_app"] is True
    assert topics["statements"] == {"in_app": False, "email": True, "sms": False, "push": False}
    user.refresh_from_db()
    assert user.notification_preferences == {
        "statements": {"in_app": False, "email": True, "sms": False, "push": False},
        "maintenance": {"push": False, "email": False},
    }
    assert api.get(f"{URL}preferences/").json()["topics"] == topics


def test_patch_refuses_what_is_not_a_boolean_naming_it(jwt_client, first):
    api = jwt_client(first.tenant.user)

    response = api.patch(
        f"{URL}preferences/", {"topics": {"invoices": {"sms": "perhaps"}}}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"topics.invoices.sms"}
    assert api.patch(f"{URL}preferences/", "x", content_type="text/plain").status_code == 415
