"""The app's busiest reads (a field agent's ``near`` search and unit list, a unit, a tenant's
invoices) run statements compiled once per caller (``core.statements``): the same answers as
the querysets they are compiled from, for every kind of caller and page, and never past a
change of the caller's scope."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from guardian.shortcuts import assign_perm, remove_perm

from realestate.core import access, statements
from realestate.core.api.pagination import PageNumberPagination
from realestate.core.api.statements import KEPT_PAGES
from realestate.core.models import SharedCounter
from realestate.finance.models import Receivable
from realestate.properties.api.serializers import unit_rows
from realestate.properties.models import Unit
from tests.factories import DUBAI, UnitFactory
from tests.factories.accounts import GroupFactory
from tests.factories.finance import ReceivableFactory
from tests.factories.properties import BuildingFactory

pytestmark = pytest.mark.django_db

LNG, LAT = DUBAI
UNITS = "/api/v1/units/"
INVOICES = "/api/v1/tenant/invoices/"


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 4)


@pytest.fixture
def epoch():
    """The shared epoch's row, as the migration leaves it: without it nothing is kept."""
    SharedCounter.objects.get_or_create(
        key=access.EPOCH_KEY, defaults={"count": 0, "expires_at": access.EPOCH_EXPIRES}
    )


@pytest.fixture
def inventory(agent1, agent2, epoch):
    """agent1's eleven units on a line eastwards from the centre (one every ~500 m), agent2's
    five among them, and one of agent1's without a location."""
    mine = [
        UnitFactory(
            code=f"A1-{n:02}",
            agent=agent1,
            location=Point(LNG + n * 0.005, LAT, srid=4326),
            monthly_rent=Decimal("1000.50") + n,
            floor=None if n == 3 else n,
        )
        for n in range(11)
    ]
    UnitFactory(code="A1-NOWHERE", agent=agent1, location=None)
    theirs = [
        UnitFactory(code=f"A2-{n}", agent=agent2, location=Point(LNG + n * 0.004, LAT, srid=4326))
        for n in range(5)
    ]
    return mine, theirs


def compiled_off(monkeypatch):
    """Every statement refused: each read runs its queryset, as before statements."""

    def refuse(self, *args, **kwargs):
        raise statements.StatementRefused("off")

    monkeypatch.setattr(statements.Statement, "__init__", refuse)
    access.forget_all()
    statements.forget_shared()


def answers(client, paths) -> list:
    return [(path, (r := client.get(path)).status_code, r.json()) for path in paths]


def kept_kinds(user) -> dict:
    entry = access._entries[user.pk]
    return {key: type(found).__name__ for key, found in entry.statements.items()}


UNIT_PATHS = [
    UNITS,
    f"{UNITS}?page=2",
    f"{UNITS}?page=3",
    f"{UNITS}?page=4",
    f"{UNITS}?page=99",
    f"{UNITS}?page=last",
    f"{UNITS}?near={LNG},{LAT}",
    f"{UNITS}?near={LNG},{LAT}&page=2",
    f"{UNITS}?near={LNG + 0.02},{LAT}&radius_km=1.5",
    f"{UNITS}?near={LNG},{LAT}&radius_km=0.6&page=1",
    f"{UNITS}?near={LNG},{LAT}&radius_km=&page=3",
    f"{UNITS}?near={LNG},{LAT}&page=9",
    f"{UNITS}?near={LNG},{LAT}&radius_km=50&page=3",
    f"{UNITS}?page=6",
    f"{UNITS}?near=10.5,-40.25",
    f"{UNITS}?near={LNG},{LAT}&radius_km=0",
    f"{UNITS}?near={LNG},{LAT}&radius_km=600",
    f"{UNITS}?near={LNG},{LAT}&radius_km=500.0000000000000001",
    f"{UNITS}?near={LNG},{LAT}&radius_km=1e2",
    f"{UNITS}?near={LNG},{LAT}&radius_km=5e-1",
    f"{UNITS}?near=200,{LAT}",
    f"{UNITS}?near={LNG},{LAT}&status=available",
]


@pytest.mark.parametrize("who", ["agent1", "agent2", "superuser", "agent without units"])
def test_unit_lists_and_details_answer_as_their_querysets(
    request, who, inventory, jwt_client, monkeypatch, make_agent
):
    user = make_agent("agent9") if " " in who else request.getfixturevalue(who)
    mine, theirs = inventory
    details = [f"{UNITS}{unit.pk}/" for unit in [*mine[:3], *theirs[:2]]]
    details += [f"{UNITS}999999/", f"{UNITS}abc/", f"{UNITS}99999999999999999999/"]
    paths = UNIT_PATHS + details

    client = jwt_client(user)
    client.get(UNITS)  # the caller remembered (core.access): statements are kept from now
    compiled = answers(client, paths)
    again = answers(client, paths)  # every statement compiled above, now run again
    kinds = kept_kinds(user)
    compiled_off(monkeypatch)
    built = answers(client, paths)

    assert compiled == built
    assert again == built
    assert [status for _, status, _ in built].count(200) >= (6 if " " in who else 10)
    # The statements were made and used, not refused (False) and passed over.
    assert "bool" not in kinds.values()
    assert {key[0] for key in kinds} >= {"units.first", "units.near", "units.detail"}
    # Only a list's first pages are kept (page 9 of a near search is built each time).
    starts = [
        key[1] for key in kinds if key[0] in ("units.first", "units.near") and key[1] != "count"
    ]
    assert starts and max(starts) < KEPT_PAGES * 4


