"""Grants on units carry their unit's code (``properties/0008``: database triggers), and a
field agent's unit list in code order, unfiltered, reads its page from their first grants by
code (``FirstGrants``) with exactly the answer of the list read without it."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from realestate.core.permissions import FirstGrants, grant, grants_bulk_assign
from realestate.properties.models import (
    Unit,
    UnitGroupObjectPermission,
    UnitUserObjectPermission,
)
from tests.factories import UnitFactory
from tests.factories.properties import BuildingFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/units/"


def grant_codes(unit) -> set:
    return {
        code
        for model in (UnitUserObjectPermission, UnitGroupObjectPermission)
        for code in model.objects.filter(content_object=unit).values_list("unit_code", flat=True)
    }


def test_a_grant_takes_its_units_code_and_follows_it(agent1):
    unit = UnitFactory(code="MH-A-0001")
    grant(unit, agent1)
    grant(unit, Group.objects.create(name="Field team"))
    assert grant_codes(unit) == {"MH-A-0001"}

    unit.code = "MH-A-0001B"
    unit.save()
    assert grant_codes(unit) == {"MH-A-0001B"}

    Unit.objects.filter(pk=unit.pk).update(code="MH-Z-9")  # behind the model's back
    assert grant_codes(unit) == {"MH-Z-9"}

    other = UnitFactory(code="OTHER-1")
    grants_bulk_assign(Unit, [(other.pk, agent1)])
    assert grant_codes(other) == {"OTHER-1"}


@pytest.fixture
def agents_units(agent1, make_agent):
    """agent1 sees 112 units, in codes interleaved with 40 of another agent's: 100 by
    assignment (view and change), 4 granted to view only, 4 through a group and 4 through
    their building's grant."""
    other = make_agent("agent9")
    for number in range(100):
        UnitFactory(code=f"U-{number:03d}-a", agent=agent1)
        if number % 5 == 0:
            UnitFactory(code=f"U-{number:03d}-b", agent=other)
    team = Group.objects.create(name="Marina team")
    team.user_set.add(agent1)
    building = BuildingFactory()
    grant(building, agent1)
    for number in (1, 49, 50, 98):
        grant(UnitFactory(code=f"U-{number:03d}-v"), agent1, actions=("view",))
        grant(UnitFactory(code=f"U-{number:03d}-g"), team)
        UnitFactory(code=f"U-{number:03d}-h", building=building)
    return list(Unit.objects.restrict(agent1).order_by("code").values_list("code", flat=True))


def page(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_agents_pages_are_those_of_the_whole_list(jwt_client, agent1, agents_units):
    assert len(agents_units) == 112
    client = jwt_client(agent1)

    first, second, third = (page(client, page=number) for number in (1, 2, 3))
    assert [unit["code"] for unit in first["results"]] == agents_units[:50]
    assert [unit["code"] for unit in second["results"]] == agents_units[50:100]
    assert [unit["code"] for unit in third["results"]] == agents_units[100:]
    assert first["count"] == 112 and first["next"].endswith("page=2")
    assert third["next"] is None
    last = page(client, page="last")
    assert [unit["code"] for unit in last["results"]] == agents_units[100:]
    assert client.get(URL, {"page": 4}).status_code == 404


def test_a_filtered_list_is_not_read_from_the_first_grants(jwt_client, agent1, agents_units):
    Unit.objects.filter(code__in=["U-002-a", "U-049-g", "U-098-h"]).update(status="reserved")

    answer = page(jwt_client(agent1), status="reserved")

    assert [unit["code"] for unit in answer["results"]] == ["U-002-a", "U-049-g", "U-098-h"]


def test_first_grants_narrow_only_the_callers_own_grants(agent1, agents_units):
    narrowed = Unit.objects.restrict(agent1, narrow=FirstGrants("unit_code", 3)).order_by("code")

    codes = list(narrowed.values_list("code", flat=True))

    # Their first three units by code; of their own grants and their group's, at most the
    # first six rows of each (three units, each of view and change); every unit their
    # building's grant reaches (not narrowed); nothing they may not see.
    by_building = {f"U-{number:03d}-h" for number in (1, 49, 50, 98)}
    assert codes[:3] == agents_units[:3]
    assert by_building <= set(codes) <= set(agents_units)
    assert "U-098-g" not in codes
    assert 3 <= len(set(codes) - by_building) <= 12


@pytest.mark.postgres_only
def test_the_list_reads_the_grants_code_index(agent1, agents_units):
    narrowed = Unit.objects.restrict(agent1, narrow=FirstGrants("unit_code", 51))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {UnitUserObjectPermission._meta.db_table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = narrowed.order_by("code")[:51].explain()
    assert "unit_user_grant_code" in plan, plan
