"""Late fees: the most specific policy wins, grace is respected, and each fee is charged once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from realestate.core.dates import add_months
from realestate.finance import selectors, services
from realestate.finance.choices import (
    LateFeeMethod,
    LateFeeRecurrence,
    PaymentMethod,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import LateFeePolicy, Receivable
from realestate.finance.services import AllocationRequest
from realestate.finance.tasks import late_fees_apply as late_fees_task
from realestate.leasing.services import lease_create
from tests.factories import ClientFactory, LateFeePolicyFactory, ProjectFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate()
DUE = TODAY + timedelta(days=1)  # not yet overdue when issued


def global_policy(**fields):
    fields = {"grace_days": 5, "method": LateFeeMethod.FIXED, "fixed_amount": D("50"), **fields}
    return LateFeePolicyFactory(name="Company default", project=None, is_global=True, **fields)


def charge(amount="1000", client=None, due=DUE, **links):
    return services.receivable_create(
        client=client or ClientFactory(),
        kind=ReceivableKind.RENT,
        amount=D(amount),
        due_date=due,
        description="Rent",
        **links,
    )


def fees(receivable=None):
    queryset = Receivable.objects.filter(kind=ReceivableKind.LATE_FEE)
    return queryset.filter(parent=receivable) if receivable else queryset


# --- policy resolution --------------------------------------------------------------------
@pytest.fixture
def let_unit():
    project = ProjectFactory()
    unit = UnitFactory(project=project, purpose="rent")
    lease = lease_create(
        unit=unit,
        tenant=ClientFactory(),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        monthly_rent=D("5000"),
    )
    return project, unit, lease


def test_the_most_specific_policy_wins(let_unit):
    project, unit, lease = let_unit
    receivable = charge(unit=unit, lease=lease, client=lease.tenant)
    assert services.late_fee_policy_for(receivable) is None

    company = global_policy()
    assert services.late_fee_policy_for(receivable) == company

    by_project = LateFeePolicyFactory(name="Project", project=project)
    assert services.late_fee_policy_for(receivable) == by_project

    by_lease = LateFeePolicyFactory(name="Lease", project=None, lease=lease)
    assert services.late_fee_policy_for(receivable) == by_lease

    by_lease.is_active = False
    by_lease.save()
    assert services.late_fee_policy_for(receivable) == by_project


def test_policies_of_other_projects_and_leases_do_not_apply(let_unit):
    _project, unit, lease = let_unit
    company = global_policy()
    LateFeePolicyFactory(name="Elsewhere", project=ProjectFactory())
    other_lease = lease_create(
        unit=UnitFactory(purpose="rent"),
        tenant=ClientFactory(),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        monthly_rent=D("1"),
    )
    LateFeePolicyFactory(name="Other lease", project=None, lease=other_lease)

    assert services.late_fee_policy_for(charge(unit=unit, lease=lease)) == company
    # A charge with no unit at all falls to the company default.
    assert services.late_fee_policy_for(charge()) == company


# --- amounts ------------------------------------------------------------------------------
def test_fixed_and_percent_amounts():
    fixed = LateFeePolicy(method=LateFeeMethod.FIXED, fixed_amount=D("75.5"), percent=D("9"))
    percent = LateFeePolicy(method=LateFeeMethod.PERCENT, fixed_amount=D("75"), percent=D("2"))

    assert services.late_fee_amount(fixed, D("1234.56")) == D("75.50")
    assert services.late_fee_amount(percent, D("1234.56")) == D("24.69")
    assert services.late_fee_amount(percent, D("0.24")) == D("0.00")


def test_percent_fee_is_charged_on_what_is_still_unpaid():
    global_policy(method=LateFeeMethod.PERCENT, percent=D("2"))
    receivable = charge("1000")
    services.payment_post(
        client=receivable.client,
        amount=D("400"),
        method=PaymentMethod.CASH,
        received_on=TODAY,
        allocations=[AllocationRequest(receivable, D("400"))],
    )

    assert services.late_fees_apply(today=DUE + timedelta(days=6)) == 1

    fee = fees(receivable).get()
    assert fee.amount == D("12.00")
    assert (fee.client, fee.late_fee_period, fee.due_date) == (
        receivable.client,
        1,
        DUE + timedelta(days=6),
    )
    assert fee.description == f"Late fee on {receivable.number}"


def test_fee_carries_the_unit_and_lease(let_unit):
    _project, unit, lease = let_unit
    global_policy()
    receivable = charge(unit=unit, lease=lease, client=lease.tenant)

    services.late_fees_apply(today=DUE + timedelta(days=10))

    fee = fees(receivable).get()
    assert (fee.unit, fee.lease, fee.client, fee.amount) == (unit, lease, lease.tenant, D("50"))


# --- grace and recurrence -----------------------------------------------------------------
def test_grace_days_are_respected():
    global_policy(grace_days=5)
    receivable = charge()

    assert services.late_fees_apply(today=DUE) == 0  # due today: not late
    assert services.late_fees_apply(today=DUE + timedelta(days=5)) == 0  # last day of grace
    assert not fees().exists()
    assert services.late_fees_apply(today=DUE + timedelta(days=6)) == 1
    assert fees(receivable).count() == 1


def test_once_is_charged_once_however_long_it_stays_overdue():
    global_policy(recurrence=LateFeeRecurrence.ONCE)
    receivable = charge()

    assert services.late_fees_apply(today=DUE + timedelta(days=6)) == 1
    assert services.late_fees_apply(today=DUE + timedelta(days=200)) == 0
    assert fees(receivable).count() == 1


def test_per_period_charges_one_fee_per_month_overdue():
    global_policy(recurrence=LateFeeRecurrence.PER_PERIOD, grace_days=5)
    receivable = charge()
    first_late_day = DUE + timedelta(days=6)

    # Three months into being overdue: three fees at once.
    assert services.late_fees_apply(today=add_months(first_late_day, 2)) == 3

    assert sorted(fees(receivable).values_list("late_fee_period", flat=True)) == [1, 2, 3]
    assert fees(receivable).filter(description__endswith="(month 3)").count() == 1
    assert services.late_fees_apply(today=add_months(first_late_day, 2)) == 0
    assert services.late_fees_apply(today=add_months(first_late_day, 3) - timedelta(days=1)) == 0
    assert services.late_fees_apply(today=add_months(first_late_day, 3)) == 1
    assert fees(receivable).count() == 4


def test_per_period_one_month_at_a_time():
    global_policy(recurrence=LateFeeRecurrence.PER_PERIOD, grace_days=0)
    receivable = charge()
    first_late_day = DUE + timedelta(days=1)

    created = [
        services.late_fees_apply(today=add_months(first_late_day, month)) for month in range(3)
    ]

    assert created == [1, 1, 1]
    assert fees(receivable).count() == 3


def test_running_twice_creates_nothing_more():
    global_policy(method=LateFeeMethod.PERCENT, percent=D("5"))
    receivables = [charge(amount) for amount in ("100", "200", "300")]
    late = DUE + timedelta(days=30)

    assert services.late_fees_apply(today=late) == 3
    assert services.late_fees_apply(today=late) == 0
    assert sorted(fees().values_list("amount", flat=True)) == [D("5"), D("10"), D("15")]
    assert {fee.parent_id for fee in fees()} == {r.pk for r in receivables}


def test_paid_void_and_late_fee_receivables_get_no_fee():
    global_policy(recurrence=LateFeeRecurrence.PER_PERIOD)
    paid = charge("100")
    services.payment_post(
        client=paid.client, amount=D("100"), method=PaymentMethod.CASH, received_on=TODAY
    )
    void = charge("100")
    services.receivables_void(Receivable.objects.filter(pk=void.pk))
    owed = charge("100")

    assert services.late_fees_apply(today=DUE + timedelta(days=10)) == 1
    # The fee itself falls overdue later, but fees are not charged on fees.
    assert services.late_fees_apply(today=DUE + timedelta(days=60)) == 1
    assert set(fees().values_list("parent_id", flat=True)) == {owed.pk}


def test_no_policy_no_fee():
    charge()
    assert services.late_fees_apply(today=DUE + timedelta(days=90)) == 0


def test_the_scheduled_task_reports_its_count(monkeypatch):
    global_policy()
    charge()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: DUE + timedelta(days=10))

    assert late_fees_task() == "1 late fee(s) charged"
    assert late_fees_task() == "0 late fee(s) charged"


# --- overdue ------------------------------------------------------------------------------
def test_receivables_mark_overdue():
    client = ClientFactory()
    open_ = charge("100", client=client)
    partial = charge("100", client=client)
    paid = charge("100", client=client)
    later = charge("100", client=client, due=DUE + timedelta(days=30))
    void = charge("100", client=client)
    services.payment_post(
        client=client,
        amount=D("130"),
        method=PaymentMethod.CASH,
        received_on=TODAY,
        allocations=[AllocationRequest(paid, D("100")), AllocationRequest(partial, D("30"))],
    )
    services.receivables_void(Receivable.objects.filter(pk=void.pk))

    assert services.receivables_mark_overdue(today=DUE) == 0  # due today is not overdue
    assert services.receivables_mark_overdue(today=DUE + timedelta(days=1)) == 2

    statuses = dict(Receivable.objects.values_list("pk", "status"))
    assert statuses[open_.pk] == ReceivableStatus.OVERDUE
    assert statuses[partial.pk] == ReceivableStatus.OVERDUE
    assert statuses[paid.pk] == ReceivableStatus.PAID
    assert statuses[later.pk] == ReceivableStatus.OPEN
    assert statuses[void.pk] == ReceivableStatus.VOID
    assert services.receivables_mark_overdue(today=DUE + timedelta(days=1)) == 0
    balance = selectors.client_balance(client, today=DUE + timedelta(days=1))
    assert balance["overdue"] == D("170")
