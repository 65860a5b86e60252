"""Factories: Projects, buildings, units, amenities."""

from decimal import Decimal

import factory
from django.contrib.gis.geos import Point
from django.utils import timezone

from realestate.properties.choices import ProjectStatus, UnitPurpose, UnitType
from realestate.properties.models import Amenity, Building, Project, Unit
from tests.factories.base import DUBAI


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")
    status = ProjectStatus.UNDER_CONSTRUCTION
    city = "Dubai"
    location = factory.LazyFunction(lambda: Point(*DUBAI, srid=4326))


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("code",)

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"BLD-{n}")
    name = factory.Sequence(lambda n: f"Tower {n}")
    floors = 30
    location = factory.LazyAttribute(lambda o: o.project.location)


class AmenityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amenity
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Amenity {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U-{n:05d}")
    project = factory.SubFactory(ProjectFactory)
    building = None
    unit_type = UnitType.APARTMENT
    purpose = UnitPurpose.SALE
    floor = 3
    bedrooms = 2
    bathrooms = 2
    area_sqm = Decimal("110.50")
    list_price = Decimal("1850000.00")
    monthly_rent = None
    currency = "AED"
    location = factory.LazyFunction(lambda: Point(*DUBAI, srid=4326))
    agent = None


class InventorySnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "properties.InventorySnapshot"
        django_get_or_create = ("taken_on",)

    taken_on = factory.LazyFunction(timezone.localdate)
    total = 3
    by_status = factory.LazyFunction(lambda: {"available": 2, "sold": 1})
