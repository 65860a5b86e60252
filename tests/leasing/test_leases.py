"""Leases: overlap, activation, mid-term changes, renewal, ending, deposits and maintenance."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from realestate.finance.choices import (
    ExpenseCategory,
    PaymentMethod,
    ReceivableKind,
    ReceivableStatus,
)
from realestate.finance.models import Expense, Receivable
from realestate.finance.services import AllocationRequest, payment_post
from realestate.leasing import selectors, services
from realestate.leasing.choices import (
    DepositMovement,
    LeaseStatus,
    MaintenanceStatus,
    TermType,
)
from realestate.leasing.models import Lease, RentCharge
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.sales.services import reservation_create
from tests.factories import ClientFactory, UnitFactory, VendorFactory

pytestmark = pytest.mark.django_db

D = Decimal
JAN_1, DEC_31 = date(2026, 1, 1), date(2026, 12, 31)


def stored_status(unit):
    return Unit.objects.values_list("status", flat=True).get(pk=unit.pk)


@pytest.fixture
def unit():
    return UnitFactory(code="FLAT-101", purpose="rent", list_price=None, monthly_rent=D("8000"))


def make_lease(unit, start=JAN_1, end=DEC_31, rent="8000", tenant=None, **terms):
    terms.setdefault("deposit_amount", D("8000"))
    return services.lease_create(
        unit=unit,
        tenant=tenant or ClientFactory(),
        start_date=start,
        end_date=end,
        monthly_rent=D(rent),
        **terms,
    )


def active_lease(unit, **kwargs):
    return services.lease_activate(lease=make_lease(unit, **kwargs))


def invoice(*months):
    return sum(services.rent_invoices_issue(month=date(2026, month, 1)) for month in months)


def charges(lease):
    return {
        charge.period_start: charge
        for charge in RentCharge.objects.filter(lease=lease).select_related("receivable")
    }


def rent_invoices(lease):
    return Receivable.objects.filter(lease=lease, kind=ReceivableKind.RENT)


# --- overlap ------------------------------------------------------------------------------
def test_overlapping_lease_is_refused(unit):
    first = make_lease(unit)

    with pytest.raises(ValidationError) as raised:
        make_lease(unit, start=date(2026, 6, 1), end=date(2027, 5, 31))

    assert raised.value.code == "lease_overlap"
    assert raised.value.messages == [
        f"Unit FLAT-101 is already let from 2026-01-01 to 2026-12-31 under {first.number}."
    ]
    assert list(Lease.objects.all()) == [first]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 6, 1), JAN_1),  # ends on the first day
        (DEC_31, date(2027, 12, 31)),  # starts on the last day
        (date(2026, 3, 1), date(2026, 3, 31)),  # inside
        (date(2025, 1, 1), date(2027, 12, 31)),  # around
    ],
)
def test_any_overlap_even_one_day_is_refused(unit, start, end):
    active_lease(unit)
    with pytest.raises(ValidationError):
        make_lease(unit, start=start, end=end)
    assert Lease.objects.count() == 1


def test_adjacent_and_other_unit_leases_are_allowed(unit):
    make_lease(unit)
    make_lease(unit, start=date(2027, 1, 1), end=date(2027, 12, 31))
    make_lease(UnitFactory(purpose="rent"))

    assert Lease.objects.filter(unit=unit).count() == 2


def test_periodic_lease_holds_the_unit_with_no_end(unit):
    make_lease(unit, start=date(2028, 1, 1), end=None, term_type=TermType.PERIODIC)

    with pytest.raises(ValidationError, match="open end"):
        make_lease(unit, start=date(2035, 1, 1), end=date(2035, 12, 31))
    make_lease(unit, start=JAN_1, end=DEC_31)


def test_terminated_lease_no_longer_holds_the_unit(unit):
    draft = make_lease(unit)
    services.lease_terminate(lease=draft, reason="Tenant never signed")

    replacement = make_lease(unit, start=date(2026, 2, 1), end=date(2027, 1, 31))
    assert replacement.status == LeaseStatus.DRAFT


def test_update_into_an_overlap_is_refused(unit):
    make_lease(unit)
    later = make_lease(unit, start=date(2027, 1, 1), end=date(2027, 12, 31))

    with pytest.raises(ValidationError):
        services.lease_update(lease=later, start_date=date(2026, 12, 1))
    later.refresh_from_db()
    assert later.start_date == date(2027, 1, 1)


def test_fixed_lease_needs_an_end_and_periodic_none(unit):
    with pytest.raises(ValidationError, match="end date"):
        make_lease(unit, end=None)
    with pytest.raises(ValidationError, match="no end date"):
        make_lease(unit, term_type=TermType.PERIODIC)
    assert not Lease.objects.exists()


# --- activation ---------------------------------------------------------------------------
def test_activation_lets_the_unit_lays_out_the_schedule_and_charges_the_deposit(unit):
    tenant = ClientFactory()
    lease = make_lease(unit, tenant=tenant, deposit_amount=D("16000"))
    assert stored_status(unit) == UnitStatus.AVAILABLE
    assert not RentCharge.objects.filter(lease=lease).exists()

    services.lease_activate(lease=lease)

    lease.refresh_from_db()
    assert lease.status == LeaseStatus.ACTIVE
    assert stored_status(unit) == UnitStatus.LEASED
    schedule = list(RentCharge.objects.filter(lease=lease).order_by("period_start"))
    assert len(schedule) == 12
    assert schedule[0].period_start == JAN_1 and schedule[-1].period_end == DEC_31
    assert {charge.amount for charge in schedule} == {D("8000.00")}
    deposit = Receivable.objects.get(lease=lease, kind=ReceivableKind.DEPOSIT)
    assert (deposit.client, deposit.amount, deposit.due_date) == (tenant, D("16000"), JAN_1)
    # Rent is invoiced month by month, not on activation.
    assert not rent_invoices(lease).exists()


def test_activation_on_an_unavailable_unit_is_refused(unit):
    lease = make_lease(unit)
    reservation_create(
        unit=unit,
        client=ClientFactory(),
        deposit=D("0"),
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )

    with pytest.raises(ValidationError, match="FLAT-101 is reserved: the lease cannot start"):
        services.lease_activate(lease=lease)
    lease.refresh_from_db()
    assert lease.status == LeaseStatus.DRAFT
    assert not RentCharge.objects.filter(lease=lease).exists()


def test_an_active_lease_cannot_be_activated_again(unit):
    lease = active_lease(unit)
    with pytest.raises(ValidationError):
        services.lease_activate(lease=lease)
    assert Receivable.objects.filter(lease=lease, kind=ReceivableKind.DEPOSIT).count() == 1


# --- changes mid-term ---------------------------------------------------------------------
def test_rent_change_regenerates_only_unbilled_periods(unit):
    lease = active_lease(unit)
    assert invoice(1, 2, 3) == 3
    before = charges(lease)
    invoiced = {
        start: (charge.pk, charge.amount, charge.receivable.amount)
        for start, charge in before.items()
        if start.month <= 3
    }

    services.lease_update(lease=lease, monthly_rent=D("9000"))

    after = charges(lease)
    assert len(after) == 12
    for start, (pk, amount, billed) in invoiced.items():
        assert (after[start].pk, after[start].amount, after[start].receivable.amount) == (
            pk,
            amount,
            billed,
        )
        assert amount == D("8000.00")
    assert {after[date(2026, m, 1)].amount for m in range(4, 13)} == {D("9000.00")}
    assert rent_invoices(lease).count() == 3

    assert invoice(4) == 1
    assert rent_invoices(lease).get(rent_charge__period_start=date(2026, 4, 1)).amount == D(
        "9000.00"
    )


def test_shortening_a_lease_drops_unbilled_periods_past_the_new_end(unit):
    lease = active_lease(unit)
    invoice(1, 2)

    services.lease_update(lease=lease, end_date=date(2026, 6, 15))

    after = charges(lease)
    assert sorted(after) == [date(2026, m, 1) for m in range(1, 7)]
    assert after[date(2026, 6, 1)].period_end == date(2026, 6, 15)
    assert after[date(2026, 6, 1)].amount == D("4000.00")


def test_a_draft_lease_update_lays_out_nothing(unit):
    lease = make_lease(unit)
    services.lease_update(lease=lease, monthly_rent=D("7000"))

    lease.refresh_from_db()
    assert lease.monthly_rent == D("7000.00")
    assert not RentCharge.objects.filter(lease=lease).exists()


# --- renewal ------------------------------------------------------------------------------
def test_renewal_is_a_linked_draft_with_escalated_rent_and_the_next_dates(unit):
    lease = active_lease(
        unit, escalation_percent=D("5"), billing_day=5, term_type=TermType.ROLLOVER
    )

    renewal = services.lease_renew(lease=lease)

    assert renewal.status == LeaseStatus.DRAFT
    assert renewal.renewed_from == lease
    assert renewal.pk != lease.pk and renewal.number != lease.number
    assert (renewal.start_date, renewal.end_date) == (date(2027, 1, 1), date(2027, 12, 31))
    assert renewal.monthly_rent == D("8400.00")
    assert (renewal.unit, renewal.tenant) == (lease.unit, lease.tenant)
    assert (renewal.billing_day, renewal.term_type, renewal.escalation_percent) == (
        5,
        TermType.ROLLOVER,
        D("5"),
    )
    # The deposit stays held on the original lease: the renewal does not charge it again.
    assert renewal.deposit_amount == D("0")
    with pytest.raises(ValidationError, match="already been renewed"):
        services.lease_renew(lease=lease)


def test_renewal_of_a_mid_month_lease_keeps_its_length(unit):
    lease = active_lease(unit, start=date(2026, 3, 15), end=date(2027, 3, 14))

    renewal = services.lease_renew(lease=lease)

    assert (renewal.start_date, renewal.end_date) == (date(2027, 3, 15), date(2028, 3, 14))


def test_a_draft_lease_cannot_be_renewed(unit):
    with pytest.raises(ValidationError, match="active or ended"):
        services.lease_renew(lease=make_lease(unit))


def test_activating_a_renewal_while_the_old_lease_runs_keeps_the_unit_leased(unit):
    lease = active_lease(unit)
    renewal = services.lease_renew(lease=lease)

    services.lease_activate(lease=renewal)

    renewal.refresh_from_db()
    assert renewal.status == LeaseStatus.ACTIVE
    assert stored_status(unit) == UnitStatus.LEASED
    assert RentCharge.objects.filter(lease=renewal).count() == 12

    services.lease_end(lease=lease)

    lease.refresh_from_db()
    assert lease.status == LeaseStatus.ENDED
    assert stored_status(unit) == UnitStatus.LEASED  # the renewal holds it


# --- ending -------------------------------------------------------------------------------
@pytest.mark.parametrize("close", ["end", "terminate"])
def test_ending_early_frees_the_unit_and_bills_nothing_after(unit, close):
    tenant = ClientFactory()
    lease = active_lease(unit, tenant=tenant)
    invoice(1, 2, 3, 4, 5, 6, 7, 8)
    august = rent_invoices(lease).get(rent_charge__period_start=date(2026, 8, 1))
    june = rent_invoices(lease).get(rent_charge__period_start=date(2026, 6, 1))
    payment_post(
        client=tenant,
        amount=D("100"),
        method=PaymentMethod.CASH,
        received_on=timezone.localdate(),
        allocations=[AllocationRequest(august, D("100"))],
    )
    on = date(2026, 6, 15)

    if close == "end":
        services.lease_end(lease=lease, on=on)
        status = LeaseStatus.ENDED
    else:
        with pytest.raises(ValidationError):
            services.lease_terminate(lease=lease, reason="", on=on)
        services.lease_terminate(lease=lease, reason="Tenant left the country", on=on)
        status = LeaseStatus.TERMINATED

    lease.refresh_from_db()
    assert lease.status == status
    assert lease.ended_on == on
    assert stored_status(unit) == UnitStatus.AVAILABLE
    # Unbilled periods after the end are gone; billed ones stay as they were.
    assert sorted(charges(lease)) == [date(2026, m, 1) for m in range(1, 9)]
    statuses = {
        r.rent_charge.period_start.month: r.status
        for r in rent_invoices(lease).select_related("rent_charge")
    }
    assert statuses[7] == ReceivableStatus.VOID
    # Money paid stays paid: the part-paid August invoice is not voided.
    august.refresh_from_db()
    assert august.status != ReceivableStatus.VOID and august.amount_paid == D("100")
    # The period the lease ended in, and those before, are still owed.
    june.refresh_from_db()
    assert june.status != ReceivableStatus.VOID and june.amount == D("8000")
    assert all(statuses[m] != ReceivableStatus.VOID for m in range(1, 7))
    # No more rent is issued for it.
    assert services.rent_invoices_issue(month=date(2026, 9, 1)) == 0


def test_lease_end_defaults_to_its_end_date(unit):
    lease = active_lease(unit)
    services.lease_end(lease=lease)

    lease.refresh_from_db()
    assert lease.ended_on == DEC_31
    assert RentCharge.objects.filter(lease=lease).count() == 12


def test_a_lease_cannot_end_before_it_starts(unit):
    lease = active_lease(unit)
    with pytest.raises(ValidationError, match="before it starts"):
        services.lease_end(lease=lease, on=date(2025, 12, 31))
    assert stored_status(unit) == UnitStatus.LEASED


def test_terminating_a_draft_touches_no_unit(unit):
    lease = make_lease(unit)
    services.lease_terminate(lease=lease, reason="Withdrawn", on=date(2026, 1, 1))

    lease.refresh_from_db()
    assert lease.status == LeaseStatus.TERMINATED
    assert stored_status(unit) == UnitStatus.AVAILABLE


def test_expiry_job_ends_fixed_leases_and_rolls_rollover_leases_over(unit):
    fixed = active_lease(unit)
    rolling_unit = UnitFactory(purpose="rent")
    rolling = active_lease(rolling_unit, term_type=TermType.ROLLOVER)
    running_unit = UnitFactory(purpose="rent")
    running = active_lease(running_unit, end=date(2027, 6, 30))

    assert services.leases_expire(today=date(2027, 1, 5)) == {"ended": 1, "rolled_over": 1}

    fixed.refresh_from_db()
    rolling.refresh_from_db()
    running.refresh_from_db()
    assert (fixed.status, fixed.ended_on) == (LeaseStatus.ENDED, DEC_31)
    assert stored_status(unit) == UnitStatus.AVAILABLE
    assert (rolling.status, rolling.term_type, rolling.end_date) == (
        LeaseStatus.ACTIVE,
        TermType.PERIODIC,
        None,
    )
    assert stored_status(rolling_unit) == UnitStatus.LEASED
    assert RentCharge.objects.filter(lease=rolling, period_start=date(2027, 1, 1)).exists()
    assert running.status == LeaseStatus.ACTIVE

    assert services.leases_expire(today=date(2027, 1, 5)) == {"ended": 0, "rolled_over": 0}
    assert services.leases_expire(today=date(2027, 1, 6)) == {"ended": 0, "rolled_over": 0}
    assert Lease.objects.filter(status=LeaseStatus.ACTIVE).count() == 2


def test_expiry_job_hands_the_unit_to_a_waiting_renewal(unit):
    lease = active_lease(unit, term_type=TermType.ROLLOVER)
    renewal = services.lease_renew(lease=lease)

    assert services.leases_expire(today=date(2027, 1, 2)) == {"ended": 1, "rolled_over": 0}

    lease.refresh_from_db()
    renewal.refresh_from_db()
    assert lease.status == LeaseStatus.ENDED
    assert renewal.status == LeaseStatus.ACTIVE
    assert stored_status(unit) == UnitStatus.LEASED


# --- deposits -----------------------------------------------------------------------------
def test_deposit_movements_never_take_out_more_than_is_held(unit):
    lease = active_lease(unit)
    services.deposit_record(lease=lease, movement=DepositMovement.RECEIVED, amount=D("8000"))

    with pytest.raises(ValidationError, match="Only 8000.00 of the deposit is held"):
        services.deposit_record(lease=lease, movement=DepositMovement.RETURNED, amount=D("8000.01"))
    with pytest.raises(ValidationError):
        services.deposit_record(
            lease=lease, movement=DepositMovement.KEPT_REPAIRS, amount=D("500")
        )  # no note

    services.deposit_record(
        lease=lease, movement=DepositMovement.KEPT_REPAIRS, amount=D("1500"), note="Broken wardrobe"
    )
    services.deposit_record(lease=lease, movement=DepositMovement.RETURNED, amount=D("6500"))
    assert selectors.deposit_held(lease) == D("0")
    with pytest.raises(ValidationError):
        services.deposit_record(lease=lease, movement=DepositMovement.RETURNED, amount=D("0.01"))
    assert lease.deposit_movements.count() == 3


def test_nothing_can_be_returned_before_it_is_received(unit):
    lease = active_lease(unit)
    with pytest.raises(ValidationError):
        services.deposit_record(lease=lease, movement=DepositMovement.RETURNED, amount=D("1"))
    assert not lease.deposit_movements.exists()


# --- maintenance --------------------------------------------------------------------------
def test_completing_a_job_twice_books_one_expense(unit):
    lease = active_lease(unit)
    vendor = VendorFactory()
    request = services.maintenance_request_create(
        unit=unit, title="AC not cooling", category="hvac"
    )
    assert request.lease == lease
    assert request.status == MaintenanceStatus.OPEN

    services.maintenance_status_change(
        request=request, status=MaintenanceStatus.IN_PROGRESS, vendor=vendor
    )
    assert not Expense.objects.exists()
    services.maintenance_status_change(
        request=request, status=MaintenanceStatus.COMPLETED, cost=D("750")
    )
    services.maintenance_status_change(request=request, status=MaintenanceStatus.IN_PROGRESS)
    services.maintenance_status_change(request=request, status=MaintenanceStatus.COMPLETED)

    expense = Expense.objects.get()
    assert expense.maintenance_request_id == request.pk
    assert (expense.unit, expense.amount, expense.category, expense.vendor) == (
        unit,
        D("750.00"),
        ExpenseCategory.MAINTENANCE,
        vendor,
    )

    # Re-completed at a corrected cost: still one expense, at the new cost.
    services.maintenance_status_change(request=request, status=MaintenanceStatus.IN_PROGRESS)
    services.maintenance_status_change(
        request=request, status=MaintenanceStatus.COMPLETED, cost=D("820")
    )
    assert Expense.objects.count() == 1
    assert Expense.objects.get().amount == D("820.00")


def test_completing_without_cost_books_nothing(unit):
    request = services.maintenance_request_create(unit=unit, title="Check", category="other")
    services.maintenance_status_change(request=request, status=MaintenanceStatus.IN_PROGRESS)
    services.maintenance_status_change(request=request, status=MaintenanceStatus.COMPLETED)

    assert not Expense.objects.exists()
    with pytest.raises(ValidationError):
        services.maintenance_status_change(request=request, status=MaintenanceStatus.OPEN)
