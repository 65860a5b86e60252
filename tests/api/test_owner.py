"""An owner's endpoints: units with occupancy, lease summary and rent collected;
statements; maintenance on their units."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import AllocationFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def ok(response):
    assert response.status_code == 200, response.content
    return response.json()


def test_units_with_occupancy_lease_summary_and_rent_collected(jwt_client, first, second):
    earlier = PaymentFactory(
        client=first.tenant.client,
        amount=Decimal("1000.00"),
        received_on=timezone.localdate().replace(month=1, day=1),
    )
    AllocationFactory(payment=earlier, receivable=first.invoices[1], amount=Decimal("1000.00"))

    body = ok(jwt_client(first.owner.user).get("/api/v1/owner/units/"))

    rows = {row["code"]: row for row in body["results"]}
    assert set(rows) == {"LET-1", "OLD-1"}
    let = rows["LET-1"]
    assert let["occupancy"] == "occupied" and let["status"] == "leased"
    assert let["current_lease"] == {
        "number": first.lease.number,
        "tenant": "Tenant 1",
        "start_date": str(first.lease.start_date),
        "end_date": str(first.lease.end_date),
        "monthly_rent": "9000.00",
        "currency": "AED",
    }
    today = timezone.localdate()
    assert let["collected_this_month"] == ("6000.00" if today.month == 1 else "5000.00")
    assert let["collected_this_year"] == "6000.00"
    assert rows["OLD-1"]["occupancy"] == "vacant" and rows["OLD-1"]["current_lease"] is None
    assert rows["OLD-1"]["collected_this_year"] == "0.00"


def test_the_lease_summary_names_the_tenant_only(jwt_client, first):
    body = ok(jwt_client(first.owner.user).get(f"/api/v1/owner/units/{first.unit.pk}/"))
    text = str(body)

    assert first.tenant.client.phone not in text and first.tenant.client.email not in text


def test_statements_with_net_payable(jwt_client, first, second):
    body = ok(jwt_client(first.owner.user).get("/api/v1/owner/statements/"))

    assert [s["id"] for s in body["results"]] == [first.statement.pk]
    assert body["results"][0]["net_payable"] == "8750.00"
    year = first.statement.period_start.year
    assert (
        ok(jwt_client(first.owner.user).get("/api/v1/owner/statements/", {"year": year}))["count"]
        == 1
    )


def test_maintenance_on_their_units_with_status_and_cost(jwt_client, first, second):
    body = ok(jwt_client(first.owner.user).get("/api/v1/owner/maintenance/"))

    assert [(r["number"], r["status"], r["cost"]) for r in body["results"]] == [
        (first.request.number, "open", "350.00")
    ]
    assert "comments" not in body["results"][0]


def test_a_tenant_who_owns_nothing_sees_no_units(jwt_client, first):
    assert ok(jwt_client(first.tenant.user).get("/api/v1/owner/units/"))["count"] == 0
