"""A sales agent sees the units assigned to them, everywhere, and nothing else.

The changelist, change page, fact sheet, export and autocomplete all go through
``restrict(user, action)``; reassigning a unit moves its grants to the new agent.
"""

import csv
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.formats import base_formats

from realestate.clients.models import Client, Lead
from realestate.properties.models import Unit
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

UNIT_CHANGELIST = reverse("admin:properties_unit_changelist")


def logged_in(client, user):
    client.force_login(user)
    return client


def changelist_codes(client):
    response = client.get(UNIT_CHANGELIST)
    assert response.status_code == 200
    return {unit.code for unit in response.context["cl"].result_list}


def exported_codes(client):
    formats = [type(f()) for f in admin.site._registry[Unit].get_export_formats()]
    response = client.post(
        reverse("admin:properties_unit_export"),
        {"format": str(formats.index(base_formats.CSV)), "resource": "0"},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["Code"] for row in csv.DictReader(io.StringIO(text))}


def autocomplete_texts(client, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "clients",
            "model_name": "lead",
            "field_name": "unit",
            "term": term,
        },
    )
    assert response.status_code == 200
    return {result["text"] for result in response.json()["results"]}


def test_agent_lists_only_assigned_units(client, two_agents_with_units, agent1):
    assert changelist_codes(logged_in(client, agent1)) == {"A1-UNIT"}


def test_agent_search_does_not_reach_other_units(client, two_agents_with_units, agent1):
    response = logged_in(client, agent1).get(UNIT_CHANGELIST, {"q": "A2-UNIT"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_agent_opens_own_unit(client, two_agents_with_units, agent1):
    unit1, _unit2 = two_agents_with_units
    client = logged_in(client, agent1)
    assert client.get(reverse("admin:properties_unit_change", args=[unit1.pk])).status_code == 200
    response = client.get(reverse("admin:properties_unit_fact_sheet", args=[unit1.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("view", ["change", "fact_sheet", "history", "delete", "take_off_market"])
def test_agent_cannot_open_other_agents_unit(client, two_agents_with_units, agent1, view):
    _unit1, unit2 = two_agents_with_units
    response = logged_in(client, agent1).get(
        reverse(f"admin:properties_unit_{view}", args=[unit2.pk])
    )
    assert response.status_code in (403, 404)
    assert b"A2-UNIT" not in response.content
    unit2.refresh_from_db()
    assert unit2.status == "available"


def test_agent_export_holds_only_assigned_units(client, two_agents_with_units, agent1):
    assert exported_codes(logged_in(client, agent1)) == {"A1-UNIT"}


def test_reassignment_moves_the_grant(client, two_agents_with_units, agent1, agent2):
    unit1, _unit2 = two_agents_with_units

    unit1.agent = agent2
    unit1.save()

    assert not Unit.objects.restrict(agent1, "view").exists()
    assert set(Unit.objects.restrict(agent2, "view").values_list("code", flat=True)) == {
        "A1-UNIT",
        "A2-UNIT",
    }
    # With no unit left, the unit list is closed to agent1 (or, at most, empty).
    response = logged_in(client, agent1).get(UNIT_CHANGELIST)
    assert response.status_code in (200, 403)
    assert b"A1-UNIT" not in response.content
    assert client.get(reverse("admin:properties_unit_change", args=[unit1.pk])).status_code in (
        403,
        404,
    )
    assert changelist_codes(logged_in(client, agent2)) == {"A1-UNIT", "A2-UNIT"}


def test_unassigning_removes_the_grant(two_agents_with_units, agent1):
    unit1, _unit2 = two_agents_with_units
    unit1.agent = None
    unit1.save()
    assert not Unit.objects.restrict(agent1, "view").exists()
    assert not Unit.objects.restrict(agent1, "change").exists()


def test_grants_follow_assignment_from_a_fresh_instance(two_agents_with_units, agent1, agent2):
    # An instance loaded from the database (as the admin and API do) moves grants too.
    unit = Unit.objects.get(code="A1-UNIT")
    unit.agent = agent2
    unit.save()
    assert not Unit.objects.restrict(agent1, "change").exists()
    assert Unit.objects.restrict(agent2, "change").filter(code="A1-UNIT").exists()


def test_user_without_grants_sees_no_units(roles, two_agents_with_units):
    staff = UserFactory(username="no-grants")
    assert list(Unit.objects.restrict(staff, "view")) == []
    assert list(Unit.objects.restrict(staff, "change")) == []


def test_inactive_agent_sees_no_units(two_agents_with_units, agent1):
    agent1.is_active = False
    agent1.save()
    assert list(Unit.objects.restrict(agent1, "view")) == []


def test_superuser_sees_every_unit(admin_client, superuser, two_agents_with_units):
    assert set(Unit.objects.restrict(superuser, "view").values_list("code", flat=True)) == {
        "A1-UNIT",
        "A2-UNIT",
    }
    assert changelist_codes(admin_client) == {"A1-UNIT", "A2-UNIT"}
    assert exported_codes(admin_client) == {"A1-UNIT", "A2-UNIT"}


def test_agent_autocomplete_offers_only_assigned_units(client, two_agents_with_units, agent1):
    client = logged_in(client, agent1)
    assert autocomplete_texts(client) == {"A1-UNIT"}
    assert autocomplete_texts(client, term="A2") == set()


def test_superuser_autocomplete_offers_every_unit(admin_client, two_agents_with_units):
    assert autocomplete_texts(admin_client) == {"A1-UNIT", "A2-UNIT"}


def test_other_agents_units_are_not_offered_when_adding_a_lead(
    client, two_agents_with_units, agent1
):
    response = logged_in(client, agent1).get(reverse("admin:clients_lead_add"))
    assert response.status_code == 200
    unit_field = response.context["adminform"].form.fields["unit"]
    assert {unit.code for unit in unit_field.queryset} == {"A1-UNIT"}


def test_agent_cannot_attach_other_agents_unit_to_a_lead(client, two_agents_with_units, agent1):
    _unit1, unit2 = two_agents_with_units
    lead_client = ClientFactory(agent=agent1)
    response = logged_in(client, agent1).post(
        reverse("admin:clients_lead_add"),
        {
            "client": lead_client.pk,
            "agent": agent1.pk,
            "unit": unit2.pk,
            "unit_type": "",
            "source": "",
            "notes": "",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "unit" in response.context["adminform"].form.errors
    assert not Lead.objects.filter(unit=unit2).exists()
    assert Client.objects.count() == 1
