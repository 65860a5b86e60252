"""A field agent's viewings: the calendar feed over dates, create, reschedule, cancel, check in
on site (position, time and distance from the unit, computed by the spatial database) and
mark done with feedback; through the admin's services and flow, their own viewings only."""

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from realestate.clients.choices import LeadStatus, ViewingStatus
from realestate.clients.models import Viewing
from tests.factories import ClientFactory, LeadFactory, UnitFactory, ViewingFactory

pytestmark = pytest.mark.django_db

#: The unit's location (the factories' Dubai) and a point about 1.1 km north of it.
UNIT_AT = (55.2708, 25.2048)
NORTH = {"longitude": 55.2708, "latitude": 25.2148}


def ok(response, code=200):
    assert response.status_code == code, response.content
    return response.json()


@pytest.fixture
def diary(agent1, agent2):
    """Each agent with a client, a qualified lead, a unit and viewings of their own on the
    next three days."""
    soon = timezone.now().replace(microsecond=0) + timedelta(days=1)
    books = {}
    for agent in (agent1, agent2):
        client = ClientFactory(name=f"Client of {agent.username}", agent=agent)
        unit = UnitFactory(code=f"U-{agent.username}", agent=agent, location=Point(*UNIT_AT))
        lead = LeadFactory(client=client, agent=agent, status=LeadStatus.QUALIFIED)
        viewings = [
            ViewingFactory(
                client=client,
                unit=unit,
                lead=lead,
                agent=agent,
                scheduled_at=soon + timedelta(days=n),
            )
            for n in range(3)
        ]
        books[agent] = {"client": client, "unit": unit, "lead": lead, "viewings": viewings}
    return books


def test_the_calendar_feed_is_the_agents_own_over_the_dates(jwt_client, agent1, diary):
    api = jwt_client(agent1)
    mine = diary[agent1]["viewings"]
    first_day = timezone.localdate(mine[0].scheduled_at)

    every = ok(api.get("/api/v1/agent/viewings/"))["results"]
    assert [row["id"] for row in every] == [v.pk for v in mine]
    window = ok(
        api.get(f"/api/v1/agent/viewings/?from={first_day}&to={first_day + timedelta(days=1)}")
    )["results"]
    assert [row["id"] for row in window] == [v.pk for v in mine[:2]]
    assert window[0]["unit_code"] == "U-agent1" and window[0]["client_name"] == "Client of agent1"
    assert (
        ok(api.get(f"/api/v1/agent/viewings/?from={first_day}&to={first_day - timedelta(days=1)}"))[
            "count"
        ]
        == 0
    )
    later = timezone.now() + timedelta(minutes=1)
    Viewing.objects.filter(pk=mine[2].pk).update(updated_at=later)
    since = ok(api.get("/api/v1/agent/viewings/", {"updated_since": later.isoformat()}))
    assert [row["id"] for row in since["results"]] == [mine[2].pk]
    bad = api.get("/api/v1/agent/viewings/?from=tomorrow")
    assert bad.status_code == 400 and "from" in bad.json()["fields"]


def test_an_agent_creates_a_viewing_once_per_idempotency_key(jwt_client, agent1, diary):
    api = jwt_client(agent1)
    when = (timezone.now() + timedelta(days=5)).replace(microsecond=0)
    body = {
        "client": diary[agent1]["client"].pk,
        "unit": diary[agent1]["unit"].pk,
        "lead": diary[agent1]["lead"].pk,
        "scheduled_at": when.isoformat(),
    }

    created = ok(
        api.post("/api/v1/agent/viewings/", body, format="json", HTTP_IDEMPOTENCY_KEY="v-1"), 201
    )
    again = api.post("/api/v1/agent/viewings/", body, format="json", HTTP_IDEMPOTENCY_KEY="v-1")

    assert again.status_code == 201 and again.json() == created
    assert again["Idempotent-Replayed"] == "true"
    assert created["agent"] == "agent1" and created["status"] == "scheduled"
    assert Viewing.objects.filter(client=diary[agent1]["client"]).count() == 4


def test_a_viewing_in_the_past_or_of_anothers_records_is_refused(jwt_client, agent1, diary, agent2):
    api = jwt_client(agent1)
    good = {
        "client": diary[agent1]["client"].pk,
        "unit": diary[agent1]["unit"].pk,
        "scheduled_at": (timezone.now() + timedelta(days=2)).isoformat(),
    }

    past = api.post(
        "/api/v1/agent/viewings/",
        {**good, "scheduled_at": (timezone.now() - timedelta(hours=1)).isoformat()},
        format="json",
    )
    theirs = api.post(
        "/api/v1/agent/viewings/", {**good, "client": diary[agent2]["client"].pk}, format="json"
    )
    other_lead = LeadFactory(client=ClientFactory(agent=agent1), agent=agent1)
    wrong_lead = api.post("/api/v1/agent/viewings/", {**good, "lead": other_lead.pk}, format="json")

    assert past.status_code == 400 and past.json()["fields"] == {
        "scheduled_at": ["A viewing is scheduled in the future."]
    }
    assert theirs.status_code == 400 and "client" in theirs.json()["fields"]
    assert wrong_lead.status_code == 400 and wrong_lead.json()["fields"] == {
        "lead": ["The lead is another client's."]
    }
    assert Viewing.objects.count() == 6


