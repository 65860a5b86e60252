"""The unit list of the mobile app: filters, distance search and per-agent scoping."""

from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point

from realestate.properties.choices import UnitStatus, UnitType
from tests.factories import DUBAI, UnitFactory

URL = "/api/v1/units/"

# One degree of latitude is about 110.8 km at Dubai's latitude (WGS84 meridian arc).
KM_PER_DEGREE_LAT_AT_DUBAI = 110.8

pytestmark = pytest.mark.django_db


def north_of_dubai(km: float) -> Point:
    lng, lat = DUBAI
    return Point(lng, lat + km / KM_PER_DEGREE_LAT_AT_DUBAI, srid=4326)


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [unit["code"] for unit in response.json()["results"]]


@pytest.fixture
def api(jwt_client, superuser):
    return jwt_client(superuser)


@pytest.fixture
def catalogue():
    """Four units differing in status, type, price and bedrooms."""
    return {
        "cheap": UnitFactory(code="CHEAP", list_price=Decimal("900000"), bedrooms=1),
        "mid": UnitFactory(code="MID", list_price=Decimal("1500000"), bedrooms=2),
        "villa": UnitFactory(
            code="VILLA", unit_type=UnitType.VILLA, list_price=Decimal("4200000"), bedrooms=5
        ),
        "off": UnitFactory(
            code="OFF", status=UnitStatus.OFF_MARKET, list_price=Decimal("2000000"), bedrooms=2
        ),
    }


def test_list_shows_every_unit_to_a_superuser(api, catalogue):
    assert codes(api.get(URL)) == ["CHEAP", "MID", "OFF", "VILLA"]


def test_filter_by_status(api, catalogue):
    assert codes(api.get(URL, {"status": "off_market"})) == ["OFF"]
    assert codes(api.get(URL, {"status": "available"})) == ["CHEAP", "MID", "VILLA"]


def test_filter_by_several_statuses(api, catalogue):
    response = api.get(f"{URL}?status=available&status=off_market")

    assert codes(response) == ["CHEAP", "MID", "OFF", "VILLA"]


def test_filter_by_type(api, catalogue):
    assert codes(api.get(URL, {"type": "villa"})) == ["VILLA"]
    assert codes(api.get(URL, {"type": "office"})) == []


