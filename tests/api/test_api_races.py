"""Races through the API (PostgreSQL, real threads): two agents reserving one unit, and two
requests with one idempotency key."""

from decimal import Decimal

import pytest

from realestate.core.permissions import grant
from realestate.leasing.models import MaintenanceRequest
from realestate.sales.models import Reservation
from tests.api.portal import tenancy
from tests.factories import ClientFactory, UnitFactory
from tests.races import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


def test_two_agents_racing_for_one_unit_one_wins(jwt_client, agent1, agent2):
    for n in range(ROUNDS):
        unit = UnitFactory(code=f"RACE-{n}", agent=agent1)
        grant(unit, agent2)  # both see it
        clients = {agent: ClientFactory(agent=agent) for agent in (agent1, agent2)}

        def reserve(agent, unit=unit, clients=clients):
            data = {"unit": unit.pk, "client": clients[agent].pk, "deposit": "5000.00"}
            response = jwt_client(agent).post("/api/v1/agent/reservations/", data, format="json")
            return response.status_code, response.json()

        outcomes = race(lambda: reserve(agent1), lambda: reserve(agent2))

        codes = sorted(code for code, _body in outcomes)
        assert codes == [201, 409], outcomes
        assert Reservation.objects.filter(unit=unit, status="active").count() == 1
        lost = next(body for code, body in outcomes if code == 409)
        assert lost["code"] == "unit_unavailable"
    assert Reservation.objects.filter(deposit=Decimal("5000.00")).count() == ROUNDS


def test_two_requests_with_one_key_create_once(jwt_client, roles):
    first = tenancy(1)
    api_calls = [jwt_client(first.tenant.user), jwt_client(first.tenant.user)]

    def report(api):
        response = api.post(
            "/api/v1/tenant/maintenance/",
            {"unit": first.unit.pk, "category": "plumbing", "description": "Leak"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="same-key",
        )
        return response.status_code, response.json()

    outcomes = race(*(lambda api=api: report(api) for api in api_calls))

    assert [code for code, _ in outcomes] == [201, 201], outcomes
    assert outcomes[0][1]["id"] == outcomes[1][1]["id"]
    assert MaintenanceRequest.objects.filter(title="Plumbing").count() == 1
