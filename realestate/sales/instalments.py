"""The instalment schedule of a sale contract: pure arithmetic, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from realestate.core.dates import add_months
from realestate.core.money import CENT, to_money
from realestate.sales.choices import FREQUENCY_MONTHS


@dataclass(frozen=True)
class Instalment:
    sequence: int
    label: str
    due_date: date
    amount: Decimal


def instalments_plan(
    *,
    net_price: Decimal,
    down_payment_percent: Decimal,
    instalment_count: int,
    frequency: str,
    handover_percent: Decimal,
    grace_months: int,
    signing_date: date,
    handover_date: date | None,
) -> list[Instalment]:
    """Down payment on signing, ``instalment_count`` instalments every ``frequency`` after
    ``grace_months``, and the handover payment on handover.

    The amounts add up to ``net_price`` to the cent: percentages are rounded to the cent, the
    rest is split evenly in whole cents and the cents left over go one each to the first
    instalments (1,000,000.01 over 7 gives 142,857.15 three times and 142,857.14 four times).
    """
    net_price = to_money(net_price)
    down = to_money(net_price * down_payment_percent / 100)
    handover = to_money(net_price * handover_percent / 100)
    if instalment_count == 0 or down + handover > net_price:
        # Everything falls on signing and handover (or the two shares, each rounded up, make
        # more than the price): the handover share takes the rounding.
        handover = net_price - down
    middle = net_price - down - handover
    step = FREQUENCY_MONTHS[frequency]
    first_due = add_months(signing_date, grace_months or step)

    rows: list[Instalment] = []
    if down > 0:
        rows.append(Instalment(1, "Down payment", signing_date, down))
    if instalment_count:
        share = (middle / instalment_count).quantize(CENT, rounding=ROUND_DOWN)
        leftover_cents = int((middle - share * instalment_count) / CENT)
        for index in range(instalment_count):
            amount = share + (CENT if index < leftover_cents else Decimal("0"))
            rows.append(
                Instalment(
                    len(rows) + 1,
                    f"Instalment {index + 1} of {instalment_count}",
                    add_months(first_due, step * index, anchor_day=signing_date.day),
                    amount,
                )
            )
    if handover > 0:
        last_due = rows[-1].due_date if rows else signing_date
        due = handover_date if handover_date and handover_date >= last_due else last_due
        rows.append(Instalment(len(rows) + 1, "On handover", due, handover))
    rows = [row for row in rows if row.amount > 0]
    assert sum(row.amount for row in rows) == net_price, "schedule must sum to the net price"
    return [Instalment(i + 1, row.label, row.due_date, row.amount) for i, row in enumerate(rows)]
