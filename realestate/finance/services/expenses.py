"""Expenses of units (a completed work order's cost, a service charge)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from realestate.core.money import to_money
from realestate.finance.models import (
    Expense,
)


def expense_book(
    *,
    unit,
    amount: Decimal,
    incurred_on: date,
    category: str,
    description: str,
    currency: str | None = None,
    vendor=None,
    maintenance_request=None,
) -> Expense:
    """Book an expense of a unit. One per work order: booking a completed job again updates
    its expense instead of adding another."""
    defaults = {
        "unit": unit,
        "category": category,
        "amount": to_money(amount),
        "incurred_on": incurred_on,
        "vendor": vendor,
        "description": description,
    }
    if currency:
        defaults["currency"] = currency
    if maintenance_request is None:
        return Expense.objects.create(**defaults)
    expense, _created = Expense.objects.update_or_create(
        maintenance_request=maintenance_request, defaults=defaults
    )
    return expense