def test_unknown_type_is_400(api, catalogue):
    response = api.get(URL, {"type": "castle"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "type" in response.json()["fields"]


def test_filter_by_price_range(api, catalogue):
    assert codes(api.get(URL, {"min_price": "1500000"})) == ["MID", "OFF", "VILLA"]
    assert codes(api.get(URL, {"max_price": "1500000"})) == ["CHEAP", "MID"]
    assert codes(api.get(URL, {"min_price": "1000000", "max_price": "2000000"})) == [
        "MID",
        "OFF",
    ]


def test_filter_by_bedrooms(api, catalogue):
    assert codes(api.get(URL, {"bedrooms": 2})) == ["MID", "OFF"]
    assert codes(api.get(URL, {"bedrooms": 5})) == ["VILLA"]


def test_filters_combine(api, catalogue):
    response = api.get(URL, {"status": "available", "bedrooms": 2, "max_price": "3000000"})

    assert codes(response) == ["MID"]


@pytest.fixture
def spread():
    """Units at 0.5 km, 3 km and 20 km north of central Dubai (created far one first)."""
    return {
        "far": UnitFactory(code="AT-20KM", location=north_of_dubai(20)),
        "mid": UnitFactory(code="AT-3KM", location=north_of_dubai(3)),
        "near": UnitFactory(code="AT-0.5KM", location=north_of_dubai(0.5)),
    }


def near_params(radius_km) -> dict:
    return {"near": f"{DUBAI[0]},{DUBAI[1]}", "radius_km": radius_km}


def test_near_returns_units_inside_radius_nearest_first(api, spread):
    response = api.get(URL, near_params(5))

    results = response.json()["results"]
    assert codes(response) == ["AT-0.5KM", "AT-3KM"]
    assert results[0]["distance_km"] == pytest.approx(0.5, rel=0.02)
    assert results[1]["distance_km"] == pytest.approx(3.0, rel=0.02)


def test_near_with_a_wider_radius_reaches_the_far_unit(api, spread):
    response = api.get(URL, near_params(25))

    assert codes(response) == ["AT-0.5KM", "AT-3KM", "AT-20KM"]
    assert response.json()["results"][2]["distance_km"] == pytest.approx(20.0, rel=0.02)


def test_near_with_a_small_radius_excludes_all_but_the_nearest(api, spread):
    assert codes(api.get(URL, near_params(1))) == ["AT-0.5KM"]


def test_near_default_radius_is_5_km(api, spread):
    assert codes(api.get(URL, {"near": f"{DUBAI[0]},{DUBAI[1]}"})) == ["AT-0.5KM", "AT-3KM"]


def test_near_skips_units_without_location(api, spread):
    UnitFactory(code="NOWHERE", location=None)

    assert "NOWHERE" not in codes(api.get(URL, near_params(25)))


def test_distance_is_null_without_near(api, spread):
    results = api.get(URL).json()["results"]

    assert {unit["distance_km"] for unit in results} == {None}


def test_near_combines_with_other_filters(api, spread):
    UnitFactory(code="AT-1KM-VILLA", unit_type=UnitType.VILLA, location=north_of_dubai(1))

    assert codes(api.get(URL, {**near_params(5), "type": "villa"})) == ["AT-1KM-VILLA"]


def test_in_bbox(api, spread):
    lng, lat = DUBAI
    # A box from just south of the centre to 5 km north holds the 0.5 km and 3 km units.
    bbox = f"{lng - 0.01},{lat - 0.01},{lng + 0.01},{lat + 5 / KM_PER_DEGREE_LAT_AT_DUBAI}"

    assert codes(api.get(URL, {"in_bbox": bbox})) == ["AT-0.5KM", "AT-3KM"]


def test_in_bbox_far_away_is_empty(api, spread):
    assert codes(api.get(URL, {"in_bbox": "10,10,11,11"})) == []


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"near": "abc"}, "near"),
        ({"near": "55.27"}, "near"),
        ({"near": "55.27,25.20,3"}, "near"),
        ({"near": "255.27,25.20"}, "near"),
        ({"near": "55.27,25.20", "radius_km": "0"}, "radius_km"),
        ({"near": "55.27,25.20", "radius_km": "-3"}, "radius_km"),
        ({"near": "55.27,25.20", "radius_km": "501"}, "radius_km"),
        ({"near": "55.27,25.20", "radius_km": "far"}, "radius_km"),
        ({"in_bbox": "55.1,25.0,55.4"}, "in_bbox"),
        ({"in_bbox": "a,b,c,d"}, "in_bbox"),
        ({"in_bbox": "55.4,25.3,55.1,25.0"}, "in_bbox"),
        ({"min_price": "lots"}, "min_price"),
    ],
)
def test_bad_parameter_is_400_naming_it(api, spread, params, parameter):
    response = api.get(URL, params)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"].startswith(f"{parameter}: ")
    assert body["fields"][parameter]  # a message, not an empty list