def test_a_near_page_runs_one_statement_with_the_points_own_values(
    agent1, inventory, jwt_client, django_assert_num_queries
):
    client = jwt_client(agent1)
    client.get(f"{UNITS}?near={LNG},{LAT}")
    client.get(f"{UNITS}?near={LNG},{LAT}&radius_km=3")
    far = client.get(f"{UNITS}?near={LNG + 0.05},{LAT}&radius_km=1.2")
    assert far.status_code == 200
    # 0.05° east of the centre: the units ~500 m apart there, nearest first.
    assert [unit["code"] for unit in far.json()["results"]] == ["A1-10", "A1-09", "A1-08"]
    assert far.json()["results"][0]["distance_km"] == pytest.approx(0.0, abs=0.001)
    kept = access._entries[agent1.pk].statements
    assert [key for key in kept if key[0] == "units.near"] == [("units.near", 0, 5)]


def first_near_page_sql(user) -> str:
    """The SQL of the statement kept for the caller's first ``near`` page."""
    return access._entries[user.pk].statements[("units.near", 0, 5)].sql


@pytest.mark.parametrize("scope", ["own grants, to the user and a group", "a building too"])
def test_a_near_search_from_the_grants_alone_answers_as_the_units_do(
    scope, agent1, inventory, jwt_client, monkeypatch
):
    """A caller whose whole scope is their unit grants (a field agent) has a ``near`` page
    read from the grants' copies of the locations, on PostgreSQL (``GrantedNear``): the same
    matches, distances, order and count as read from the units, whether a unit is granted
    once, twice (to see and to change) or also through a group; a caller who also sees units
    through a granted building has theirs read from the units."""
    mine, theirs = inventory
    group = GroupFactory()
    agent1.groups.add(group)
    for unit in [mine[2], *theirs[:3]]:  # one of theirs granted twice: to the group, and...
        assign_perm("properties.view_unit", group, unit)
    assign_perm("properties.change_unit", agent1, theirs[0])  # ...to agent1, to change
    building = BuildingFactory(project=theirs[4].project)
    if scope == "a building too":
        theirs[4].building = building
        theirs[4].save()
        assign_perm("properties.view_building", agent1, building)
    paths = [
        f"{UNITS}?near={LNG},{LAT}",
        f"{UNITS}?near={LNG},{LAT}&page=2",
        f"{UNITS}?near={LNG},{LAT}&page=3",
        f"{UNITS}?near={LNG},{LAT}&page=4",  # past the kept pages: read from the units
        f"{UNITS}?near={LNG + 0.01},{LAT}&radius_km=0.8",
        f"{UNITS}?near={LNG},{LAT}&radius_km=0.001",
    ]
    client = jwt_client(agent1)
    client.get(UNITS)
    kept = answers(client, paths)
    sql = first_near_page_sql(agent1)
    compiled_off(monkeypatch)
    built = answers(client, paths)

    assert kept == built
    codes = [unit["code"] for _, _, page in built[:4] for unit in page["results"]]
    assert built[0][2]["count"] == len(codes) == len(set(codes)) >= 13  # each unit once
    granted = {"A2-0", "A2-1", "A2-2"} | ({"A2-4"} if scope == "a building too" else set())
    assert {code for code in codes if code.startswith("A2")} == granted
    distances = [unit["distance_km"] for _, _, page in built[:4] for unit in page["results"]]
    assert distances == sorted(distances)
    # From the grants: the page's matches joined to their units' rows, in one query.
    from_grants = connection.vendor == "postgresql" and scope != "a building too"
    assert sql.startswith('SELECT "unit_rows".*, "matches"."distance"') is from_grants
    assert ('ST_DistanceSphere("properties_unit"."location"' in sql) is (
        connection.vendor == "postgresql" and not from_grants
    )


def test_a_grant_taken_away_ends_the_statements_that_held_it(agent1, inventory, jwt_client):
    mine, _ = inventory
    client = jwt_client(agent1)
    near = f"{UNITS}?near={LNG},{LAT}&radius_km=0.3"
    detail = f"{UNITS}{mine[0].pk}/"
    for _ in range(2):
        assert [u["code"] for u in client.get(near).json()["results"]] == ["A1-00"]
        assert client.get(detail).status_code == 200
    assert kept_kinds(agent1)

    for permission in ("properties.view_unit", "properties.change_unit"):
        remove_perm(permission, agent1, mine[0])

    assert client.get(near).json()["results"] == []
    assert client.get(detail).status_code == 404
    assert [u["code"] for u in client.get(UNITS).json()["results"]][0] == "A1-01"


