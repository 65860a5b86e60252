"""Admin building blocks clicked through as staff would: history, plain edits."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from realestate.sales.models import Reservation
from tests.factories import (
    AgentFactory,
    ClientFactory,
    UnitFactory,
)


def test_history_revert_refused(c):
    unit = UnitFactory()
    h = unit.history.first()
    url = reverse("admin:properties_unit_simple_history", args=[unit.pk, h.history_id])
    assert c.get(url).status_code == 200
    assert c.post(url, {}).status_code == 403


def test_plain_edits_write_only_their_fields(c, su):
    from realestate.sales.services import reservation_create

    AgentFactory(user=su)  # only an active agent may be a reservation's agent
    unit = UnitFactory(list_price=Decimal("900000"), status="available")
    res = reservation_create(
        unit=unit,
        client=ClientFactory(),
        deposit=Decimal("1000"),
        expires_at=timezone.now() + timedelta(days=3),
    )
    change = reverse("admin:sales_reservation_change", args=[res.pk])
    r = c.get(change)
    assert set(r.context["adminform"].form.fields) >= {"agent", "notes"}
    # the reservation is cancelled by someone else after the page was opened
    Reservation.objects.filter(pk=res.pk).update(status="cancelled")
    r = c.post(change, {"agent": su.pk, "notes": "Called the client"})
    # closed now: the page is read-only, the POST refused
    assert r.status_code == 403
    Reservation.objects.filter(pk=res.pk).update(status="active")
    r = c.post(change, {"agent": su.pk, "notes": "Called the client"})
    assert r.status_code == 302
    res.refresh_from_db()
    assert res.notes == "Called the client" and res.agent == su


@pytest.mark.parametrize(
    "factory,name",
    [
        ("ReservationFactory", "sales_reservation"),
        ("SaleContractFactory", "sales_salecontract"),
        ("CommissionFactory", "sales_commission"),
        ("LeaseFactory", "leasing_lease"),
        ("MaintenanceRequestFactory", "leasing_maintenancerequest"),
        ("ReceivableFactory", "finance_receivable"),
        ("PaymentFactory", "finance_payment"),
    ],
)
def test_history_pages(c, factory, name):
    from tests import factories

    obj = getattr(factories, factory)()
    r = c.get(reverse(f"admin:{name}_history", args=[obj.pk]))
    assert r.status_code == 200
    h = obj.history.first()
    r = c.get(reverse(f"admin:{name}_simple_history", args=[obj.pk, h.history_id]))
    assert r.status_code == 200
    assert (
        c.post(reverse(f"admin:{name}_simple_history", args=[obj.pk, h.history_id]), {}).status_code
        == 403
    )
