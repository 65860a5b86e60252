"""Reservations and sale contracts move the unit, the money and the commission together."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from realestate.finance.choices import PaymentMethod, ReceivableKind, ReceivableStatus
from realestate.finance.models import Receivable
from realestate.finance.services import payment_post
from realestate.leasing.services import lease_activate, lease_create
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.properties.services import unit_take_off_market
from realestate.sales import services
from realestate.sales.choices import CommissionStatus, ContractStatus, ReservationStatus
from realestate.sales.models import Commission, Reservation, SaleContract
from tests.factories import AgentFactory, ClientFactory, PaymentPlanFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = timezone.localdate().year


def stored_status(unit):
    return Unit.objects.values_list("status", flat=True).get(pk=unit.pk)


def in_days(days):
    return timezone.now() + timedelta(days=days)


def reserve(unit, client=None, deposit="25000.00", days=7, **kwargs):
    return services.reservation_create(
        unit=unit,
        client=client or ClientFactory(),
        deposit=D(deposit),
        expires_at=in_days(days),
        **kwargs,
    )


def schedule(contract):
    return list(
        Receivable.objects.filter(contract=contract)
        .exclude(status=ReceivableStatus.VOID)
        .order_by("sequence")
    )


@pytest.fixture
def agent():
    return AgentFactory(commission_rate=D("2.50")).user


@pytest.fixture
def plan():
    return PaymentPlanFactory(
        name="10/70/20",
        down_payment_percent=D("10"),
        instalment_count=7,
        frequency="monthly",
        handover_percent=D("20"),
        grace_months=1,
    )


# --- reservations -------------------------------------------------------------------------
def test_reserving_an_available_unit_holds_it_and_charges_the_deposit(agent):
    unit = UnitFactory(agent=agent)
    client = ClientFactory()

    reservation = reserve(unit, client, deposit="25000")

    assert reservation.status == ReservationStatus.ACTIVE
    assert reservation.agent == agent
    assert stored_status(unit) == UnitStatus.RESERVED
    deposit = Receivable.objects.get(reservation=reservation)
    assert deposit.kind == ReceivableKind.DEPOSIT
    assert deposit.client == client
    assert deposit.unit == unit
    assert deposit.amount == D("25000.00")
    assert deposit.amount_paid == 0
    assert deposit.status == ReceivableStatus.OPEN
    assert deposit.due_date == timezone.localdate()


def test_reservation_without_deposit_charges_nothing():
    reservation = reserve(UnitFactory(), deposit="0")

    assert not Receivable.objects.filter(reservation=reservation).exists()


def test_reservation_must_expire_in_the_future():
    unit = UnitFactory()
    with pytest.raises(ValidationError) as raised:
        reserve(unit, days=-1)
    assert "expires_at" in raised.value.message_dict
    assert stored_status(unit) == UnitStatus.AVAILABLE


def _reserved(unit):
    reserve(unit)


def _sold(unit):
    services.contract_sign(
        contract=services.contract_create(unit=unit, buyer=ClientFactory(), price=D("1000000"))
    )


def _leased(unit):
    lease_activate(
        lease=lease_create(
            unit=unit,
            tenant=ClientFactory(),
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            monthly_rent=D("8000"),
        )
    )


def _off_market(unit):
    unit_take_off_market(unit=unit)


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (_reserved, UnitStatus.RESERVED),
        (_sold, UnitStatus.SOLD),
        (_leased, UnitStatus.LEASED),
        (_off_market, UnitStatus.OFF_MARKET),
    ],
)
def test_reserving_an_unavailable_unit_is_refused(make, status):
    unit = UnitFactory(code="TAKEN-1", purpose="both")
    make(unit)
    assert stored_status(unit) == status
    reservations = Reservation.objects.count()
    receivables = Receivable.objects.count()

    with pytest.raises(ValidationError) as raised:
        reserve(unit)

    label = UnitStatus(status).label.lower()
    assert raised.value.messages == [f"Unit TAKEN-1 is {label}: it cannot be reserved."]
    assert raised.value.code == "unit_unavailable"
    assert Reservation.objects.count() == reservations
    assert Receivable.objects.count() == receivables
    assert stored_status(unit) == status


def test_cancel_needs_a_reason():
    unit = UnitFactory()
    reservation = reserve(unit)

    for reason in ("", "   "):
        with pytest.raises(ValidationError) as raised:
            services.reservation_cancel(reservation=reservation, reason=reason)
        assert "cancel_reason" in raised.value.message_dict

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ACTIVE
    assert stored_status(unit) == UnitStatus.RESERVED


def test_cancel_frees_the_unit_and_voids_the_unpaid_deposit():
    unit = UnitFactory()
    reservation = reserve(unit)

    services.reservation_cancel(reservation=reservation, reason="Buyer changed mind")

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED
    assert reservation.cancel_reason == "Buyer changed mind"
    assert reservation.closed_at is not None
    assert stored_status(unit) == UnitStatus.AVAILABLE
    assert Receivable.objects.get(reservation=reservation).status == ReceivableStatus.VOID
    # The unit can be reserved again.
    assert reserve(unit).status == ReservationStatus.ACTIVE


def test_cancel_keeps_a_paid_deposit_paid():
    unit = UnitFactory()
    client = ClientFactory()
    reservation = reserve(unit, client, deposit="1000")
    payment_post(
        client=client, amount=D("1000"), method=PaymentMethod.CASH, received_on=timezone.localdate()
    )

    services.reservation_cancel(reservation=reservation, reason="Refund agreed")

    deposit = Receivable.objects.get(reservation=reservation)
    assert deposit.status == ReceivableStatus.PAID
    assert deposit.amount_paid == D("1000")


def test_a_closed_reservation_cannot_be_cancelled_again():
    reservation = reserve(UnitFactory())
    services.reservation_cancel(reservation=reservation, reason="Gone")

    with pytest.raises(ValidationError, match="already cancelled"):
        services.reservation_cancel(reservation=reservation, reason="Again")


def test_expiry_job_releases_only_expired_reservations():
    soon, later = UnitFactory(), UnitFactory()
    expiring = reserve(soon, days=1)
    staying = reserve(later, days=10)

    assert services.reservations_expire(now=in_days(2)) == 1

    expiring.refresh_from_db()
    staying.refresh_from_db()
    assert expiring.status == ReservationStatus.EXPIRED
    assert staying.status == ReservationStatus.ACTIVE
    assert stored_status(soon) == UnitStatus.AVAILABLE
    assert stored_status(later) == UnitStatus.RESERVED
    assert Receivable.objects.get(reservation=expiring).status == ReceivableStatus.VOID
    assert Receivable.objects.get(reservation=staying).status == ReceivableStatus.OPEN

    assert services.reservations_expire(now=in_days(2)) == 0
    assert Reservation.objects.filter(status=ReservationStatus.EXPIRED).count() == 1


def test_expiry_job_leaves_converted_and_cancelled_reservations_alone():
    cancelled = reserve(UnitFactory(), days=1)
    services.reservation_cancel(reservation=cancelled, reason="No")

    assert services.reservations_expire(now=in_days(3)) == 0
    cancelled.refresh_from_db()
    assert cancelled.status == ReservationStatus.CANCELLED


# --- contracts ----------------------------------------------------------------------------
def test_contract_from_reservation_signed(agent, plan):
    unit = UnitFactory(agent=agent)
    buyer = ClientFactory()
    reservation = reserve(unit, buyer, deposit="25000")
    deposit = Receivable.objects.get(reservation=reservation)

    contract = services.contract_create(
        unit=unit,
        buyer=buyer,
        price=D("1000000.01"),
        discount=D("0"),
        plan=plan,
        reservation=reservation,
    )
    assert contract.status == ContractStatus.DRAFT
    assert contract.agent == agent
    assert contract.net_price == D("1000000.01")
    assert (
        contract.down_payment_percent,
        contract.instalment_count,
        contract.handover_percent,
    ) == (D("10"), 7, D("20"))
    assert not Receivable.objects.filter(contract=contract).exists()

    services.contract_sign(contract=contract, signing_date=date(2026, 3, 10))

    contract.refresh_from_db()
    reservation.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert contract.signing_date == date(2026, 3, 10)
    assert reservation.status == ReservationStatus.CONVERTED
    assert stored_status(unit) == UnitStatus.SOLD

    rows = schedule(contract)
    assert sum(row.amount for row in rows) == contract.net_price
    assert [row.sequence for row in rows] == list(range(1, len(rows) + 1))
    # The deposit is the first line; the down payment shrinks by as much.
    assert rows[0].pk == deposit.pk
    assert rows[0].kind == ReceivableKind.DEPOSIT
    assert rows[0].amount == D("25000.00")
    assert rows[1].kind == ReceivableKind.INSTALMENT
    assert rows[1].amount == D("100000.00") - D("25000.00")
    assert rows[1].due_date == date(2026, 3, 10)
    assert all(row.client == buyer for row in rows)
    assert rows[-1].description.endswith("On handover")
    assert rows[-1].amount == D("200000.00")

    commission = Commission.objects.get(contract=contract)
    assert commission.agent == agent
    assert commission.rate == D("2.50")
    assert commission.amount == D("25000.00")  # 2.5% of 1,000,000.01, to the cent
    assert commission.status == CommissionStatus.PENDING


def test_a_deposit_larger_than_the_down_payment_shrinks_the_first_instalments(plan):
    unit = UnitFactory()
    buyer = ClientFactory()
    reservation = reserve(unit, buyer, deposit="150000")
    contract = services.contract_create(
        unit=unit, buyer=buyer, price=D("1000000"), plan=plan, reservation=reservation
    )

    services.contract_sign(contract=contract)

    rows = schedule(contract)
    assert sum(row.amount for row in rows) == D("1000000")
    # Deposit 150,000 covers the 100,000 down payment and 50,000 of the first instalment.
    assert [row.amount for row in rows[:3]] == [D("150000"), D("50000"), D("100000")]
    assert [row.sequence for row in rows] == list(range(1, len(rows) + 1))
    assert all(row.kind == ReceivableKind.INSTALMENT for row in rows[1:])


def test_contract_discount_and_explicit_commission_rate(agent):
    unit = UnitFactory()
    contract = services.contract_create(
        unit=unit,
        buyer=ClientFactory(),
        price=D("900000"),
        discount=D("50000"),
        agent=agent,
        commission_rate=D("1.00"),
    )
    services.contract_sign(contract=contract)

    contract.refresh_from_db()
    assert contract.net_price == D("850000.00")
    assert sum(row.amount for row in schedule(contract)) == D("850000.00")
    commission = Commission.objects.get(contract=contract)
    assert (commission.rate, commission.amount) == (D("1.00"), D("8500.00"))


def test_contract_without_agent_has_no_commission():
    contract = services.contract_create(
        unit=UnitFactory(), buyer=ClientFactory(), price=D("500000")
    )
    services.contract_sign(contract=contract)

    assert not Commission.objects.filter(contract=contract).exists()


def test_direct_contract_sells_an_available_unit():
    unit = UnitFactory()
    contract = services.contract_create(unit=unit, buyer=ClientFactory(), price=D("500000"))
    assert stored_status(unit) == UnitStatus.AVAILABLE

    services.contract_sign(contract=contract)

    assert stored_status(unit) == UnitStatus.SOLD
    assert sum(row.amount for row in schedule(contract)) == D("500000")


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (_reserved, UnitStatus.RESERVED),
        (_leased, UnitStatus.LEASED),
        (_off_market, UnitStatus.OFF_MARKET),
    ],
)
def test_contract_on_an_unavailable_unit_is_refused(make, status):
    unit = UnitFactory(code="TAKEN-2", purpose="both")
    make(unit)

    with pytest.raises(ValidationError) as raised:
        services.contract_create(unit=unit, buyer=ClientFactory(), price=D("100"))

    label = UnitStatus(status).label.lower()
    assert raised.value.messages == [f"Unit TAKEN-2 is {label}: it cannot be sold."]
    assert not SaleContract.objects.exists()


def test_contract_from_another_units_reservation_is_refused():
    reservation = reserve(UnitFactory())
    with pytest.raises(ValidationError, match="not an active reservation of this unit"):
        services.contract_create(
            unit=UnitFactory(), buyer=ClientFactory(), price=D("100"), reservation=reservation
        )


def test_a_second_live_contract_on_a_unit_is_refused():
    unit = UnitFactory(code="ONE-DEAL")
    first = services.contract_create(unit=unit, buyer=ClientFactory(), price=D("100000"))

    with pytest.raises(ValidationError) as raised:
        services.contract_create(unit=unit, buyer=ClientFactory(), price=D("100000"))
    assert raised.value.messages == ["Unit ONE-DEAL already has a contract that is not cancelled."]
    assert list(SaleContract.objects.all()) == [first]

    services.contract_cancel(contract=first, reason="Buyer withdrew")
    second = services.contract_create(unit=unit, buyer=ClientFactory(), price=D("100000"))
    assert second.status == ContractStatus.DRAFT


def test_cancel_a_signed_contract(agent, plan):
    unit = UnitFactory(agent=agent)
    buyer = ClientFactory()
    contract = services.contract_create(unit=unit, buyer=buyer, price=D("700000"), plan=plan)
    services.contract_sign(contract=contract)
    first = schedule(contract)[0]
    payment_post(
        client=buyer,
        amount=first.amount,
        method=PaymentMethod.TRANSFER,
        received_on=timezone.localdate(),
    )

    with pytest.raises(ValidationError):
        services.contract_cancel(contract=contract, reason=" ")

    services.contract_cancel(contract=contract, reason="Finance refused")

    contract.refresh_from_db()
    assert contract.status == ContractStatus.CANCELLED
    assert stored_status(unit) == UnitStatus.AVAILABLE
    receivables = Receivable.objects.filter(contract=contract)
    paid = receivables.get(pk=first.pk)
    assert paid.status == ReceivableStatus.PAID
    assert set(receivables.exclude(pk=first.pk).values_list("status", flat=True)) == {
        ReceivableStatus.VOID
    }
    assert Commission.objects.get(contract=contract).status == CommissionStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.contract_sign(contract=contract)


def test_cancel_a_draft_from_reservation_cancels_the_reservation():
    unit = UnitFactory()
    reservation = reserve(unit)
    contract = services.contract_create(
        unit=unit, buyer=reservation.client, price=D("100000"), reservation=reservation
    )

    services.contract_cancel(contract=contract, reason="Deal off")

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED
    assert stored_status(unit) == UnitStatus.AVAILABLE


def test_contract_completes_when_every_receivable_is_paid(plan):
    unit = UnitFactory()
    buyer = ClientFactory()
    reservation = reserve(unit, buyer, deposit="10000")
    contract = services.contract_create(
        unit=unit, buyer=buyer, price=D("333333.33"), plan=plan, reservation=reservation
    )
    services.contract_sign(contract=contract)
    today = timezone.localdate()

    payment_post(
        client=buyer, amount=D("333333.32"), method=PaymentMethod.TRANSFER, received_on=today
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.SIGNED
    assert [row.status for row in schedule(contract)][-1] == ReceivableStatus.PARTIALLY_PAID

    payment_post(client=buyer, amount=D("0.01"), method=PaymentMethod.CASH, received_on=today)

    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED
    assert {row.status for row in schedule(contract)} == {ReceivableStatus.PAID}


def test_contract_numbers_are_sequential_per_year():
    contracts = [
        services.contract_create(unit=UnitFactory(), buyer=ClientFactory(), price=D("1000"))
        for _ in range(3)
    ]
    reservation = reserve(UnitFactory())

    assert [c.number for c in contracts] == [
        f"SC-{YEAR}-00001",
        f"SC-{YEAR}-00002",
        f"SC-{YEAR}-00003",
    ]
    assert reservation.number == f"RS-{YEAR}-00001"


def test_a_refused_contract_takes_no_number():
    unit = UnitFactory()
    reserve(unit)
    with pytest.raises(ValidationError):
        services.contract_create(unit=unit, buyer=ClientFactory(), price=D("1000"))

    contract = services.contract_create(unit=UnitFactory(), buyer=ClientFactory(), price=D("1000"))
    assert contract.number == f"SC-{YEAR}-00001"


def test_commission_approve_and_pay(agent):
    contract = services.contract_create(
        unit=UnitFactory(), buyer=ClientFactory(), price=D("100000"), agent=agent
    )
    services.contract_sign(contract=contract)
    commission = Commission.objects.get(contract=contract)

    commission = services.commission_approve(commission=commission)
    assert commission.status == CommissionStatus.APPROVED
    commission = services.commission_pay(commission=commission, paid_on=date(2026, 5, 1))
    assert (commission.status, commission.paid_on) == (CommissionStatus.PAID, date(2026, 5, 1))
