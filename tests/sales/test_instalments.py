"""The instalment schedule of a sale contract adds up to the net price, to the cent."""

from datetime import date
from decimal import Decimal

import pytest

from realestate.core.dates import add_months
from realestate.sales.choices import FREQUENCY_MONTHS, Frequency
from realestate.sales.instalments import instalments_plan

D = Decimal
CENT = D("0.01")
SIGNED = date(2026, 1, 15)
HANDOVER = date(2029, 6, 30)


def plan(
    net,
    *,
    down="0",
    count=12,
    frequency=Frequency.MONTHLY,
    handover="0",
    grace=0,
    signing=SIGNED,
    handover_date=HANDOVER,
):
    return instalments_plan(
        net_price=D(net),
        down_payment_percent=D(down),
        instalment_count=count,
        frequency=frequency,
        handover_percent=D(handover),
        grace_months=grace,
        signing_date=signing,
        handover_date=handover_date,
    )


def instalment_rows(rows):
    return [row for row in rows if row.label.startswith("Instalment")]


def test_one_million_and_a_cent_over_seven_instalments():
    rows = plan("1000000.01", count=7)

    # 1,000,000.01 / 7 = 142,857.1442...: 7 x 142,857.14 leaves 3 cents for the first three.
    assert [row.amount for row in rows] == [D("142857.15")] * 3 + [D("142857.14")] * 4
    assert sum(row.amount for row in rows) == D("1000000.01")
    assert [row.sequence for row in rows] == list(range(1, 8))
    assert rows[0].label == "Instalment 1 of 7"


def test_awkward_down_payment_percentage():
    rows = plan("999999.99", down="33.33", count=12)

    down, *instalments = rows
    assert down.label == "Down payment"
    assert down.due_date == SIGNED
    assert down.amount == D("333300.00")  # 333,299.996667 rounded half up
    assert len(instalments) == 12
    assert sum(row.amount for row in rows) == D("999999.99")
    amounts = {row.amount for row in instalments}
    assert max(amounts) - min(amounts) <= CENT


def test_no_instalments_down_payment_and_handover_only():
    rows = plan("1234567.89", down="10", count=0, handover="90")

    assert [(row.label, row.due_date, row.amount) for row in rows] == [
        ("Down payment", SIGNED, D("123456.79")),
        ("On handover", HANDOVER, D("1111111.10")),
    ]
    assert sum(row.amount for row in rows) == D("1234567.89")


@pytest.mark.parametrize(
    "net", ["0.01", "0.07", "1.00", "999.99", "100000.03", "999999.99", "1000000.01", "12345678.91"]
)
@pytest.mark.parametrize("count", [1, 2, 3, 7, 12, 60, 360])
@pytest.mark.parametrize(
    ("down", "handover"),
    [("0", "0"), ("10", "20"), ("33.33", "0"), ("12.5", "12.5"), ("0", "40"), ("50", "50")],
)
def test_sweep_sums_to_the_net_price(net, count, down, handover):
    rows = plan(net, down=down, count=count, handover=handover)

    assert sum(row.amount for row in rows) == D(net)
    assert all(row.amount > 0 for row in rows)
    assert all(row.amount == row.amount.quantize(CENT) for row in rows)
    assert [row.sequence for row in rows] == list(range(1, len(rows) + 1))
    instalments = instalment_rows(rows)
    if instalments:
        amounts = [row.amount for row in instalments]
        assert max(amounts) - min(amounts) <= CENT
        # The extra cents go to the first instalments.
        assert amounts == sorted(amounts, reverse=True)
    assert len(instalments) <= count
    dates = [row.due_date for row in rows]
    assert dates == sorted(dates)


@pytest.mark.parametrize("net", ["0.01", "1.00", "1234567.89"])
def test_sweep_without_instalments(net):
    rows = plan(net, down="10", count=0, handover="90")

    assert sum(row.amount for row in rows) == D(net)
    assert not instalment_rows(rows)


@pytest.mark.parametrize("net", ["0.07", "999.99", "1000000.01"])
def test_half_down_half_on_handover_with_instalments_still_sums(net):
    # 50% of an odd number of cents rounds up twice: the handover share must give the cent back.
    rows = plan(net, down="50", count=12, handover="50")

    assert sum(row.amount for row in rows) == D(net)
    assert [row.label for row in rows] == ["Down payment", "On handover"]
    assert rows[0].amount - rows[1].amount == CENT


def test_one_cent_over_360_instalments_is_one_instalment_of_a_cent():
    rows = plan("0.01", count=360)

    assert [(row.label, row.amount) for row in rows] == [("Instalment 1 of 360", CENT)]


def test_360_instalments_every_one_present_and_even():
    rows = plan("3600000.17", count=360)

    assert len(rows) == 360
    assert [row.amount for row in rows].count(D("10000.01")) == 17
    assert [row.amount for row in rows].count(D("10000.00")) == 343
    assert rows[-1].due_date == date(2056, 1, 15)


def test_monthly_due_dates_without_grace_start_one_period_after_signing():
    rows = plan("1200", count=4)

    assert [row.due_date for row in rows] == [
        date(2026, 2, 15),
        date(2026, 3, 15),
        date(2026, 4, 15),
        date(2026, 5, 15),
    ]


@pytest.mark.parametrize("frequency", list(Frequency))
@pytest.mark.parametrize("grace", [0, 1, 2, 6])
def test_due_dates_follow_frequency_and_grace(frequency, grace):
    rows = plan("100000", down="10", count=5, frequency=frequency, grace=grace)

    step = FREQUENCY_MONTHS[frequency]
    first = add_months(SIGNED, grace or step)
    assert rows[0].due_date == SIGNED
    assert [row.due_date for row in instalment_rows(rows)] == [
        add_months(first, step * index) for index in range(5)
    ]


def test_quarterly_with_grace():
    rows = plan("90000", count=3, frequency=Frequency.QUARTERLY, grace=2)

    assert [row.due_date for row in rows] == [
        date(2026, 3, 15),
        date(2026, 6, 15),
        date(2026, 9, 15),
    ]


def test_month_end_signing_keeps_the_day_where_the_month_allows():
    rows = plan("400", count=4, signing=date(2026, 1, 31))

    assert [row.due_date for row in rows] == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]


def test_handover_payment_falls_on_the_handover_date():
    rows = plan("1000000", down="10", count=24, handover="30")

    last = rows[-1]
    assert last.label == "On handover"
    assert last.due_date == HANDOVER
    assert last.amount == D("300000.00")
    assert sum(row.amount for row in rows) == D("1000000")


def test_handover_before_the_last_instalment_falls_with_the_last_instalment():
    rows = plan("1000000", down="10", count=24, handover="30", handover_date=date(2026, 6, 1))

    assert rows[-1].label == "On handover"
    assert rows[-1].due_date == rows[-2].due_date == date(2028, 1, 15)


def test_handover_without_a_date_falls_with_the_last_instalment():
    rows = plan("1000000", count=3, handover="20", handover_date=None)

    assert rows[-1].due_date == date(2026, 4, 15)
    assert rows[-1].amount == D("200000.00")
