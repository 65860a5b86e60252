"""Amounts, dates and moments written out by hand (``core/api/formats.py``) read exactly as
DRF's fields write them."""

import datetime
import decimal
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework import serializers

from realestate.core.api.formats import (
    AREA,
    MONEY,
    date_text,
    decimal_text,
    moment_text,
    money_text,
)

AMOUNTS = [
    Decimal("2350000.00"), Decimal("0.00"), Decimal("-12.50"), Decimal("999999999999.99"),
    Decimal("12.5"), Decimal("12"), Decimal("1.005"), Decimal("1.004"), Decimal("1E+3"),
    Decimal("0.1E-1"), Decimal("-0"), 12.5, 3, "7.10",
]  # fmt: skip
MOMENTS = [
    datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 5, 4, 9, 30, 0, 123456, tzinfo=ZoneInfo("Asia/Dubai")),
    datetime.datetime(
        2026, 12, 31, 23, 59, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))
    ),
    datetime.datetime(2026, 5, 4, 9, 30),  # naive: DRF's own path
    datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC),  # past the calendar in Dubai
]


def outcome(write, *args):
    """What writing gives: the text, or the kind of error."""
    try:
        return write(*args)
    except Exception as error:  # noqa: BLE001 - compared, not swallowed
        return type(error)


@pytest.mark.parametrize("value", AMOUNTS)
def test_amounts_read_as_drfs(value):
    assert outcome(money_text, value) == outcome(MONEY.to_representation, value)
    assert outcome(decimal_text, AREA, value) == outcome(AREA.to_representation, value)


def test_an_amount_too_long_for_the_field_is_drfs_answer():
    field = serializers.DecimalField(max_digits=4, decimal_places=2)
    value = Decimal("123456.00")
    assert outcome(decimal_text, field, value) == outcome(field.to_representation, value)
    assert outcome(decimal_text, field, value) is decimal.InvalidOperation  # DRF's own path


def test_no_amount_is_null():
    assert money_text(None) is None


@pytest.mark.parametrize("value", MOMENTS[:4])
@pytest.mark.parametrize("zone", ["Asia/Dubai", "UTC", "America/New_York"])
def test_moments_read_as_drfs_in_the_current_zone(value, zone):
    with timezone.override(ZoneInfo(zone)):
        assert moment_text(value) == serializers.DateTimeField().to_representation(value)


def test_a_moment_past_the_calendar_is_drfs_error():
    with timezone.override(ZoneInfo("Asia/Dubai")), pytest.raises(serializers.ValidationError):
        moment_text(MOMENTS[4])


@override_settings(USE_TZ=False)
def test_without_time_zones_a_moment_is_drfs():
    value = MOMENTS[1]
    assert moment_text(value) == serializers.DateTimeField().to_representation(value)


def test_dates_and_nothing():
    assert date_text(datetime.date(2026, 5, 4)) == "2026-05-04"
    assert date_text(None) is None and moment_text(None) is None
