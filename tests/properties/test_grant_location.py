"""Grants on units carry their unit's location (``properties/0007``: database triggers), and a
``near`` or ``in_bbox`` search of a scoped user starts from their grants inside the circle or
box (``restrict(narrow=...)``) with exactly the answer of the search without it."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.db import connection

from realestate.core.permissions import grant, grants_bulk_assign
from realestate.properties.models import (
    Unit,
    UnitGroupObjectPermission,
    UnitUserObjectPermission,
)
from realestate.properties.selectors import near_condition, units_near
from tests.factories import DUBAI, UnitFactory
from tests.factories.properties import BuildingFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/units/"
FAR = Point(DUBAI[0] + 1, DUBAI[1] + 1, srid=4326)


def at(km_north: float) -> Point:
    return Point(DUBAI[0], DUBAI[1] + km_north / 110.8, srid=4326)


def grant_locations(unit) -> set:
    return {
        None if row is None else (round(row.x, 6), round(row.y, 6))
        for model in (UnitUserObjectPermission, UnitGroupObjectPermission)
        for row in model.objects.filter(content_object=unit).values_list("location", flat=True)
    }


def test_a_grant_takes_its_units_location_and_follows_it(agent1):
    unit = UnitFactory(location=at(1))
    staff = Group.objects.create(name="Field team")
    grant(unit, agent1)
    grant(unit, staff)
    assert grant_locations(unit) == {(DUBAI[0], round(DUBAI[1] + 1 / 110.8, 6))}

    unit.location = FAR
    unit.save()
    assert grant_locations(unit) == {(round(FAR.x, 6), round(FAR.y, 6))}

    Unit.objects.filter(pk=unit.pk).update(location=None)  # behind the model's back
    assert grant_locations(unit) == {None}


def test_bulk_grants_take_their_units_locations_too(agent1):
    placed, nowhere = UnitFactory(location=at(2)), UnitFactory(location=None)

    grants_bulk_assign(Unit, [(placed.pk, agent1), (nowhere.pk, agent1)])

    assert grant_locations(placed) == {(DUBAI[0], round(DUBAI[1] + 2 / 110.8, 6))}
    assert grant_locations(nowhere) == {None}


@pytest.fixture
def scattered(agent1, make_agent):
    """agent1 holds units by assignment, one through a group and one through its building's
    grant; another agent's unit lies in the same circle."""
    own = [UnitFactory(code=f"OWN-{km}", location=at(km), agent=agent1) for km in (1, 3, 8)]
    team = Group.objects.create(name="Marina team")
    team.user_set.add(agent1)
    by_group = UnitFactory(code="GROUP-2", location=at(2))
    grant(by_group, team)
    building = BuildingFactory()
    by_building = UnitFactory(code="BUILDING-4", location=at(4), building=building)
    grant(building, agent1)
    UnitFactory(code="OTHER-1", location=at(1.5), agent=make_agent("agent9"))
    return own, by_group, by_building


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [unit["code"] for unit in response.json()["results"]]


def test_near_starts_from_the_grants_and_answers_the_same(jwt_client, agent1, scattered):
    point = Point(*DUBAI, srid=4326)
    narrowed = units_near(
        Unit.objects.restrict(agent1, narrow=near_condition(point, 5)), point=point, radius_km=5
    )
    whole = units_near(Unit.objects.restrict(agent1), point=point, radius_km=5)

    expected = ["OWN-1", "GROUP-2", "OWN-3", "BUILDING-4"]
    assert [unit.code for unit in narrowed] == [unit.code for unit in whole] == expected
    answer = codes(jwt_client(agent1).get(URL, {"near": f"{DUBAI[0]},{DUBAI[1]}"}))
    assert answer == expected
    box = f"{DUBAI[0] - 0.01},{DUBAI[1] - 0.01},{DUBAI[0] + 0.01},{DUBAI[1] + 0.05}"
    assert codes(jwt_client(agent1).get(URL, {"in_bbox": box})) == [
        "BUILDING-4", "GROUP-2", "OWN-1", "OWN-3"]  # fmt: skip


def test_a_stale_copy_can_hide_a_unit_but_never_show_one(jwt_client, agent1, scattered):
    own, _by_group, _by_building = scattered
    with connection.cursor() as cursor:  # as if a copy were wrong: far off, and near
        cursor.execute(
            f"UPDATE {UnitUserObjectPermission._meta.db_table} SET location = NULL "
            "WHERE content_object_id = %s",
            [own[0].pk],
        )
    answer = codes(jwt_client(agent1).get(URL, {"near": f"{DUBAI[0]},{DUBAI[1]}"}))
    assert answer == ["GROUP-2", "OWN-3", "BUILDING-4"]
    assert "OTHER-1" not in codes(
        jwt_client(agent1).get(URL, {"near": f"{DUBAI[0]},{DUBAI[1]}", "radius_km": "50"})
    )


@pytest.mark.postgres_only
def test_the_search_reads_the_grants_index(agent1):
    # The agent's units among ten times as many of nobody's, in the same streets: as in the
    # field, the grants inside the box are far fewer than the units inside it.
    for km in range(30):
        UnitFactory(location=at(km), agent=agent1)
    others = UnitFactory(location=at(0), agent=None)  # and 299 more like it, in one INSERT
    Unit.objects.bulk_create(
        [
            Unit(code=f"NOBODY-{n}", project=others.project, location=at(n / 10), area_sqm=90)
            for n in range(1, 300)
        ]
    )
    point = Point(*DUBAI, srid=4326)
    narrowed = units_near(
        Unit.objects.restrict(agent1, narrow=near_condition(point, 5)), point=point, radius_km=5
    )
    with connection.cursor() as cursor:
        for model in (UnitUserObjectPermission, Unit):  # statistics of this test's rows only
            cursor.execute(f"ANALYZE {model._meta.db_table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = narrowed.explain()
    assert "unit_user_grant_location" in plan, plan


def _connect():
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )


def _copy(grant_table: str, unit_id: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ST_AsText(location) FROM {grant_table} WHERE content_object_id = %s",
            [unit_id],
        )
        (found,) = cursor.fetchall()
    return found[0]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["the move", "the grant"])
def test_a_grant_made_while_its_unit_moves_copies_where_it_ends(first, agent1):
    """The grant and the move in two transactions at once, either one first: the grant's
    copy is where the unit is once both have committed (``properties/0009``: the copy reads
    the unit locked; the one that comes second waits for the first)."""
    import threading

    from realestate.core.permissions import model_permission

    unit = UnitFactory(location=at(0), agent=None)
    table = UnitUserObjectPermission._meta.db_table
    permission = model_permission(Unit, "view").pk
    move = ("UPDATE properties_unit SET location = ST_SetSRID(ST_MakePoint(%s, %s), 4326) "
            "WHERE id = %s", [DUBAI[0] + 1, DUBAI[1], unit.pk])  # fmt: skip
    insert = (f"INSERT INTO {table} (user_id, permission_id, content_object_id) "
              "VALUES (%s, %s, %s)", [agent1.pk, permission, unit.pk])  # fmt: skip
    one, two = _connect(), _connect()
    try:
        earlier, later = (move, insert) if first == "the move" else (insert, move)
        one.execute(*earlier)  # not committed yet
        second = threading.Thread(target=lambda: (two.execute(*later), two.commit()))
        second.start()
        second.join(0.5)
        assert second.is_alive()  # waits for the first
        one.commit()
        second.join(30)
        assert not second.is_alive()
    finally:
        one.close()
        two.close()
    assert _copy(table, unit.pk) == f"POINT({DUBAI[0] + 1} {DUBAI[1]})"
