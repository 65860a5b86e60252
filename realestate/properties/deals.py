"""The deals a unit's page lists: reservations, sale contracts, leases.

The apps that keep deals register their kind here (``deal_kind_register``, from their admin),
so a unit's page lists them without the inventory app importing sales or leasing: the arrows
between apps run one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from realestate.core.choices import Palette


@dataclass(frozen=True)
class DealKind:
    """One kind of deal on a unit.

    - ``party``: the field naming the other side (a client, a buyer, a tenant);
    - ``newest``: the date field that orders them, newest first;
    - ``palette``: the labels and colours of its statuses;
    - ``dates``: the deal's dates in words;
    - ``new_link(user, unit)``: ``(url, text)`` of a link that starts one, or None.
    """

    model: type[models.Model]
    label: str
    party: str
    newest: str
    palette: Palette
    dates: Callable[[models.Model], str]
    new_link: Callable | None = None


DEAL_KINDS: list[DealKind] = []


def deal_kind_register(kind: DealKind) -> None:
    if all(known.model is not kind.model for known in DEAL_KINDS):
        DEAL_KINDS.append(kind)