def test_a_tenants_invoices_answer_as_their_queryset(first, second, jwt_client, monkeypatch):
    tenant = first.tenant.user
    for n in range(9):  # three pages of four
        ReceivableFactory(
            client=first.tenant.client,
            unit=first.unit,
            description=f"Fee {n}",
            issue_date=first.lease.start_date,
            due_date=first.lease.start_date,
            amount=Decimal("10.00") + n,
        )
    SharedCounter.objects.get_or_create(
        key=access.EPOCH_KEY, defaults={"count": 0, "expires_at": access.EPOCH_EXPIRES}
    )
    paths = [INVOICES, *(f"{INVOICES}?page={n}" for n in (2, 3, 4, 99)), f"{INVOICES}?page=last"]
    client = jwt_client(tenant)
    client.get(INVOICES)
    compiled = answers(client, paths)
    again = answers(client, paths)
    kinds = kept_kinds(tenant)
    compiled_off(monkeypatch)
    built = answers(client, paths)

    assert compiled == built == again
    assert "bool" not in kinds.values()
    assert any(key[0] == "invoices" for key in kinds)
    numbers = {i["number"] for _, status, page in built if status == 200 for i in page["results"]}
    assert not numbers & set(
        Receivable.objects.filter(client=second.tenant.client).values_list("number", flat=True)
    )


def test_a_statement_refuses_a_parameter_its_slots_do_not_give(agent1, inventory):
    """A value derived from the inputs that no slot gives (here the radius, derived into the
    metres) would be run with the sentinel's value: compiling refuses instead."""
    from realestate.properties.api.filtersets import near_parameters
    from realestate.properties.selectors import units_near

    def build(inputs):
        point = Point(*map(float, inputs["near"].split(",")), srid=4326)
        radius = float(inputs["radius_km"])
        return unit_rows(units_near(Unit.objects.all(), point=point, radius_km=radius))

    def without_metres(connection, inputs):
        given = near_parameters(connection, inputs)
        del given["metres"]
        return given

    sentinels = ({"near": "1.5,2.5", "radius_km": "3.5"}, {"near": "4.5,5.5", "radius_km": "6.5"})
    with pytest.raises(statements.StatementRefused):
        statements.Statement(build, without_metres, sentinels)
    compiled = statements.Statement(build, near_parameters, sentinels)
    asked = {"near": f"{LNG},{LAT}", "radius_km": "0.8"}
    assert compiled.rows(asked) == list(build(asked))


def test_a_statement_that_cannot_be_compiled_leaves_the_queryset_to_answer(caplog):
    kept = {}

    def broken(inputs):
        raise ValueError("a sentinel the view refuses")

    assert statements.statement(kept, ("k",), broken) is None
    assert kept == {("k",): False}
    assert "not compiled" in caplog.text
    assert statements.statement(kept, ("k",), broken) is None  # not tried again


def test_a_full_callers_statements_go_oldest_first(monkeypatch):
    monkeypatch.setattr(statements, "STATEMENTS_KEPT", 4)
    kept = {}
    for n in range(6):
        statements.kept_value(kept, n, lambda n=n: f"statement {n}")
    assert list(kept) == [2, 3, 4, 5]


def test_only_the_latest_callers_keep_statements(monkeypatch):
    monkeypatch.setattr(statements, "HOLDERS_KEPT", 2)
    callers = [{}, {}, {}]
    for n, kept in enumerate(callers):
        statements.kept_value(kept, "page", lambda n=n: f"statement {n}")
    assert callers == [{}, {"page": "statement 1"}, {"page": "statement 2"}]
    statements.kept_value(callers[1], "detail", lambda: "statement 3")  # the latest again
    statements.kept_value(callers[0], "page", lambda: "statement 4")
    assert callers[0] == {"page": "statement 4"}
    assert callers[1] == {"page": "statement 1", "detail": "statement 3"}
    assert callers[2] == {}


@pytest.mark.postgres_only
def test_moments_read_by_psycopgs_own_loader_are_djangos(agent1, inventory):
    """On PostgreSQL a statement reads moments with psycopg's C loader, not Django's Python
    one: the same aware datetimes, in UTC."""
    from django.db import connection

    build = lambda inputs: Unit.objects.filter(pk=inputs["pk"]).values("updated_at")  # noqa: E731
    compiled = statements.Statement(
        build, lambda connection, inputs: inputs, ({"pk": -1}, {"pk": -2})
    )
    unit = inventory[0][0]
    assert statements._utc_moments(connection)
    (row,) = compiled.rows({"pk": unit.pk})
    assert row == build({"pk": unit.pk}).get()
    assert row["updated_at"].tzinfo is datetime.UTC
