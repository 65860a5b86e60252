"""The unit and invoice answers are written by hand for speed (``to_representation``): each
must be exactly what the declared fields give, key for key, in the same order."""

from decimal import Decimal

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from rest_framework import serializers

from realestate.finance.api.serializers import InvoiceSerializer, invoice_answer, invoice_rows
from realestate.finance.models import Receivable
from realestate.properties.api.serializers import (
    UnitSerializer,
    unit_answer,
    unit_rows,
    unit_rows_of,
)
from realestate.properties.models import Unit
from tests.factories import DUBAI, UnitFactory
from tests.factories.properties import BuildingFactory

pytestmark = pytest.mark.django_db


def by_the_fields(serializer, instance) -> dict:
    """What DRF answers from the serializer's fields (its own ``to_representation``)."""
    return dict(serializers.ModelSerializer.to_representation(serializer, instance))


def same(serializer, instance) -> None:
    expected, answered = by_the_fields(serializer, instance), serializer.to_representation(instance)
    assert answered == expected
    assert list(answered) == list(expected)


def test_unit_answer_is_the_fields(superuser):
    building = BuildingFactory()
    UnitFactory(code="FULL", building=building, project=building.project, agent=superuser,
                monthly_rent=Decimal("12500.5"), area_sqm=Decimal("118.5"), floor=None)  # fmt: skip
    UnitFactory(code="BARE", project=None, location=None, list_price=None, bedrooms=0)
    units = Unit.objects.select_related("project", "building", "agent").order_by("code")
    near = units.annotate(distance=Distance("location", Point(*DUBAI, srid=4326)))
    serializer = UnitSerializer()
    for unit in [*units, *near]:
        same(serializer, unit)


def test_a_unit_read_as_values_answers_as_the_fields(superuser):
    """The unit list and detail read values (``unit_rows``), joined or (a ``near`` page) with
    the relations read after: the same answers as the serializer's from the models."""
    building = BuildingFactory()
    UnitFactory(code="FULL", building=building, project=building.project, agent=superuser,
                monthly_rent=Decimal("12500.5"), area_sqm=Decimal("118.5"), floor=-2)  # fmt: skip
    UnitFactory(code="BARE", project=None, location=None, list_price=None, bedrooms=0)
    units = Unit.objects.select_related("project", "building", "agent").order_by("code")
    near = units.annotate(distance=Distance("location", Point(*DUBAI, srid=4326)))
    serializer = UnitSerializer()
    expected = [serializer.to_representation(unit) for unit in [*units, *near]]

    joined = [unit_answer(row) for row in unit_rows(units.select_related(None))]
    after = unit_rows_of(list(near.values("id", "distance")))
    answered = joined + [unit_answer(row) for row in after]

    assert answered == expected
    assert [list(answer) for answer in answered] == [list(answer) for answer in expected]


def test_invoice_answer_is_the_fields(first, settings):
    invoices = list(Receivable.objects.select_related("unit").order_by("pk"))
    assert invoices
    invoices[0].unit, invoices[0].unit_id = None, None
    invoices[-1].lease_id = None
    for online in (False, True):
        settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = "on" if online else ""
        settings.STRIPE_WEBHOOK_SECRET = "on" if online else ""
        serializer = InvoiceSerializer()
        for invoice in invoices:
            same(serializer, invoice)


def test_an_invoice_read_as_values_answers_as_the_fields(first, settings):
    """The tenant's invoice list reads values (``invoice_rows``): the same answers as the
    serializer's from the models, void, paid and open ones, with and without a unit."""
    receivables = Receivable.objects.order_by("pk")
    first_one = receivables.first()
    Receivable.objects.filter(pk=first_one.pk).update(unit=None, lease=None, status="void")
    for online in (False, True):
        settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = "on" if online else ""
        settings.STRIPE_WEBHOOK_SECRET = "on" if online else ""
        serializer = InvoiceSerializer()
        expected = [serializer.to_representation(r) for r in receivables.select_related("unit")]

        answered = [invoice_answer(row) for row in invoice_rows(receivables)]

        assert answered == expected
        assert [list(answer) for answer in answered] == [list(answer) for answer in expected]
        assert {answer["pay_online"] for answer in answered} == (
            {False, True} if online else {False}
        )