def test_reschedule_then_cancel_and_nothing_after(jwt_client, agent1, diary):
    api = jwt_client(agent1)
    viewing = diary[agent1]["viewings"][0]
    url = f"/api/v1/agent/viewings/{viewing.pk}/"
    later = (timezone.now() + timedelta(days=10)).replace(microsecond=0)

    moved = ok(api.post(f"{url}reschedule/", {"scheduled_at": later.isoformat()}, format="json"))
    past = api.post(
        f"{url}reschedule/", {"scheduled_at": timezone.now().isoformat()}, format="json"
    )
    cancelled = ok(api.post(f"{url}cancel/", {}, format="json"))
    again = api.post(f"{url}reschedule/", {"scheduled_at": later.isoformat()}, format="json")
    done = api.post(f"{url}done/", {"feedback": "Too late"}, format="json")

    assert moved["scheduled_at"].startswith(timezone.localtime(later).isoformat()[:16])
    assert past.status_code == 400 and "scheduled_at" in past.json()["fields"]
    assert cancelled["status"] == "cancelled"
    assert again.status_code == 409 and again.json()["code"] == "not_scheduled"
    assert done.status_code == 409 and done.json()["code"] == "invalid_transition"
    viewing.refresh_from_db()
    assert viewing.status == ViewingStatus.CANCELLED and viewing.scheduled_at == later


def test_check_in_records_the_position_time_and_distance_from_the_unit(jwt_client, agent1, diary):
    api = jwt_client(agent1)
    viewing = diary[agent1]["viewings"][0]
    url = f"/api/v1/agent/viewings/{viewing.pk}/check-in/"
    at = timezone.now().replace(microsecond=0) - timedelta(minutes=2)

    body = ok(api.post(url, {**NORTH, "at": at.isoformat()}, format="json"))
    twice = api.post(url, NORTH, format="json")

    # 0.01° of latitude is about 1,106 m there, on the spheroid (PostGIS and SpatiaLite alike)
    assert 1100 <= body["check_in_distance_m"] <= 1115, body["check_in_distance_m"]
    assert body["check_in_latitude"] == pytest.approx(25.2148)
    assert body["check_in_longitude"] == pytest.approx(55.2708)
    viewing.refresh_from_db()
    assert (
        viewing.checked_in_at == at and viewing.check_in_distance_m == body["check_in_distance_m"]
    )
    assert twice.status_code == 409 and twice.json()["code"] == "checked_in"


def test_check_in_where_the_unit_has_no_location_and_bad_positions(jwt_client, agent1, diary):
    api = jwt_client(agent1)
    viewing = diary[agent1]["viewings"][1]
    viewing.unit.location = None
    viewing.unit.save()
    url = f"/api/v1/agent/viewings/{viewing.pk}/check-in/"

    off_globe = api.post(url, {"latitude": 91, "longitude": 55}, format="json")
    not_numbers = api.post(url, {"latitude": "25.2", "longitude": False}, format="json")
    ahead = api.post(
        url, {**NORTH, "at": (timezone.now() + timedelta(hours=1)).isoformat()}, format="json"
    )
    body = ok(api.post(url, NORTH, format="json"))

    assert off_globe.status_code == 400 and "latitude" in off_globe.json()["fields"]
    assert not_numbers.status_code == 400
    assert not_numbers.json()["fields"] == {
        "latitude": ["Must be a number."],
        "longitude": ["Must be a number."],
    }
    assert ahead.status_code == 400 and ahead.json()["fields"] == {
        "at": ["The check-in time is in the future."]
    }
    assert body["check_in_distance_m"] is None and body["checked_in_at"] is not None


def test_done_with_feedback_moves_the_qualified_lead_on(jwt_client, agent1, diary):
    viewing = diary[agent1]["viewings"][0]

    body = ok(
        jwt_client(agent1).post(
            f"/api/v1/agent/viewings/{viewing.pk}/done/", {"feedback": "Loved it"}, format="json"
        )
    )

    assert body["status"] == "done" and body["feedback"] == "Loved it"
    diary[agent1]["lead"].refresh_from_db()
    assert diary[agent1]["lead"].status == LeadStatus.VIEWING


@pytest.mark.parametrize(
    "step, body",
    [
        ("", None),
        ("reschedule/", {"scheduled_at": "2999-01-01T10:00:00Z"}),
        ("cancel/", {}),
        ("check-in/", NORTH),
        ("done/", {"feedback": "x"}),
    ],
)
def test_another_agents_viewing_is_404_on_every_path(jwt_client, agent1, agent2, diary, step, body):
    for me, other in ((agent1, agent2), (agent2, agent1)):
        api = jwt_client(me)
        theirs = diary[other]["viewings"][0]
        if body is None:
            response, missing = (
                api.get(f"/api/v1/agent/viewings/{theirs.pk}/"),
                api.get("/api/v1/agent/viewings/999999999/"),
            )
        else:
            response = api.post(f"/api/v1/agent/viewings/{theirs.pk}/{step}", body, format="json")
            missing = api.post(f"/api/v1/agent/viewings/999999999/{step}", body, format="json")
        assert response.status_code == 404 and response.json() == missing.json()
        theirs.refresh_from_db()
        assert theirs.status == ViewingStatus.SCHEDULED and theirs.checked_in_at is None
        assert {row["id"] for row in api.get("/api/v1/agent/viewings/").json()["results"]} == {
            v.pk for v in diary[me]["viewings"]
        }


def test_portal_users_are_refused_the_agents_viewings(jwt_client, first):
    response = jwt_client(first.tenant.user).get("/api/v1/agent/viewings/")

    assert response.status_code == 403 and response.json()["code"] == "not_an_agent"
