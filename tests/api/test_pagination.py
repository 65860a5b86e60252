"""The lists' pages: exact counts up to a bound, the planner's estimate past it (PostgreSQL),
and ``next`` that follows the rows, not the estimate."""

import time

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from realestate.core.api import pagination
from realestate.core.api.pagination import ApiCountPaginator
from realestate.core.changelist import EstimatedCountPaginator
from tests.factories import DUBAI, UnitFactory

URL = "/api/v1/units/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(jwt_client, superuser):
    return jwt_client(superuser)


@pytest.fixture
def exact_up_to_three(monkeypatch):
    """Lists of more than 3 rows count as long: the estimate is tried without 10,000 units."""
    monkeypatch.setattr(ApiCountPaginator, "exact_up_to", 3)
    monkeypatch.setattr(pagination, "_long_lists", {})  # no list remembered from before


@pytest.fixture
def units():
    UnitFactory.create_batch(55)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE properties_unit")


def planned_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT id FROM properties_unit")
        return int(cursor.fetchone()[0].split("rows=")[1].split()[0])


def estimate(monkeypatch, rows: int) -> None:
    monkeypatch.setattr(EstimatedCountPaginator, "_planner_estimate", lambda self: rows)


def test_a_list_within_the_bound_is_counted_exactly(api, units):
    page = api.get(URL).json()

    assert page["count"] == 55
    assert page["count_is_estimate"] is False
    assert list(page) == ["count", "count_is_estimate", "next", "previous", "results"]


def test_sqlite_counts_exactly_past_the_bound(api, units, exact_up_to_three):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL estimates; see the next tests")
    page = api.get(URL).json()

    assert (page["count"], page["count_is_estimate"]) == (55, False)


@pytest.mark.postgres_only
def test_a_list_past_the_bound_is_counted_by_the_planners_estimate(api, units, exact_up_to_three):
    page = api.get(URL).json()

    assert page["count_is_estimate"] is True
    assert page["count"] == max(planned_rows(), 4)
    assert len(page["results"]) == 50
    assert page["next"] == "http://testserver/api/v1/units/?page=2"


@pytest.mark.postgres_only
def test_a_long_list_is_not_counted_again_for_a_minute(api, units, exact_up_to_three, monkeypatch):
    def counts(client, **params) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(URL, params).json()
        return sum(
            "SELECT COUNT(*)" in query["sql"] or query["sql"].startswith("EXPLAIN")
            for query in captured
        ), page

    assert counts(api)[0] == 2  # counted up to the bound, then estimated
    again, page = counts(api)
    assert again == 0  # neither counted nor estimated: the estimate of a moment ago
    assert page["count_is_estimate"] is True and page["count"] == max(planned_rows(), 4)
    assert counts(api, status="available")[0] == 2  # another list: counted

    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + pagination.LONG_LIST_SECONDS + 1)
    assert counts(api)[0] == 2  # a minute on: counted again


@pytest.mark.postgres_only
def test_next_follows_the_rows_when_the_estimate_is_short(
    api, units, exact_up_to_three, monkeypatch
):
    estimate(monkeypatch, 10)  # one page, says the estimate

    first = api.get(URL).json()
    second = api.get(first["next"]).json()

    assert first["count"] == 10
    assert first["next"] == "http://testserver/api/v1/units/?page=2"
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/units/"
    past = api.get(URL, {"page": 4})
    assert past.status_code == 200
    assert past.json()["results"] == []


@pytest.mark.postgres_only
def test_no_next_after_the_last_row_when_the_estimate_is_long(
    api, units, exact_up_to_three, monkeypatch
):
    estimate(monkeypatch, 1000)  # twenty pages, says the estimate

    second = api.get(URL, {"page": 2}).json()

    # The last page counts the list itself: exact, whatever the estimate said.
    assert (second["count"], second["count_is_estimate"]) == (55, False)
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert api.get(URL).json()["count"] == 1000
    codes = [unit["code"] for unit in api.get(URL).json()["results"]]
    assert len(codes) == 50
    assert not set(codes) & {unit["code"] for unit in second["results"]}


def test_the_schema_states_the_estimate(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    page = schema["components"]["schemas"]["PaginatedUnitList"]

    assert page["required"] == ["count", "count_is_estimate", "next", "previous", "results"]
    assert page["properties"]["count_is_estimate"]["type"] == "boolean"


class TestCountedByItsPage:
    """A page with room left counts the list itself (its rows and those before them): no
    count query for a list that fits on its first page, nor for the last page of another."""

    @staticmethod
    def counted(client, **params) -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return response.json(), sum("COUNT(" in query["sql"] for query in captured)

    def test_a_list_that_fits_on_its_page_is_not_counted(self, api, units):
        Unit = UnitFactory._meta.model
        Unit.objects.filter(pk__in=Unit.objects.order_by("pk").values("pk")[:3]).update(
            status="reserved"
        )

        page, counts = self.counted(api, status="reserved")

        assert (page["count"], len(page["results"]), page["next"], counts) == (3, 3, None, 0)

    def test_a_full_page_is_counted_and_the_last_one_counts_itself(self, api, units):
        first, counts = self.counted(api)
        assert (first["count"], len(first["results"]), counts) == (55, 50, 1)
        assert first["next"] == "http://testserver/api/v1/units/?page=2"

        second, counts = self.counted(api, page=2)
        assert (second["count"], len(second["results"]), counts) == (55, 5, 0)
        assert second["next"] is None
        assert {u["code"] for u in first["results"]}.isdisjoint(
            u["code"] for u in second["results"]
        )

    def test_past_the_end_and_the_last_page_are_counted_first(self, api, units):
        assert api.get(URL, {"page": 3}).status_code == 404
        last, counts = self.counted(api, page="last")
        assert (last["count"], len(last["results"]), counts) == (55, 5, 1)


class TestNearCountedWithItsPage:
    """A ``near`` search reads every match to order them by distance: the page carries the
    count (``COUNT(*) OVER ()``), exact, without a second query."""

    @pytest.fixture
    def around(self):
        lng, lat = DUBAI
        for n in range(55):
            UnitFactory(code=f"N-{n:03d}", location=Point(lng, lat + n / 10_000, srid=4326))
        UnitFactory(code="FAR", location=Point(lng, lat + 1, srid=4326))  # 110 km north

    def test_the_count_comes_with_the_page(self, api, around, exact_up_to_three):
        params = {"near": f"{DUBAI[0]},{DUBAI[1]}"}
        with CaptureQueriesContext(connection) as captured:
            first = api.get(URL, params).json()

        assert (first["count"], first["count_is_estimate"]) == (55, False)
        assert [unit["code"] for unit in first["results"]][:3] == ["N-000", "N-001", "N-002"]
        assert not [q for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
        second = api.get(first["next"]).json()
        assert [unit["code"] for unit in second["results"]] == [f"N-{n:03d}" for n in range(50, 55)]
        assert (second["count"], second["next"]) == (55, None)

    def test_pages_past_the_end_and_the_last_page(self, api, around):
        params = {"near": f"{DUBAI[0]},{DUBAI[1]}"}

        assert api.get(URL, {**params, "page": 3}).status_code == 404
        last = api.get(URL, {**params, "page": "last"}).json()
        assert (last["count"], len(last["results"])) == (55, 5)
        nothing = api.get(URL, {"near": "0,0"}).json()
        assert (nothing["count"], nothing["results"], nothing["next"]) == (0, [], None)
