"""Owner statements: rent collected on the owner's units in the month, fee, expenses, net."""

from datetime import date
from decimal import Decimal

import pytest

from realestate.finance import services
from realestate.finance.choices import PaymentMethod, ReceivableKind
from realestate.finance.models import OwnerStatement, Receivable
from realestate.finance.services import AllocationRequest
from realestate.finance.tasks import owner_statements_generate
from realestate.leasing.services import lease_activate, lease_create, rent_invoices_issue
from tests.factories import ClientFactory, ExpenseFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = Decimal
MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def let(unit, rent, deposit="0"):
    lease = lease_create(
        unit=unit,
        tenant=ClientFactory(),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        monthly_rent=D(rent),
        deposit_amount=D(deposit),
    )
    return lease_activate(lease=lease)


def rent_of(lease, month):
    return Receivable.objects.get(
        lease=lease, kind=ReceivableKind.RENT, rent_charge__period_start=month
    )


def pay(receivable, amount, on):
    return services.payment_post(
        client=receivable.client,
        amount=D(amount),
        method=PaymentMethod.TRANSFER,
        received_on=on,
        allocations=[AllocationRequest(receivable, D(amount))],
    )


@pytest.fixture
def books():
    owner = ClientFactory(name="Owner One", management_fee_percent=D("7.50"))
    other_owner = ClientFactory(name="Owner Two")
    unit_a = UnitFactory(code="A-1", owner=owner, purpose="rent")
    unit_b = UnitFactory(code="B-2", owner=owner, purpose="rent")
    unit_c = UnitFactory(code="C-3", owner=other_owner, purpose="rent")
    lease_a, lease_b, lease_c = (
        let(unit_a, "8000", deposit="8000"),
        let(unit_b, "5000"),
        let(unit_c, "6000"),
    )
    rent_invoices_issue(month=MARCH)
    rent_invoices_issue(month=APRIL)

    pay(rent_of(lease_a, MARCH), "8000", date(2026, 3, 5))
    pay(
        Receivable.objects.get(lease=lease_a, kind=ReceivableKind.DEPOSIT), "8000", date(2026, 3, 5)
    )  # a deposit is not rent
    pay(rent_of(lease_b, MARCH), "3000", date(2026, 3, 5))
    bounced = pay(rent_of(lease_b, MARCH), "1000", date(2026, 3, 20))
    services.payment_reverse(payment=bounced, reason="Cheque bounced")
    pay(rent_of(lease_b, MARCH), "2000", date(2026, 4, 2))  # received in April
    pay(rent_of(lease_c, MARCH), "6000", date(2026, 3, 6))  # another owner's unit
    pay(rent_of(lease_a, APRIL), "500", date(2026, 3, 31))  # paid ahead, received in March

    ExpenseFactory(unit=unit_a, amount=D("750"), incurred_on=date(2026, 3, 12))
    ExpenseFactory(unit=unit_b, amount=D("99"), incurred_on=date(2026, 4, 1))
    ExpenseFactory(unit=unit_c, amount=D("300"), incurred_on=date(2026, 3, 12))
    return owner, other_owner, {"a": lease_a, "b": lease_b, "c": lease_c}


def test_statement_figures(books):
    owner, _other, _leases = books

    statement = services.owner_statement_generate(owner=owner, month=date(2026, 3, 17))

    assert (statement.period_start, statement.period_end) == (MARCH, date(2026, 3, 31))
    assert statement.rent_collected == D("11500.00")  # 8,000 + 500 on A, 3,000 on B
    assert statement.management_fee_base == D("11500.00")
    assert statement.management_fee_rate == D("7.50")
    assert statement.management_fee == D("862.50")
    assert statement.expenses == D("750.00")
    assert statement.net_payable == D("9887.50")
    assert statement.lines == [
        {
            "unit": "A-1",
            "rent_collected": "8500.00",
            "management_fee": "637.50",
            "expenses": "750.00",
            "net": "7112.50",
        },
        {
            "unit": "B-2",
            "rent_collected": "3000.00",
            "management_fee": "225.00",
            "expenses": "0.00",
            "net": "2775.00",
        },
    ]


def test_fee_at_the_company_default_when_the_owner_has_none(books, settings):
    settings.MANAGEMENT_FEE_PERCENT = D("4.00")
    _owner, other_owner, _leases = books

    statement = services.owner_statement_generate(owner=other_owner, month=MARCH)

    assert statement.rent_collected == D("6000.00")
    assert statement.management_fee_rate == D("4.00")
    assert statement.management_fee == D("240.00")
    assert statement.expenses == D("300.00")
    assert statement.net_payable == D("5460.00")


def test_next_month(books):
    owner, _other, _leases = books

    statement = services.owner_statement_generate(owner=owner, month=APRIL)

    assert statement.rent_collected == D("2000.00")
    assert statement.management_fee == D("150.00")
    assert statement.expenses == D("99.00")
    assert statement.net_payable == D("1751.00")


def test_regenerating_replaces_the_figures(books):
    owner, _other, leases = books
    first = services.owner_statement_generate(owner=owner, month=MARCH)

    pay(rent_of(leases["b"], APRIL), "1000", date(2026, 3, 30))
    again = services.owner_statement_generate(owner=owner, month=MARCH)

    assert again.pk == first.pk
    assert OwnerStatement.objects.filter(owner=owner).count() == 1
    assert again.rent_collected == D("12500.00")
    assert again.management_fee == D("937.50")
    assert again.net_payable == D("10812.50")
    first.refresh_from_db()
    assert first.rent_collected == D("12500.00")


def test_a_month_without_activity_is_all_zero():
    owner = ClientFactory(management_fee_percent=D("5"))
    UnitFactory(owner=owner)

    statement = services.owner_statement_generate(owner=owner, month=date(2026, 2, 1))

    assert (
        statement.rent_collected,
        statement.management_fee,
        statement.expenses,
        statement.net_payable,
        statement.lines,
    ) == (0, 0, 0, 0, [])


def test_the_monthly_task_covers_every_owner_for_last_month(books, monkeypatch):
    owner, other_owner, _leases = books
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2026, 4, 10))

    assert owner_statements_generate() == "2 owner statement(s) for March 2026"
    assert owner_statements_generate() == "2 owner statement(s) for March 2026"

    assert sorted(OwnerStatement.objects.values_list("owner_id", "period_start")) == sorted(
        [(owner.pk, MARCH), (other_owner.pk, MARCH)]
    )
