"""Factories: Clients, leads and viewings."""

import factory
from django.utils import timezone

from realestate.clients.models import Client, Lead, Viewing
from realestate.properties.choices import UnitType
from tests.factories.properties import UnitFactory


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = factory.Sequence(lambda n: f"+971 50 {n:07d}")
    agent = None


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    client = factory.SubFactory(ClientFactory)
    agent = factory.LazyAttribute(lambda o: o.client.agent)
    unit_type = UnitType.APARTMENT
    bedrooms = 2


class ViewingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Viewing

    client = factory.SubFactory(ClientFactory)
    unit = factory.SubFactory(UnitFactory)
    agent = factory.LazyAttribute(lambda o: o.client.agent)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))
