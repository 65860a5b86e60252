"""The agents' units search by availability: status available and no deal holding the unit
(an active reservation, a draft or active lease covering the day), today or on a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from realestate.leasing.choices import LeaseStatus
from realestate.properties.choices import UnitStatus
from realestate.sales.choices import ReservationStatus
from tests.factories import LeaseFactory, ReservationFactory, UnitFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/units/"


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {unit["code"] for unit in response.json()["results"]}


@pytest.fixture
def stock(agent1, agent2):
    """agent1's units: one free, one let from day 10 to day 99 by a draft lease, one held by
    a reservation expiring in three days, one reserved, one off the market, one whose lease
    ended, one with a cancelled reservation; agent2's free unit, which agent1 never sees."""
    today = timezone.localdate()
    units = {
        code: UnitFactory(code=code, agent=agent1, status=status)
        for code, status in [
            ("FREE", UnitStatus.AVAILABLE),
            ("LET-LATER", UnitStatus.AVAILABLE),
            ("HELD", UnitStatus.AVAILABLE),
            ("RESERVED", UnitStatus.RESERVED),
            ("OFF", UnitStatus.OFF_MARKET),
            ("WAS-LET", UnitStatus.AVAILABLE),
            ("UNHELD", UnitStatus.AVAILABLE),
        ]
    }
    UnitFactory(code="THEIRS", agent=agent2)
    LeaseFactory(
        unit=units["LET-LATER"],
        status=LeaseStatus.DRAFT,
        start_date=today + timedelta(days=10),
        end_date=today + timedelta(days=99),
    )
    LeaseFactory(
        unit=units["WAS-LET"],
        status=LeaseStatus.ENDED,
        start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=30),
    )
    ReservationFactory(unit=units["HELD"], expires_at=timezone.now() + timedelta(days=3))
    ReservationFactory(unit=units["RESERVED"])
    ReservationFactory(unit=units["UNHELD"], status=ReservationStatus.CANCELLED)
    return today


def test_available_today_is_free_and_held_by_no_deal(jwt_client, agent1, stock):
    api = jwt_client(agent1)

    assert codes(api.get(URL, {"available": "true"})) == {"FREE", "LET-LATER", "WAS-LET", "UNHELD"}
    assert codes(api.get(URL, {"available": "false"})) == {"HELD", "RESERVED", "OFF"}


@pytest.mark.parametrize(
    "days, free",
    [
        (0, {"FREE", "LET-LATER", "WAS-LET", "UNHELD"}),
        (3, {"FREE", "LET-LATER", "WAS-LET", "UNHELD"}),  # held to the day it expires
        (4, {"FREE", "LET-LATER", "HELD", "WAS-LET", "UNHELD"}),
        (10, {"FREE", "HELD", "WAS-LET", "UNHELD"}),  # the lease's first day
        (99, {"FREE", "HELD", "WAS-LET", "UNHELD"}),  # its last day
        (100, {"FREE", "LET-LATER", "HELD", "WAS-LET", "UNHELD"}),
    ],
)
def test_available_on_a_day(jwt_client, agent1, stock, days, free):
    day = stock + timedelta(days=days)

    assert codes(jwt_client(agent1).get(URL, {"available_on": day.isoformat()})) == free


def test_availability_combines_with_the_other_filters(jwt_client, agent1, stock):
    response = jwt_client(agent1).get(URL, {"available": "true", "status": "available"})

    assert codes(response) == {"FREE", "LET-LATER", "WAS-LET", "UNHELD"}
    far = jwt_client(agent1).get(URL, {"available_on": "9999-12-31"})
    assert codes(far) == {"FREE", "LET-LATER", "HELD", "WAS-LET", "UNHELD"}
    # the calendar's ends (no UTC of their own) are days too: a reservation runs over the first
    assert codes(jwt_client(agent1).get(URL, {"available_on": "0001-01-01"})) == codes(far) - {
        "HELD"
    }


@pytest.mark.parametrize("query", [{"available": "yes"}, {"available_on": "next week"}])
def test_a_bad_availability_is_refused_naming_it(jwt_client, agent1, stock, query):
    response = jwt_client(agent1).get(URL, query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == set(query)