def test_detail(api, catalogue):
    villa = catalogue["villa"]

    response = api.get(f"{URL}{villa.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "VILLA"
    assert body["unit_type"] == "villa"
    assert body["list_price"] == "4200000.00"
    assert body["project"]["code"] == villa.project.code
    assert body["longitude"] == pytest.approx(DUBAI[0])
    assert body["latitude"] == pytest.approx(DUBAI[1])


def test_detail_of_missing_unit_is_404(api):
    assert api.get(f"{URL}999999/").status_code == 404


@pytest.mark.parametrize("unit_id", ["abc", "null,null", "1.5"])
def test_detail_of_an_id_that_is_no_number_is_404(api, catalogue, unit_id):
    response = api.get(f"{URL}{unit_id}/")

    assert response.status_code == 404
    assert response.json()["detail"] in ("Not found.", "No Unit matches the given query.")


def test_api_is_read_only(api, catalogue):
    response = api.delete(f"{URL}{catalogue['cheap'].pk}/")

    assert response.status_code == 405
    assert api.get(f"{URL}{catalogue['cheap'].pk}/").status_code == 200


class TestScoping:
    """An agent sees only the units assigned to them; others' units do not exist for them."""

    def test_agent_lists_only_own_units(self, jwt_client, agent1, two_agents_with_units):
        assert codes(jwt_client(agent1).get(URL)) == ["A1-UNIT"]

    def test_other_agent_lists_only_theirs(self, jwt_client, agent2, two_agents_with_units):
        assert codes(jwt_client(agent2).get(URL)) == ["A2-UNIT"]

    def test_agent_gets_own_detail(self, jwt_client, agent1, two_agents_with_units):
        own, _other = two_agents_with_units

        response = jwt_client(agent1).get(f"{URL}{own.pk}/")

        assert response.status_code == 200
        assert response.json()["agent"] == "agent1"

    def test_agent_gets_404_for_other_agents_unit(self, jwt_client, agent1, two_agents_with_units):
        _own, other = two_agents_with_units

        assert jwt_client(agent1).get(f"{URL}{other.pk}/").status_code == 404

    def test_reassignment_moves_visibility(self, jwt_client, agent1, agent2, two_agents_with_units):
        _own, other = two_agents_with_units
        other.agent = agent1
        other.save()

        assert codes(jwt_client(agent1).get(URL)) == ["A1-UNIT", "A2-UNIT"]
        assert codes(jwt_client(agent2).get(URL)) == []

    def test_geo_search_is_scoped_too(self, jwt_client, agent1, two_agents_with_units):
        response = jwt_client(agent1).get(URL, near_params(5))

        assert codes(response) == ["A1-UNIT"]

    def test_inactive_user_token_is_refused(self, jwt_client, agent1, two_agents_with_units):
        client = jwt_client(agent1)
        agent1.is_active = False
        agent1.save()

        assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        # Used to be a 500 (GEOS refused a NaN ring), or to bring the process down (infinity).
        ({"in_bbox": "nan,nan,nan,nan"}, "in_bbox"),
        ({"in_bbox": "1e308,1,1e309,2"}, "in_bbox"),
        ({"in_bbox": "-500,-500,500,500"}, "in_bbox"),
        ({"near": "5.5e1,25.2"}, "near"),
        ({"near": " 55.27,25.20"}, "near"),
        # Used to be read loosely, or not at all.
        ({"radius_km": "1000"}, "radius_km"),
        ({"radius_km": "NaN"}, "radius_km"),
        ({"min_price": "-1"}, "min_price"),
        ({"max_rent": "1e13"}, "max_rent"),
        ({"min_price": "1_000"}, "min_price"),
        ({"bedrooms": "1.5"}, "bedrooms"),
        ({"bedrooms": "-1"}, "bedrooms"),
        ({"min_bedrooms": "99999999999999999999"}, "min_bedrooms"),
        ({"min_bedrooms": "٣"}, "min_bedrooms"),
        ({"project": "no such code!"}, "project"),
        ({"project": "\x00"}, "project"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "2.0"}, "page"),
    ],
)
def test_odd_value_is_400_with_messages_naming_the_parameter(api, spread, params, parameter):
    response = api.get(URL, params)

    assert response.status_code == 400, response.content
    messages = response.json()["fields"][parameter]
    assert isinstance(messages, list)
    assert messages and all(isinstance(message, str) and message for message in messages)


def test_an_inverted_box_says_which_corner_comes_first(api, spread):
    response = api.get(URL, {"in_bbox": "55.4,25.3,55.1,25.0"})

    assert response.status_code == 400
    corner = "Give the south-west corner, then the north-east one."
    assert response.json() == {
        "code": "invalid",
        "detail": f"in_bbox: {corner}",
        "fields": {"in_bbox": [corner]},
    }


def test_empty_values_are_as_if_not_sent(api, catalogue):
    empty = dict.fromkeys(
        ["purpose", "project", "min_price", "max_price", "min_rent", "max_rent", "bedrooms",
         "min_bedrooms", "near", "radius_km", "in_bbox", "page"],
        "",
    )  # fmt: skip

    assert codes(api.get(URL, empty)) == ["CHEAP", "MID", "OFF", "VILLA"]


def test_amounts_with_more_decimals_than_cents_match_the_same_units(api, catalogue):
    # 1e-99999 is 0 to the cent; PostgreSQL would refuse the number itself.
    assert codes(api.get(URL, {"min_price": "1e-99999"})) == ["CHEAP", "MID", "OFF", "VILLA"]
    assert codes(api.get(URL, {"min_price": "1500000.001"})) == ["OFF", "VILLA"]
    assert codes(api.get(URL, {"max_price": "1499999.999"})) == ["CHEAP"]
    assert codes(api.get(URL, {"max_price": "999999999999.99"})) == ["CHEAP", "MID", "OFF", "VILLA"]


class TestPages:
    @pytest.fixture
    def many(self):
        for n in range(55):
            UnitFactory(code=f"P-{n:03d}")

    def test_fifty_a_page(self, api, many):
        first = api.get(URL).json()

        assert first["count"] == 55
        assert len(first["results"]) == 50
        assert first["next"] == "http://testserver/api/v1/units/?page=2"

    def test_the_last_page_by_number_or_name(self, api, many):
        assert len(api.get(URL, {"page": 2}).json()["results"]) == 5
        assert api.get(URL, {"page": "last"}).json()["results"][-1]["code"] == "P-054"

    def test_a_page_past_the_last_is_404(self, api, many):
        response = api.get(URL, {"page": 3})

        assert response.status_code == 404
        assert response.json() == {"detail": "Invalid page."}
