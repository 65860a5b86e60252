"""Factories: payment plans, reservations, contracts, commissions (the plain rows, in their
initial state; records in a workflow state are made through the services, as staff would)."""

from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.base import number_sequence as _number
from tests.factories.clients import ClientFactory
from tests.factories.properties import UnitFactory


class PaymentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.PaymentPlan"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Plan {n}")
    down_payment_percent = Decimal("10")
    instalment_count = 12
    frequency = "monthly"
    handover_percent = Decimal("20")
    grace_months = 1


class ReservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Reservation"

    number = _number("RS")
    unit = factory.SubFactory(UnitFactory)
    client = factory.SubFactory(ClientFactory)
    deposit = Decimal("25000.00")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


class SaleContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.SaleContract"

    number = _number("SC")
    unit = factory.SubFactory(UnitFactory)
    buyer = factory.SubFactory(ClientFactory)
    price = Decimal("1850000.00")
    discount = Decimal("0.00")
    net_price = Decimal("1850000.00")


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "sales.Commission"

    contract = factory.SubFactory(SaleContractFactory)
    agent = factory.SubFactory(UserFactory)
    rate = Decimal("2.00")
    amount = Decimal("37000.00")
