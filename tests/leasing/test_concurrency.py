"""Leases racing for one unit, and the rent job beside itself (PostgreSQL, real threads)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from realestate.core.dates import add_months, month_start
from realestate.finance.choices import ReceivableKind
from realestate.finance.models import Receivable
from realestate.leasing import services
from realestate.leasing.choices import LeaseStatus
from realestate.leasing.models import Lease, RentCharge
from realestate.properties.choices import UnitStatus
from realestate.properties.models import Unit
from tests.factories import ClientFactory, UnitFactory
from tests.races import race, split

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

D = Decimal
ROUNDS = 3


def create(unit, start, end):
    return services.lease_create(
        unit=Unit.objects.get(pk=unit.pk),
        tenant=ClientFactory(),
        start_date=start,
        end_date=end,
        monthly_rent=D("8000"),
    )


def test_two_overlapping_leases_at_once_one_is_created():
    for _ in range(ROUNDS):
        unit = UnitFactory(purpose="rent")

        won, lost = split(
            race(
                lambda unit=unit: create(unit, date(2026, 1, 1), date(2026, 12, 31)),
                lambda unit=unit: create(unit, date(2026, 6, 1), date(2027, 5, 31)),
            ),
            ValidationError,
        )

        assert len(won) == 1 and len(lost) == 1
        assert lost[0].code == "lease_overlap"
        assert list(Lease.objects.filter(unit=unit)) == won


def test_two_activations_of_leases_on_one_unit_at_once_let_it_once():
    for _ in range(ROUNDS):
        unit = UnitFactory(purpose="rent")
        first = create(unit, date(2026, 1, 1), date(2026, 6, 30))
        second = create(unit, date(2026, 7, 1), date(2026, 12, 31))

        def activate(pk):
            return services.lease_activate(lease=Lease.objects.get(pk=pk))

        won, lost = split(
            race(lambda pk=first.pk: activate(pk), lambda pk=second.pk: activate(pk)),
            ValidationError,
        )

        assert len(won) == 1 and len(lost) == 1
        assert Lease.objects.filter(unit=unit, status=LeaseStatus.ACTIVE).count() == 1
        assert Unit.objects.get(pk=unit.pk).status == UnitStatus.LEASED


def test_the_database_refuses_an_overlapping_lease_that_bypasses_the_service():
    unit = UnitFactory(purpose="rent")
    tenant = ClientFactory()
    create(unit, date(2026, 1, 1), date(2026, 12, 31))

    with pytest.raises(IntegrityError, match="lease_no_overlap_per_unit"), transaction.atomic():
        Lease.objects.create(
            number="LS-X-1",
            unit=unit,
            tenant=tenant,
            start_date=date(2026, 12, 31),
            end_date=date(2027, 12, 30),
            monthly_rent=D("1"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.create(
            number="LS-X-2",
            unit=unit,
            tenant=tenant,  # open-ended
            start_date=date(2020, 1, 1),
            end_date=None,
            monthly_rent=D("1"),
        )

    # Adjacent, or no longer holding the unit: allowed.
    Lease.objects.create(
        number="LS-X-3",
        unit=unit,
        tenant=tenant,
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        monthly_rent=D("1"),
    )
    Lease.objects.create(
        number="LS-X-4",
        unit=unit,
        tenant=tenant,
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        monthly_rent=D("1"),
        status=LeaseStatus.ENDED,
    )
    assert Lease.objects.filter(unit=unit).count() == 3


def test_the_rent_job_beside_itself_invoices_each_period_once():
    leases = []
    for _ in range(8):
        lease = services.lease_create(
            unit=UnitFactory(purpose="rent"),
            tenant=ClientFactory(),
            start_date=date(2026, 1, 1),
            end_date=None,
            term_type="periodic",
            monthly_rent=D("5000"),
        )
        leases.append(services.lease_activate(lease=lease))
    # March 2026 is in the laid-out schedule; two years on is not: the job inserts charges.
    beyond = add_months(month_start(timezone.localdate()), 24)
    for month in (date(2026, 3, 1), beyond):
        counts, _ = split(
            race(*(lambda m=month: services.rent_invoices_issue(month=m),) * 3), ValidationError
        )

        assert sum(counts) == 8
        assert sorted(counts) == [0, 0, 8]
        rent = Receivable.objects.filter(kind=ReceivableKind.RENT, rent_charge__period_start=month)
        assert rent.count() == 8
        assert RentCharge.objects.filter(period_start=month).count() == 8
        assert len(set(rent.values_list("number", flat=True))) == 8
