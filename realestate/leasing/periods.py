"""A lease's rent periods: pure arithmetic, no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from realestate.core.dates import add_months, days_between
from realestate.core.money import to_money
from realestate.leasing.choices import BILLING_MONTHS

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class RentPeriod:
    start: date
    end: date
    due_date: date
    amount: Decimal


def monthly_rent_in_year(monthly_rent: Decimal, escalation_percent: Decimal, year_index: int):
    """The monthly rent in the lease's ``year_index``-th year (0 = first), compounding."""
    rent = Decimal(monthly_rent)
    for _ in range(year_index):
        rent = to_money(rent * (1 + Decimal(escalation_percent) / 100))
    return to_money(rent)


def _lease_year(start_date: date, day: date) -> int:
    years = day.year - start_date.year
    if (day.month, day.day) < (start_date.month, start_date.day):
        years -= 1
    return max(years, 0)


def rent_periods(
    *,
    start_date: date,
    end_date: date | None,
    monthly_rent: Decimal,
    billing_frequency: str,
    billing_day: int,
    escalation_percent: Decimal,
    window_start: date,
    window_end: date,
) -> Iterator[RentPeriod]:
    """Rent periods of a lease that start between ``window_start`` and ``window_end``.

    Periods run from one billing day to the day before the next (every 1, 3 or 12 months);
    a lease starting between billing days opens with a shorter, prorated stub period, and a
    fixed lease ending mid-period closes with a prorated one. Rent is due on a period's first
    day and rises by the escalation rate on each anniversary of the start.
    """
    step = BILLING_MONTHS[billing_frequency]
    last_day = min(end_date, window_end) if end_date else window_end
    first_anchor = start_date.replace(day=billing_day)
    if first_anchor < start_date:
        first_anchor = add_months(first_anchor, 1, anchor_day=billing_day)

    def full_amount(period_start: date) -> Decimal:
        year = _lease_year(start_date, period_start)
        return to_money(monthly_rent_in_year(monthly_rent, escalation_percent, year) * step)

    if start_date < first_anchor and window_start <= start_date <= last_day:
        # The stub: its rent is the full period's, prorated by days.
        full_start = add_months(first_anchor, -step, anchor_day=billing_day)
        stub_end = min(first_anchor - ONE_DAY, end_date or first_anchor)
        amount = to_money(
            full_amount(start_date)
            * days_between(start_date, stub_end)
            / days_between(full_start, first_anchor - ONE_DAY)
        )
        if amount > 0:
            yield RentPeriod(start_date, stub_end, start_date, amount)

    # Jump near the window instead of walking from the start of a long lease.
    months_to_window = (window_start.year - first_anchor.year) * 12 + (
        window_start.month - first_anchor.month
    )
    index = max(0, months_to_window // step - 1)
    while True:
        period_start = add_months(first_anchor, step * index, anchor_day=billing_day)
        if period_start > last_day:
            return
        next_start = add_months(first_anchor, step * (index + 1), anchor_day=billing_day)
        period_end = next_start - ONE_DAY
        index += 1
        if period_start < window_start:
            continue
        amount = full_amount(period_start)
        if end_date and period_end > end_date:
            amount = to_money(
                amount
                * days_between(period_start, end_date)
                / days_between(period_start, period_end)
            )
            period_end = end_date
        yield RentPeriod(period_start, period_end, period_start, amount)
