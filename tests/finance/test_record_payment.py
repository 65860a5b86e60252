""" "Record payment" from an invoice, a contract or a lease: the payment form opens for the
record's client, aimed at its invoices."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from realestate.accounts.roles import ACCOUNTANT, SALES_AGENT
from realestate.finance import services as finance
from realestate.finance.models import Payment
from realestate.sales import services as sales
from tests.factories import AgentFactory, ClientFactory, ReceivableFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountant(roles):
    return UserFactory(username="books", roles=[ACCOUNTANT])


@pytest.fixture
def signed_contract():
    buyer = ClientFactory()
    draft = sales.contract_create(
        unit=UnitFactory(),
        buyer=buyer,
        price=Decimal("300000"),
        signing_date=timezone.localdate() - timedelta(days=100),
        terms={
            "down_payment_percent": Decimal("10"),
            "instalment_count": 3,
            "frequency": "monthly",
            "handover_percent": Decimal("0"),
            "grace_months": 0,
        },
    )
    return sales.contract_sign(contract=draft)


def test_contract_page_opens_the_payment_form_aimed_at_its_invoices(
    client, accountant, signed_contract
):
    buyer = signed_contract.buyer
    # An older invoice of the same client, not on this contract.
    older = ReceivableFactory(
        client=buyer, amount=Decimal("500.00"), due_date=timezone.localdate() - timedelta(days=400)
    )
    client.force_login(accountant)
    button = reverse("admin:sales_salecontract_record_payment", args=[signed_contract.pk])
    page = client.get(reverse("admin:sales_salecontract_change", args=[signed_contract.pk]))
    assert button in page.content.decode()

    response = client.get(button)
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == reverse("admin:finance_payment_add")
    query = parse_qs(target.query)
    instalments = list(signed_contract.receivables.order_by("due_date", "pk"))
    assert query["client"] == [str(buyer.pk)]
    assert query["invoices"][0].split(",") == [str(r.pk) for r in instalments]

    form = client.get(response["Location"]).context["adminform"].form
    assert form.initial["client"] == str(buyer.pk)
    assert form.initial["amount"] == sum(r.balance for r in instalments)
    assert {r.pk for r in form.fields["invoices"].queryset} == {older.pk} | {
        r.pk for r in instalments
    }

    # Paying the first two instalments and a little more: the chosen invoices first, oldest
    # due date first, then the client's other invoices, oldest first (the older one, then the
    # next instalment).
    first, second, third = instalments[:3]
    amount = first.amount + second.amount + Decimal("600.00")
    posted = client.post(
        reverse("admin:finance_payment_add"),
        {
            "client": buyer.pk,
            "method": "transfer",
            "amount": str(amount),
            "received_on": timezone.localdate().isoformat(),
            "invoices": [first.pk, second.pk],
            "reference": "",
            "note": "",
            "submit_key": "k-1",
            "allocations-TOTAL_FORMS": "0",
            "allocations-INITIAL_FORMS": "0",
        },
    )
    assert posted.status_code == 302, posted.context["adminform"].form.errors
    payment = Payment.objects.get()
    paid = {a.receivable_id: a.amount for a in payment.allocations.all()}
    assert paid == {
        first.pk: first.amount,
        second.pk: second.amount,
        older.pk: Decimal("500.00"),
        third.pk: Decimal("100.00"),
    }
    assert payment.unallocated == Decimal("0.00")


def test_invoice_page_aims_at_that_invoice_only(client, accountant, signed_contract):
    last = signed_contract.receivables.order_by("-due_date").first()
    client.force_login(accountant)
    response = client.get(reverse("admin:finance_receivable_record_payment", args=[last.pk]))
    assert parse_qs(urlparse(response["Location"]).query)["invoices"] == [str(last.pk)]


def test_nothing_due_means_no_button(client, accountant, signed_contract):
    for receivable in signed_contract.receivables.all():
        finance.payment_post(
            client=signed_contract.buyer,
            amount=receivable.balance,
            method="cash",
            received_on=timezone.localdate(),
            allocations=[finance.AllocationRequest(receivable, receivable.balance)],
        )
    client.force_login(accountant)
    page = client.get(reverse("admin:sales_salecontract_change", args=[signed_contract.pk]))
    assert "record-payment" not in page.content.decode()


def test_those_who_may_not_post_payments_get_no_button(client, roles, signed_contract):
    agent = UserFactory(username="seller", roles=[SALES_AGENT])
    AgentFactory(user=agent)
    signed_contract.agent = agent
    signed_contract.save()
    client.force_login(agent)
    page = client.get(reverse("admin:sales_salecontract_change", args=[signed_contract.pk]))
    assert page.status_code == 200
    assert "record-payment" not in page.content.decode()
    response = client.get(
        reverse("admin:sales_salecontract_record_payment", args=[signed_contract.pk])
    )
    assert response.status_code == 403
