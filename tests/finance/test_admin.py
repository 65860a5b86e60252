"""The money admin clicked through as staff would: every step goes through the services."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from realestate.finance.models import LateFeePolicy, OwnerStatement, Payment
from tests.admin_steps import dialog
from tests.factories import (
    ClientFactory,
    ProjectFactory,
    ReceivableFactory,
    UnitFactory,
    UserFactory,
)


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


def test_money_panel_hidden_without_finance_rights(client, db):
    from django.contrib.auth.models import Permission

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
