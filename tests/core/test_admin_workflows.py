"""Admin workflows clicked through as staff would: every step goes through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from realestate.finance.models import Expense, LateFeePolicy, OwnerStatement, Payment, Receivable
from realestate.leasing.models import Lease, MaintenanceRequest, RentCharge
from realestate.sales.models import Commission, Reservation, SaleContract
from tests.factories import (
    AgentFactory,
    ClientFactory,
    PaymentPlanFactory,
    ProjectFactory,
    ReceivableFactory,
    SuperUserFactory,
    UnitFactory,
    UserFactory,
    VendorFactory,
)


@pytest.fixture
def su(db):
    return SuperUserFactory(username="root")


@pytest.fixture
def c(client, su):
    client.force_login(su)
    return client


def msgs(resp):
    return [str(m) for m in resp.context["messages"]] if resp.context else []


def dialog(c, url, **data):
    return c.post(url, {"_form_submitted": "on", **data}, HTTP_HX_REQUEST="true")


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
        {"discount": "20000", "co_buyers": [], "plan": plan.pk, "agent": seller.pk,
         "buyer": buyer.pk}
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


def test_leasing_flow(c):
    unit = UnitFactory(
        purpose="rent", list_price=None, monthly_rent=Decimal("8000"), status="available"
    )
    tenant = ClientFactory()
    start = timezone.localdate().replace(day=1)
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    data = {
        "unit": unit.pk,
        "tenant": tenant.pk,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "term_type": "fixed",
        "monthly_rent": "8000",
        "billing_frequency": "monthly",
        "billing_day": "1",
        "deposit_amount": "8000",
        "escalation_percent": "5",
        "notes": "",
    }
    r = c.post(reverse("admin:leasing_lease_add"), data)
    assert r.status_code == 302, r.context["adminform"].form.errors
    lease = Lease.objects.get()
    assert lease.status == "draft"
    # overlapping second lease refused on the form
    r = c.post(reverse("admin:leasing_lease_add"), data)
    assert r.status_code == 200 and Lease.objects.count() == 1
    assert "already let" in str(r.context["adminform"].form.errors)
    r = dialog(c, reverse("admin:leasing_lease_activate", args=[lease.pk]))
    lease.refresh_from_db()
    assert lease.status == "active"
    assert RentCharge.objects.filter(lease=lease).count() == 12
    # invoice the first month, then change the rent: only unbilled periods change
    from realestate.leasing.services import rent_invoices_issue

    rent_invoices_issue(month=start)
    change = reverse("admin:leasing_lease_change", args=[lease.pk])
    r = c.get(change)
    assert r.status_code == 200
    data2 = dict(data)
    data2.pop("unit")
    data2.pop("tenant")
    data2.pop("deposit_amount")
    data2["monthly_rent"] = "9000"
    for prefix in ("rent_charges", "deposit_movements"):
        data2.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    r = c.post(change, data2)
    assert r.status_code == 302, r.context["adminform"].form.errors
    amounts = list(
        RentCharge.objects.filter(lease=lease)
        .order_by("period_start")
        .values_list("amount", flat=True)
    )
    assert amounts[0] == Decimal("8000.00") and amounts[1] == Decimal("9000.00"), amounts
    # deposit movement
    r = dialog(
        c,
        reverse("admin:leasing_lease_receive_deposit", args=[lease.pk]),
        amount="8000",
        on=start.isoformat(),
        note="",
    )
    assert lease.deposit_movements.count() == 1
    r = dialog(
        c,
        reverse("admin:leasing_lease_release_deposit", args=[lease.pk]),
        movement="returned",
        amount="9000",
        on=start.isoformat(),
        note="",
    )
    assert lease.deposit_movements.count() == 1
    # renew
    r = dialog(c, reverse("admin:leasing_lease_renew", args=[lease.pk]))
    renewal = Lease.objects.get(renewed_from=lease)
    assert r["HX-Redirect"].endswith(f"/{renewal.pk}/change/")
    # terminate needs reason
    dialog(
        c,
        reverse("admin:leasing_lease_terminate", args=[lease.pk]),
        reason="",
        on=start.isoformat(),
    )
    lease.refresh_from_db()
    assert lease.status == "active"
    dialog(
        c,
        reverse("admin:leasing_lease_terminate", args=[lease.pk]),
        reason="Tenant left",
        on=(start + timedelta(days=40)).isoformat(),
    )
    lease.refresh_from_db()
    assert lease.status == "terminated"
    assert c.get(change).status_code == 200
    assert c.post(change, data2).status_code == 403


def test_maintenance_flow(c):
    unit = UnitFactory()
    vendor = VendorFactory()
    r = c.post(
        reverse("admin:leasing_maintenancerequest_add"),
        {
            "unit": unit.pk,
            "category": "plumbing",
            "priority": "high",
            "title": "Leak",
            "description": "",
            "vendor": "",
            "reported_by_client": "",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 302, r.context["adminform"].form.errors
    job = MaintenanceRequest.objects.get()
    assert job.number.startswith("MR-")
    change = reverse("admin:leasing_maintenancerequest_change", args=[job.pk])
    base = {
        "category": "plumbing",
        "priority": "high",
        "title": "Leak",
        "description": "",
        "reported_by_client": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    r = c.post(change, {**base, "vendor": vendor.pk, "move_to": "in_progress", "job_cost": ""})
    assert r.status_code == 302, r.context["adminform"].form.errors
    job.refresh_from_db()
    assert job.status == "in_progress" and job.vendor == vendor
    r = c.post(change, {**base, "vendor": vendor.pk, "move_to": "", "job_cost": "300"})
    assert r.status_code == 200
    r = c.post(change, {**base, "vendor": vendor.pk, "move_to": "completed", "job_cost": "300"})
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == "completed" and job.cost == Decimal("300.00")
    assert Expense.objects.get().amount == Decimal("300.00")
    assert c.get(change).status_code == 200
    exp = Expense.objects.get()
    assert c.get(reverse("admin:finance_expense_change", args=[exp.pk])).status_code == 200


def test_payment_flow(c):
    client = ClientFactory()
    old = ReceivableFactory(
        client=client, amount=Decimal("300"), due_date=timezone.localdate() - timedelta(days=10)
    )
    new = ReceivableFactory(client=client, amount=Decimal("500"))
    r = c.get(reverse("admin:finance_payment_add"))
    key = r.context["adminform"].form["submit_key"].value()
    assert key and len(key) == 32
    assert (
        c.get(reverse("admin:finance_payment_add")).context["adminform"].form["submit_key"].value()
        != key
    )
    data = {
        "client": client.pk,
        "method": "transfer",
        "amount": "400",
        "received_on": timezone.localdate().isoformat(),
        "cheque_number": "",
        "cheque_bank": "",
        "cheque_date": "",
        "reference": "T1",
        "note": "",
        "submit_key": key,
    }
    r = c.post(reverse("admin:finance_payment_add"), data)
    assert r.status_code == 302
    r2 = c.post(reverse("admin:finance_payment_add"), data)
    assert r2.status_code == 302
    assert Payment.objects.count() == 1
    payment = Payment.objects.get()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == "paid" and new.amount_paid == Decimal("100.00")
    # cheque without details: form error
    bad = dict(data, method="cheque", submit_key="other")
    r = c.post(reverse("admin:finance_payment_add"), bad)
    assert r.status_code == 200 and Payment.objects.count() == 1
    change = reverse("admin:finance_payment_change", args=[payment.pk])
    r = c.get(change)
    assert r.status_code == 200
    assert c.post(change, data).status_code == 403
    r = dialog(
        c, reverse("admin:finance_payment_reverse_payment", args=[payment.pk]), reason="Bounced"
    )
    payment.refresh_from_db()
    assert payment.status == "reversed"
    old.refresh_from_db()
    assert old.amount_paid == 0
    assert c.get(change).status_code == 200
    assert c.get(reverse("admin:finance_paymentreversal_changelist")).status_code == 200
    r = c.get(reverse("admin:finance_receivable_changelist") + f"?client__id__exact={client.pk}")
    assert r.context["cl"].result_count == 2
    r = c.get(reverse("admin:clients_client_change", args=[client.pk]))
    html = r.content.decode()
    assert "2 receivable(s)" in html and "1 payment(s)" in html
    assert c.get(reverse("admin:finance_receivable_change", args=[old.pk])).status_code == 200


def test_late_fee_policy(c):
    base = {
        "name": "Default",
        "grace_days": "5",
        "method": "percent",
        "fixed_amount": "0",
        "percent": "2",
        "recurrence": "once",
        "is_active": "on",
        "project": "",
        "lease": "",
    }
    r = c.post(reverse("admin:finance_latefeepolicy_add"), base)
    assert r.status_code == 200  # no scope
    r = c.post(reverse("admin:finance_latefeepolicy_add"), {**base, "make_global": "on"})
    assert r.status_code == 302
    assert LateFeePolicy.objects.get().is_global
    r = c.post(
        reverse("admin:finance_latefeepolicy_add"), {**base, "name": "B", "make_global": "on"}
    )
    assert r.status_code == 200
    project = ProjectFactory()
    r = c.post(
        reverse("admin:finance_latefeepolicy_add"),
        {**base, "name": "P", "project": project.pk, "make_global": "on"},
    )
    assert r.status_code == 200
    r = c.post(
        reverse("admin:finance_latefeepolicy_add"), {**base, "name": "P", "project": project.pk}
    )
    assert r.status_code == 302
    assert LateFeePolicy.objects.count() == 2


def test_owner_statements(c):
    owner = ClientFactory()
    UnitFactory(owner=owner)
    url = reverse("admin:finance_ownerstatement_generate")
    r = c.get(url, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    month = timezone.localdate().replace(day=1).isoformat()
    r = dialog(c, url, month=month)
    assert r.status_code == 200 and "HX-Redirect" in r
    st = OwnerStatement.objects.get()
    assert c.get(reverse("admin:finance_ownerstatement_change", args=[st.pk])).status_code == 200
    r = c.post(
        reverse("admin:finance_ownerstatement_changelist"),
        {"action": "regenerate_selected", "_selected_action": [st.pk]},
    )
    assert r.status_code == 302


def test_history_revert_refused(c):
    unit = UnitFactory()
    h = unit.history.first()
    url = reverse("admin:properties_unit_simple_history", args=[unit.pk, h.history_id])
    assert c.get(url).status_code == 200
    assert c.post(url, {}).status_code == 403


def _png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


def test_maintenance_add_with_photos(c, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory()
    base = {
        "unit": unit.pk,
        "category": "plumbing",
        "priority": "high",
        "title": "Leak",
        "description": "",
        "vendor": "",
        "reported_by_client": "",
        "photos-TOTAL_FORMS": "1",
        "photos-INITIAL_FORMS": "0",
    }
    # invalid inline (caption without an image): nothing written, not even the request
    r = c.post(reverse("admin:leasing_maintenancerequest_add"), {**base, "photos-0-caption": "x"})
    assert r.status_code == 200
    assert MaintenanceRequest.objects.count() == 0
    r = c.post(
        reverse("admin:leasing_maintenancerequest_add"),
        {**base, "photos-0-caption": "x", "photos-0-image": _png()},
    )
    assert r.status_code == 302, r.context and r.context["errors"]
    job = MaintenanceRequest.objects.get()
    assert job.photos.count() == 1


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


def test_money_panel_hidden_without_finance_rights(client, db):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_client", "change_client", "view_unit", "change_unit"]
        )
    )
    client.force_login(user)
    cl = ClientFactory()
    r = client.get(reverse("admin:clients_client_change", args=[cl.pk]))
    assert r.status_code == 200 and "Balance and ageing" not in r.content.decode()
    unit = UnitFactory()
    r = client.get(reverse("admin:properties_unit_change", args=[unit.pk]))
    assert r.status_code == 200
    assert client.get(reverse("admin:finance_payment_changelist")).status_code == 403


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
