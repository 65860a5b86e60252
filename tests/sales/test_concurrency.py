"""Two people racing for one unit: exactly one wins (PostgreSQL, real threads)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from realestate.finance.choices import ReceivableKind
from realestate.finance.models import Receivable
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from realestate.sales import services
from realestate.sales.choices import ContractStatus, ReservationStatus
from realestate.sales.models import Commission, Reservation, SaleContract
from tests.factories import AgentFactory, ClientFactory, UnitFactory
from tests.races import race, split

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

D = Decimal
ROUNDS = 3


def fresh_unit(unit):
    return Unit.objects.get(pk=unit.pk)


def test_two_reservations_of_one_unit_one_wins():
    for _ in range(ROUNDS):
        unit = UnitFactory()
        buyers = [ClientFactory(), ClientFactory()]

        def reserve(client, unit=unit):
            return services.reservation_create(
                unit=fresh_unit(unit),
                client=client,
                deposit=D("10000"),
                expires_at=timezone.now() + timedelta(days=3),
            )

        won, lost = split(race(*(lambda c=c: reserve(c) for c in buyers)), ValidationError)

        assert len(won) == 1 and len(lost) == 1
        assert "cannot be reserved" in lost[0].messages[0] or "just now" in lost[0].messages[0]
        reservation = Reservation.objects.get(unit=unit)
        assert reservation.pk == won[0].pk
        assert reservation.status == ReservationStatus.ACTIVE
        assert fresh_unit(unit).status == UnitStatus.RESERVED
        assert Receivable.objects.filter(unit=unit, kind=ReceivableKind.DEPOSIT).count() == 1


def test_two_contracts_for_one_unit_one_is_created():
    for _ in range(ROUNDS):
        unit = UnitFactory()

        def create(unit=unit):
            return services.contract_create(
                unit=fresh_unit(unit), buyer=ClientFactory(), price=D("1000000")
            )

        won, lost = split(race(create, create), ValidationError)

        assert len(won) == 1 and len(lost) == 1
        assert lost[0].code == "unit_unavailable"
        assert list(SaleContract.objects.filter(unit=unit)) == won


def test_signing_one_contract_twice_at_once_signs_it_once():
    agent = AgentFactory().user
    for _ in range(ROUNDS):
        unit = UnitFactory()
        contract = services.contract_create(
            unit=unit, buyer=ClientFactory(), agent=agent, price=D("1200000")
        )

        def sign(pk=contract.pk):
            return services.contract_sign(contract=SaleContract.objects.get(pk=pk))

        won, lost = split(race(sign, sign), ValidationError)

        assert len(won) == 1 and len(lost) == 1
        contract.refresh_from_db()
        assert contract.status == ContractStatus.SIGNED
        assert fresh_unit(unit).status == UnitStatus.SOLD
        schedule = Receivable.objects.filter(contract=contract)
        assert schedule.count() == 13  # 10% down payment and 12 instalments
        assert sum(r.amount for r in schedule) == D("1200000")
        assert Commission.objects.filter(contract=contract).count() == 1


def test_reserving_and_selling_one_unit_at_once_never_does_both():
    for _ in range(ROUNDS):
        unit = UnitFactory()
        reserved = services.reservation_create(
            unit=unit,
            client=ClientFactory(),
            deposit=D("1"),
            expires_at=timezone.now() + timedelta(days=1),
        )
        contract = services.contract_create(
            unit=unit, buyer=reserved.client, price=D("500000"), reservation=reserved
        )

        def sign(pk=contract.pk):
            return services.contract_sign(contract=SaleContract.objects.get(pk=pk))

        def cancel(pk=reserved.pk):
            return services.reservation_cancel(
                reservation=Reservation.objects.get(pk=pk), reason="Changed mind"
            )

        won, lost = split(race(sign, cancel), ValidationError)

        assert len(won) == 1 and len(lost) == 1
        contract.refresh_from_db()
        reserved.refresh_from_db()
        if contract.status == ContractStatus.SIGNED:
            assert reserved.status == ReservationStatus.CONVERTED
            assert fresh_unit(unit).status == UnitStatus.SOLD
        else:
            assert reserved.status == ReservationStatus.CANCELLED
            assert fresh_unit(unit).status == UnitStatus.AVAILABLE


def test_the_expiry_job_beside_itself_expires_each_once():
    units = [UnitFactory() for _ in range(5)]
    for unit in units:
        services.reservation_create(
            unit=unit,
            client=ClientFactory(),
            deposit=D("100"),
            expires_at=timezone.now() + timedelta(minutes=5),
        )
    later = timezone.now() + timedelta(hours=1)

    counts, _ = split(
        race(*(lambda: services.reservations_expire(now=later),) * 2), ValidationError
    )

    assert sum(counts) == 5
    assert Reservation.objects.filter(status=ReservationStatus.EXPIRED).count() == 5
    assert {fresh_unit(u).status for u in units} == {UnitStatus.AVAILABLE}
