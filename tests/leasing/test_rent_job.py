"""The monthly rent job: one invoice per active lease period, once, in bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from realestate.core.dates import add_months, month_start
from realestate.finance.choices import ReceivableKind, ReceivableStatus
from realestate.finance.models import Receivable
from realestate.leasing import services
from realestate.leasing.choices import BillingFrequency, TermType
from realestate.leasing.models import RentCharge
from realestate.leasing.tasks import rent_invoices_issue as rent_task
from tests.factories import ClientFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = Decimal
MARCH = date(2026, 3, 1)


def lease(start=date(2026, 1, 1), end=date(2026, 12, 31), rent="8000", activate=True, **terms):
    made = services.lease_create(
        unit=UnitFactory(purpose="rent"),
        tenant=ClientFactory(),
        start_date=start,
        end_date=end,
        monthly_rent=D(rent),
        **terms,
    )
    return services.lease_activate(lease=made) if activate else made


def test_running_a_month_again_bills_a_lease_activated_after_its_run():
    """The run for a month can be repeated at any time: it bills only what is missing."""
    late = lease(start=date(2026, 3, 15), activate=False)
    assert services.rent_invoices_issue(month=MARCH) == 0
    services.lease_activate(lease=late)
    assert services.rent_invoices_issue(month=MARCH) == 1
    assert services.rent_invoices_issue(month=MARCH) == 0
    assert list(
        rent_receivables().filter(lease=late).values_list("rent_charge__period_start", flat=True)
    ) == [date(2026, 3, 15)]


def rent_receivables():
    return Receivable.objects.filter(kind=ReceivableKind.RENT)


def test_one_receivable_per_active_lease_period_in_the_month():
    monthly = lease()
    quarterly = lease(billing_frequency=BillingFrequency.QUARTERLY)  # Jan, Apr, Jul, Oct
    stub_and_full = lease(start=date(2026, 3, 10), billing_day=28)  # 10 Mar stub, 28 Mar
    draft = lease(activate=False)
    ended = lease()
    services.lease_end(lease=ended, on=date(2026, 2, 28))
    terminated = lease()
    services.lease_terminate(lease=terminated, reason="Left", on=date(2026, 2, 10))
    later = lease(start=date(2026, 4, 1))

    assert services.rent_invoices_issue(month=date(2026, 3, 17)) == 3

    issued = list(rent_receivables().select_related("rent_charge"))
    assert sorted((r.lease_id, r.rent_charge.period_start) for r in issued) == sorted(
        [
            (monthly.pk, MARCH),
            (stub_and_full.pk, date(2026, 3, 10)),
            (stub_and_full.pk, date(2026, 3, 28)),
        ]
    )
    for receivable in issued:
        charge = receivable.rent_charge
        assert receivable.amount == charge.amount
        assert receivable.due_date == charge.due_date == charge.period_start
        assert receivable.client_id == receivable.lease.tenant_id
        assert receivable.unit_id == receivable.lease.unit_id
        assert receivable.status == ReceivableStatus.OPEN
        assert receivable.number.startswith("INV-2026-")
        assert receivable.description.startswith(f"Rent {receivable.lease.number} ")
        assert receivable.amount_paid == 0
        assert receivable.issue_date == timezone.localdate()
    assert sorted(r.number for r in issued) == [
        "INV-2026-00001",
        "INV-2026-00002",
        "INV-2026-00003",
    ]
    assert rent_receivables().get(lease=monthly).description == (
        f"Rent {monthly.number} 01 Mar 2026–31 Mar 2026"
    )
    excluded = (quarterly, draft, ended, terminated, later)
    assert not rent_receivables().filter(lease__in=excluded).exists()

    assert services.rent_invoices_issue(month=MARCH) == 0
    assert rent_receivables().count() == 3

    assert services.rent_invoices_issue(month=date(2026, 4, 1)) == 4  # quarterly's turn
    assert rent_receivables().filter(lease=quarterly).get().amount == D("24000.00")
    assert sorted(
        rent_receivables()
        .filter(rent_charge__period_start__month=4)
        .values_list("number", flat=True)
    ) == [f"INV-2026-{n:05d}" for n in (4, 5, 6, 7)]


def test_periods_missing_from_the_schedule_are_laid_out_and_invoiced():
    # An open-ended lease's schedule reaches a year ahead; the job fills in later months.
    start = month_start(timezone.localdate())
    periodic = lease(start=start, end=None, term_type=TermType.PERIODIC, escalation_percent=D("10"))
    far = add_months(start, 38)  # in the lease's fourth year
    assert not RentCharge.objects.filter(lease=periodic, period_start=far).exists()

    assert services.rent_invoices_issue(month=far) == 1

    charge = RentCharge.objects.get(lease=periodic, period_start=far)
    assert charge.amount == D("10648.00")  # 8,000 escalated 10% three times
    assert charge.receivable.amount == D("10648.00")
    assert charge.receivable.number == f"INV-{far.year}-00001"
    assert services.rent_invoices_issue(month=far) == 0
    assert RentCharge.objects.filter(lease=periodic, period_start=far).count() == 1


def test_the_scheduled_task_reports_its_count(monkeypatch):
    lease(start=date(2026, 1, 1))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2026, 5, 20))

    assert rent_task() == "1 rent invoice(s) issued"
    assert rent_task() == "0 rent invoice(s) issued"


def _issue_counting_queries(month):
    with CaptureQueriesContext(connection) as queries:
        issued = services.rent_invoices_issue(month=month)
    return issued, len(queries.captured_queries)


@pytest.mark.parametrize("term", ["fixed", "periodic"])
def test_query_count_does_not_grow_with_the_number_of_leases(term):
    if term == "fixed":
        make = lease
        first_month, second_month = date(2026, 3, 1), date(2026, 4, 1)
    else:  # beyond the laid-out schedule: the job computes and inserts the charges too

        def make():
            return lease(start=date(2026, 1, 1), end=None, term_type=TermType.PERIODIC)

        first_month = add_months(month_start(timezone.localdate()), 24)
        second_month = add_months(first_month, 1)

    for _ in range(3):
        make()
    issued_for_3, queries_for_3 = _issue_counting_queries(first_month)
    for _ in range(27):
        make()
    issued_for_30, queries_for_30 = _issue_counting_queries(second_month)

    assert (issued_for_3, issued_for_30) == (3, 30)
    assert queries_for_3 == queries_for_30
    assert queries_for_30 < 20
