"""Whether a unit is free on a day, for the agents' units search (``available``,
``available_on``).

A unit is available on a day when its status is ``available`` and no deal holds it over that
day. What holds a unit is the business of the apps that keep deals (an active reservation,
a draft or active lease whose dates cover the day): each registers its rule here
(``unit_hold_register``, from its ``AppConfig.ready``) so that the inventory app does not
import sales or leasing. A rule is ``rule(day)``: an ``Exists`` over units (``OuterRef("pk")``)
true for a unit held on ``day``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Exists, QuerySet

from realestate.properties.choices import UnitStatus

HOLD_RULES: list[Callable[[date], Exists]] = []


def unit_hold_register(rule: Callable[[date], Exists]) -> None:
    if rule not in HOLD_RULES:
        HOLD_RULES.append(rule)


def units_available_on(queryset: QuerySet, day: date) -> QuerySet:
    """The units of ``queryset`` available on ``day`` (see the module's docstring)."""
    queryset = queryset.filter(status=UnitStatus.AVAILABLE)
    for rule in HOLD_RULES:
        queryset = queryset.filter(~rule(day))
    return queryset


def units_unavailable_on(queryset: QuerySet, day: date) -> QuerySet:
    """The units of ``queryset`` not available on ``day``: the others."""
    return queryset.exclude(pk__in=units_available_on(queryset.model.objects.all(), day))
