"""Calendar arithmetic for schedules (months have different lengths)."""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int, *, anchor_day: int | None = None) -> date:
    """``day`` moved by ``months``, keeping ``anchor_day`` (or the day) where the month allows."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day or day.day, last))


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_between(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` inclusive."""
    return (end - start).days + 1


__all__ = ["add_months", "month_start", "month_end", "days_between", "timedelta"]
