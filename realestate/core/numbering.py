"""Record numbers: sequential per prefix and year, never reused (``SC-2026-00017``).

The counter row is locked for the rest of the caller's transaction, so two postings at once
get different numbers, and a rolled-back transaction gives its number back unused.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from realestate.core.models import NumberSequence

WIDTH = 5


def format_number(prefix: str, year: int, value: int) -> str:
    return f"{prefix}-{year}-{value:0{WIDTH}d}"


def numbers_lock(prefix: str, *, year: int | None = None) -> NumberSequence:
    """Lock the counter until the caller's transaction ends.

    Jobs that issue many numbers take it first: a second run of the same job waits here and
    then sees the first run's rows, so it cannot issue the same charges again.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers_lock must run inside a transaction")
    year = year or timezone.localdate().year
    # INSERT … ON CONFLICT DO NOTHING: two first-of-the-year callers cannot collide.
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=prefix, year=year)], ignore_conflicts=True
    )
    return NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)


def numbers_take(prefix: str, *, count: int = 1, year: int | None = None) -> list[str]:
    """Reserve ``count`` consecutive numbers; must run inside the caller's transaction."""
    year = year or timezone.localdate().year
    sequence = numbers_lock(prefix, year=year)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [format_number(prefix, year, value) for value in range(first, first + count)]


def number_take(prefix: str, *, year: int | None = None) -> str:
    return numbers_take(prefix, count=1, year=year)[0]
