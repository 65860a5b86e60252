"""Money helpers. Amounts are ``Decimal`` everywhere; never floats."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField

CENT = Decimal("0.01")
#: Every money column: up to 999,999,999,999.99 in its currency.
MONEY = {"max_digits": 14, "decimal_places": 2}


def money_field() -> DecimalField:
    """The output field of a money expression (a sum, a balance) in a query."""
    return DecimalField(**MONEY)


def to_money(value) -> Decimal:
    """Round to the cent, half up, as an accountant would."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount, currency: str = "") -> str:
    """``format_money(Decimal("1234567.5"), "AED")`` -> ``"AED 1,234,567.50"``."""
    if amount in (None, ""):
        return "—"
    return f"{currency} {to_money(amount):,.2f}".strip()


def percent_text(value) -> str:
    """``Decimal("10.00")`` -> ``"10"``, ``Decimal("2.50")`` -> ``"2.5"``."""
    return f"{value.normalize():f}" if value is not None else "—"
