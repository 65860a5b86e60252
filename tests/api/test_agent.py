"""A field agent's clients, leads and reservations: their own only, through the same
services as the admin."""

from decimal import Decimal

import pytest
from django.utils import timezone

from realestate.clients.models import Client, Lead
from realestate.sales.models import Reservation
from tests.factories import ClientFactory, LeadFactory, UnitFactory

pytestmark = pytest.mark.django_db


def ok(response, code=200):
    assert response.status_code == code, response.content
    return response.json()


@pytest.fixture
def books(agent1, agent2):
    """Each agent with a client, a lead and an available unit of their own."""
    return {
        agent: {
            "client": (client := ClientFactory(name=f"Client of {agent.username}", agent=agent)),
            "lead": LeadFactory(client=client, agent=agent),
            "unit": UnitFactory(code=f"U-{agent.username}", agent=agent),
        }
        for agent in (agent1, agent2)
    }


def test_an_agent_lists_and_creates_their_clients(jwt_client, agent1, books):
    api = jwt_client(agent1)

    assert [c["name"] for c in ok(api.get("/api/v1/agent/clients/"))["results"]] == [
        "Client of agent1"
    ]
    created = ok(
        api.post("/api/v1/agent/clients/", {"name": "Omar", "phone": "+971 50 1"}, format="json"),
        201,
    )
    assert created["agent"] == "agent1"
    assert Client.objects.restrict(agent1).filter(pk=created["id"]).exists()


def test_a_client_without_phone_or_email_is_refused_in_the_one_shape(jwt_client, agent1, books):
    response = jwt_client(agent1).post("/api/v1/agent/clients/", {"name": "Nobody"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["A client needs an email address or a phone number."]
    }


def test_an_agent_updates_their_client_and_not_anothers(jwt_client, agent1, agent2, books):
    api = jwt_client(agent1)
    mine, theirs = books[agent1]["client"], books[agent2]["client"]

    assert ok(api.patch(f"/api/v1/agent/clients/{mine.pk}/", {"notes": "VIP"}, format="json"))
    assert (
        api.patch(f"/api/v1/agent/clients/{theirs.pk}/", {"notes": "x"}, format="json").status_code
        == 404
    )
    assert api.get(f"/api/v1/agent/clients/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.notes == ""


def test_leads_create_move_and_follow_ups(jwt_client, agent1, agent2, books):
    api = jwt_client(agent1)
    today = timezone.localdate()
    lead = ok(
        api.post(
            "/api/v1/agent/leads/",
            {"client": books[agent1]["client"].pk, "bedrooms": 3, "next_follow_up": str(today)},
            format="json",
        ),
        201,
    )
    assert lead["agent"] == "agent1" and lead["status"] == "new"

    moved = ok(
        api.post(f"/api/v1/agent/leads/{lead['id']}/move/", {"status": "contacted"}, format="json")
    )
    assert moved["status"] == "contacted"
    due = ok(api.get("/api/v1/agent/leads/", {"follow_up_due": "true"}))["results"]
    assert [row["id"] for row in due] == [lead["id"]]
    skip = api.post(f"/api/v1/agent/leads/{lead['id']}/move/", {"status": "won"}, format="json")
    assert skip.status_code == 409 and skip.json()["code"] == "invalid_transition"
    lost = api.post(f"/api/v1/agent/leads/{lead['id']}/move/", {"status": "lost"}, format="json")
    assert lost.status_code == 400 and "lost_reason" in lost.json()["fields"]


def test_an_agent_cannot_make_a_lead_for_anothers_client(jwt_client, agent1, agent2, books):
    api = jwt_client(agent1)

    response = api.post(
        "/api/v1/agent/leads/", {"client": books[agent2]["client"].pk}, format="json"
    )

    assert response.status_code == 400 and "client" in response.json()["fields"]
    theirs = books[agent2]["lead"]
    assert (
        api.post(
            f"/api/v1/agent/leads/{theirs.pk}/move/", {"status": "contacted"}, format="json"
        ).status_code
        == 404
    )
    assert Lead.objects.get(pk=theirs.pk).status == "new"


def test_an_agent_reserves_their_unit_for_their_client(jwt_client, agent1, books):
    api = jwt_client(agent1)
    data = {
        "unit": books[agent1]["unit"].pk,
        "client": books[agent1]["client"].pk,
        "deposit": "25000.00",
    }

    reservation = ok(api.post("/api/v1/agent/reservations/", data, format="json"), 201)
    again = api.post("/api/v1/agent/reservations/", data, format="json")

    assert reservation["status"] == "active" and reservation["deposit"] == "25000.00"
    assert again.status_code == 409 and again.json()["code"] == "unit_unavailable"
    assert [r["id"] for r in ok(api.get("/api/v1/agent/reservations/"))["results"]] == [
        reservation["id"]
    ]


def test_an_agent_cannot_reserve_anothers_unit(jwt_client, agent1, agent2, books):
    data = {"unit": books[agent2]["unit"].pk, "client": books[agent1]["client"].pk, "deposit": "0"}

    response = jwt_client(agent1).post("/api/v1/agent/reservations/", data, format="json")

    assert response.status_code == 400 and "unit" in response.json()["fields"]
    assert not Reservation.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/agent/clients/", "/api/v1/agent/leads/", "/api/v1/agent/reservations/"],
)
def test_bola_agents_list_only_their_own_and_get_404_for_the_others(
    jwt_client, agent1, agent2, books, url
):
    reservation_of = {}
    for agent in (agent1, agent2):
        api = jwt_client(agent)
        if "reservations" in url:
            reservation_of[agent] = ok(
                api.post(
                    url,
                    {
                        "unit": books[agent]["unit"].pk,
                        "client": books[agent]["client"].pk,
                        "deposit": "0",
                    },
                    format="json",
                ),
                201,
            )["id"]
    for mine, other in ((agent1, agent2), (agent2, agent1)):
        api = jwt_client(mine)
        key = "client" if "clients" in url else "lead"
        own = reservation_of[mine] if "reservations" in url else books[mine][key].pk
        theirs = reservation_of[other] if "reservations" in url else books[other][key].pk
        assert [row["id"] for row in ok(api.get(url))["results"]] == [own]
        assert api.get(f"{url}{theirs}/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/v1/agent/clients/", "/api/v1/agent/leads/", "/api/v1/agent/reservations/"]
)
def test_portal_users_are_refused_the_agent_endpoints(jwt_client, first, url):
    response = jwt_client(first.tenant.user).get(url)

    assert response.status_code == 403 and response.json()["code"] == "not_an_agent"


def test_deposit_becomes_a_receivable(jwt_client, agent1, books):
    data = {
        "unit": books[agent1]["unit"].pk,
        "client": books[agent1]["client"].pk,
        "deposit": "1000",
    }

    ok(jwt_client(agent1).post("/api/v1/agent/reservations/", data, format="json"), 201)

    assert books[agent1]["client"].receivables.get().amount == Decimal("1000.00")
