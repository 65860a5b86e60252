"""Amounts, dates and moments as the API's fields write them, for answers written out by hand
(``UnitSerializer``, ``InvoiceSerializer``, ``unit_answer``).

The same text as DRF's fields (``tests/api/test_formats.py``), without their work for the
values that need none: an amount read from the database already has its places (DRF makes a
decimal context and quantizes each one), and a moment only needs the current time zone once
(DRF looks it up through three layers of settings and locals per value). Anything else takes
DRF's own path.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers
from rest_framework.settings import ISO_8601, api_settings

MONEY = serializers.DecimalField(max_digits=14, decimal_places=2)
#: A unit's area (the model's 10 digits, 2 places).
AREA = serializers.DecimalField(max_digits=10, decimal_places=2)
DATE = serializers.DateField()
MOMENT = serializers.DateTimeField()


def decimal_text(field: serializers.DecimalField, value) -> str | None:
    """``value`` as ``field`` writes it (a string: ``COERCE_DECIMAL_TO_STRING``)."""
    if value is None:
        return None
    if (
        type(value) is Decimal
        and getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        and not (field.localize or field.normalize_output)
    ):
        _sign, digits, exponent = value.as_tuple()
        if exponent == -field.decimal_places and len(digits) <= field.max_digits:
            return f"{value:f}"  # what quantizing to its own places gives back
    return field.to_representation(value)


def money_text(value) -> str | None:
    return decimal_text(MONEY, value)


def date_text(value) -> str | None:
    return None if value is None else DATE.to_representation(value)


def moment_text(value) -> str | None:
    """An aware moment in the current time zone, ISO 8601 (``Z`` for UTC), as
    ``DateTimeField`` writes it."""
    return moment_writer()(value)


def moment_writer():
    """``moment_text`` for the moments of one answer: the settings and the current time zone
    read once, not for each of a page's 50 rows (a third of their time)."""
    if not (
        settings.USE_TZ
        and getattr(MOMENT, "format", api_settings.DATETIME_FORMAT).lower() == ISO_8601
    ):
        return _drf_moment
    zone = timezone.get_current_timezone()

    def write(value) -> str | None:
        if type(value) is not datetime.datetime or value.tzinfo is None:
            return _drf_moment(value)
        try:
            written = value.astimezone(zone).isoformat()
        except OverflowError:  # past the calendar in the current zone: DRF's message
            return MOMENT.to_representation(value)
        return written[:-6] + "Z" if written.endswith("+00:00") else written

    return write


def _drf_moment(value) -> str | None:
    return None if value is None else MOMENT.to_representation(value)
