"""Factories: Leases, rent, deposits, vendors, maintenance."""

from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.base import number_sequence as _number
from tests.factories.clients import ClientFactory
from tests.factories.properties import UnitFactory


class LeaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.Lease"

    number = _number("LS")
    unit = factory.SubFactory(
        UnitFactory, purpose="rent", list_price=None, monthly_rent=Decimal("8000.00")
    )
    tenant = factory.SubFactory(ClientFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    end_date = factory.LazyAttribute(
        lambda o: o.start_date.replace(year=o.start_date.year + 1) - timezone.timedelta(days=1)
    )
    monthly_rent = Decimal("8000.00")
    deposit_amount = Decimal("8000.00")


class RentChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.RentCharge"

    lease = factory.SubFactory(LeaseFactory)
    period_start = factory.LazyAttribute(lambda o: o.lease.start_date)
    period_end = factory.LazyAttribute(lambda o: o.lease.start_date + timezone.timedelta(days=29))
    due_date = factory.LazyAttribute(lambda o: o.period_start)
    amount = Decimal("8000.00")


class DepositTransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.DepositTransaction"

    lease = factory.SubFactory(LeaseFactory)
    movement = "received"
    amount = Decimal("8000.00")
    occurred_on = factory.LazyFunction(timezone.localdate)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.Vendor"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Vendor {n} LLC")
    trade = "plumbing"


class MaintenanceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "leasing.MaintenanceRequest"

    number = _number("MR")
    unit = factory.SubFactory(UnitFactory)
    category = "plumbing"
    title = "Leaking kitchen tap"
