"""The sales admin clicked through as staff would: every step goes through the services."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from realestate.finance.models import Receivable
from realestate.sales.models import Commission, Reservation, SaleContract
from tests.admin_steps import dialog
from tests.factories import (
    AgentFactory,
    ClientFactory,
    PaymentPlanFactory,
    UnitFactory,
    UserFactory,
)


def test_sales_flow(c):
    unit = UnitFactory(list_price=Decimal("1000000.00"), status="available")
    client = ClientFactory()
    expires = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%d")
    data = {
        "unit": unit.pk,
        "client": client.pk,
        "deposit": "50000",
        "expires_at_0": expires,
        "expires_at_1": "12:00:00",
        "notes": "",
    }
    r = c.post(reverse("admin:sales_reservation_add"), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    res = Reservation.objects.get()
    assert res.number.startswith("RS-")
    unit.refresh_from_db()
    assert unit.status == "reserved"
    assert Receivable.objects.filter(reservation=res).count() == 1
    # second reservation: refused by the service, shown on the form, nothing written
    r = c.post(reverse("admin:sales_reservation_add"), data)
    assert r.status_code == 200
    assert "cannot be reserved" in str(r.context["adminform"].form.errors)
    assert Reservation.objects.count() == 1
    # change page with actions
    r = c.get(reverse("admin:sales_reservation_change", args=[res.pk]))
    assert r.status_code == 200
    assert "convert" in r.content.decode()
    # convert via dialog
    url = reverse("admin:sales_reservation_convert", args=[res.pk])
    r = c.get(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and b"dialog" in r.content
    r = dialog(c, url)
    contract = SaleContract.objects.get()
    assert r["HX-Redirect"] == reverse("admin:sales_salecontract_change", args=[contract.pk])
    assert contract.reservation == res and contract.price == Decimal("1000000.00")
    # draft contract page editable
    r = c.get(reverse("admin:sales_salecontract_change", args=[contract.pk]))
    assert r.status_code == 200
    # sign
    r = dialog(c, reverse("admin:sales_salecontract_sign", args=[contract.pk]), signing_date="")
    contract.refresh_from_db()
    assert contract.status == "signed", r
    unit.refresh_from_db()
    assert unit.status == "sold"
    res.refresh_from_db()
    assert res.status == "converted"
    total = sum(
        r.amount for r in Receivable.objects.filter(contract=contract).exclude(status="void")
    )
    assert total == contract.net_price
    r = c.get(reverse("admin:sales_salecontract_change", args=[contract.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "instalment schedule" in html.lower()
    # read-only now
    r = c.post(reverse("admin:sales_salecontract_change", args=[contract.pk]), {"price": "1"})
    assert r.status_code == 403
    # list has paid summary
    r = c.get(reverse("admin:sales_salecontract_changelist"))
    assert "Paid" in r.content.decode()
    # cancel needs reason
    r = dialog(c, reverse("admin:sales_salecontract_cancel", args=[contract.pk]), reason="")
    contract.refresh_from_db()
    assert contract.status == "signed"
    r = dialog(
        c, reverse("admin:sales_salecontract_cancel", args=[contract.pk]), reason="Buyer withdrew"
    )
    contract.refresh_from_db()
    assert contract.status == "cancelled"
    unit.refresh_from_db()
    assert unit.status == "available"
    # unit page history
    r = c.get(reverse("admin:properties_unit_change", args=[unit.pk]))
    html = r.content.decode()
    assert res.number in html and contract.number in html


def test_contract_add_with_plan_and_commission(c, su):
    AgentFactory(user=su)  # only an active agent may be a contract's agent
    unit = UnitFactory(list_price=Decimal("500000.00"), status="available", agent=su)
    plan = PaymentPlanFactory(
        down_payment_percent=Decimal("20"),
        instalment_count=4,
        handover_percent=Decimal("0"),
        grace_months=0,
    )
    buyer = ClientFactory()
    # The contract's agent earns the commission: someone else approves and pays it.
    seller = AgentFactory(user=UserFactory(username="seller")).user
    data = {
        "unit": unit.pk,
        "buyer": buyer.pk,
        "plan": plan.pk,
        "price": "500000",
        "discount": "10000",
        "commission_rate": "2",
        "signing_date": "",
        "handover_date": "",
        "notes": "",
        "agent": seller.pk,
        "down_payment_percent": "10",
        "instalment_count": "12",
        "frequency": "monthly",
        "handover_percent": "0",
        "grace_months": "0",
    }
    r = c.post(reverse("admin:sales_salecontract_add"), data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    contract = SaleContract.objects.get()
    assert contract.instalment_count == 4 and contract.down_payment_percent == 20
    assert contract.net_price == Decimal("490000.00")
    # edit draft: discount change recomputes net price
    r = c.get(reverse("admin:sales_salecontract_change", args=[contract.pk]))
    form = r.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "discount": "20000",
            "co_buyers": [],
            "plan": plan.pk,
            "agent": seller.pk,
            "buyer": buyer.pk,
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, list) or v}
    r = c.post(reverse("admin:sales_salecontract_change", args=[contract.pk]), data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    contract.refresh_from_db()
    assert contract.net_price == Decimal("480000.00")
    dialog(c, reverse("admin:sales_salecontract_sign", args=[contract.pk]))
    commission = Commission.objects.get()
    r = c.post(
        reverse("admin:sales_commission_changelist"),
        {"action": "pay_selected", "_selected_action": [commission.pk]},
    )
    commission.refresh_from_db()
    assert commission.status == "pending"
    r = c.post(
        reverse("admin:sales_commission_changelist"),
        {"action": "approve_selected", "_selected_action": [commission.pk]},
    )
    commission.refresh_from_db()
    assert commission.status == "approved"
    r = c.post(
        reverse("admin:sales_commission_changelist"),
        {"action": "pay_selected", "_selected_action": [commission.pk]},
    )
    commission.refresh_from_db()
    assert commission.status == "paid"
    assert c.get(reverse("admin:sales_commission_change", args=[commission.pk])).status_code == 200
