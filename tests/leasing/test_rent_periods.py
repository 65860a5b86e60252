"""A lease's rent periods: stubs, frequencies, escalation, proration and windows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from realestate.leasing.choices import BillingFrequency
from realestate.leasing.periods import monthly_rent_in_year, rent_periods

D = Decimal


def periods(
    start, end, rent, *, frequency=BillingFrequency.MONTHLY, day=1, escalation="0", window=None
):
    window_start, window_end = window or (start, end or date(start.year + 3, 12, 31))
    return list(
        rent_periods(
            start_date=start,
            end_date=end,
            monthly_rent=D(rent),
            billing_frequency=frequency,
            billing_day=day,
            escalation_percent=D(escalation),
            window_start=window_start,
            window_end=window_end,
        )
    )


def spans(rows):
    return [(row.start, row.end, row.amount) for row in rows]


def assert_contiguous(rows):
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    for row in rows:
        assert row.due_date == row.start
        assert row.end >= row.start


def test_full_months_from_the_first():
    rows = periods(date(2026, 1, 1), date(2026, 12, 31), "8000")

    assert len(rows) == 12
    assert_contiguous(rows)
    assert {row.amount for row in rows} == {D("8000.00")}
    assert (rows[1].start, rows[1].end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert rows[-1].end == date(2026, 12, 31)


def test_start_on_the_15th_with_billing_day_1_opens_with_a_prorated_stub():
    # 3,100 a month is 100 a day in January.
    rows = periods(date(2026, 1, 15), date(2027, 1, 14), "3100")

    assert spans(rows[:2]) == [
        (date(2026, 1, 15), date(2026, 1, 31), D("1700.00")),  # 17 of 31 days
        (date(2026, 2, 1), date(2026, 2, 28), D("3100.00")),
    ]
    # The lease ends mid-month: the last period is prorated too (14 of 31 days).
    assert spans(rows[-1:]) == [(date(2027, 1, 1), date(2027, 1, 14), D("1400.00"))]
    assert len(rows) == 13
    assert_contiguous(rows)
    assert rows[0].start == date(2026, 1, 15)


def test_end_of_lease_proration():
    rows = periods(date(2026, 1, 1), date(2026, 6, 20), "3000")

    assert spans(rows[-1:]) == [(date(2026, 6, 1), date(2026, 6, 20), D("2000.00"))]
    assert sum(row.amount for row in rows) == D("17000.00")


def test_stub_and_end_in_one_month():
    rows = periods(date(2026, 4, 10), date(2026, 4, 24), "3000")

    assert spans(rows) == [(date(2026, 4, 10), date(2026, 4, 24), D("1500.00"))]


def test_quarterly_billing():
    rows = periods(
        date(2026, 1, 1), date(2026, 12, 31), "1000", frequency=BillingFrequency.QUARTERLY
    )

    assert spans(rows) == [
        (date(2026, 1, 1), date(2026, 3, 31), D("3000.00")),
        (date(2026, 4, 1), date(2026, 6, 30), D("3000.00")),
        (date(2026, 7, 1), date(2026, 9, 30), D("3000.00")),
        (date(2026, 10, 1), date(2026, 12, 31), D("3000.00")),
    ]


def test_quarterly_with_a_stub():
    rows = periods(
        date(2026, 2, 15), date(2027, 2, 28), "1000", frequency=BillingFrequency.QUARTERLY
    )

    # The stub is prorated over the quarter it belongs to: 14 of 90 days (Dec–Feb).
    assert spans(rows[:2]) == [
        (date(2026, 2, 15), date(2026, 2, 28), D("466.67")),
        (date(2026, 3, 1), date(2026, 5, 31), D("3000.00")),
    ]
    assert_contiguous(rows)
    assert rows[-1].end == date(2027, 2, 28)


def test_yearly_billing_with_escalation():
    rows = periods(
        date(2026, 3, 1),
        date(2028, 2, 29),
        "1000",
        frequency=BillingFrequency.YEARLY,
        escalation="10",
    )

    assert spans(rows) == [
        (date(2026, 3, 1), date(2027, 2, 28), D("12000.00")),
        (date(2027, 3, 1), date(2028, 2, 29), D("13200.00")),
    ]


def test_escalation_on_each_anniversary_of_the_start():
    rows = periods(date(2026, 1, 15), date(2029, 1, 14), "3100", escalation="5")
    by_start = {row.start: row.amount for row in rows}

    assert by_start[date(2026, 12, 1)] == D("3100.00")
    # The period starting 1 Jan 2027 began before the anniversary (15 Jan): old rent.
    assert by_start[date(2027, 1, 1)] == D("3100.00")
    assert by_start[date(2027, 2, 1)] == D("3255.00")
    assert by_start[date(2028, 1, 1)] == D("3255.00")
    assert by_start[date(2028, 2, 1)] == D("3417.75")
    # The last, prorated period: 14 of 31 days at the third year's rent.
    assert spans(rows[-1:]) == [(date(2029, 1, 1), date(2029, 1, 14), D("1543.50"))]


def test_monthly_rent_in_year_compounds_and_rounds_each_year():
    assert monthly_rent_in_year(D("1000"), D("3.33"), 0) == D("1000.00")
    assert monthly_rent_in_year(D("1000"), D("3.33"), 1) == D("1033.30")
    assert monthly_rent_in_year(D("1000"), D("3.33"), 2) == D("1067.71")


@pytest.mark.parametrize(
    "window",
    [
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 1, 16), date(2026, 2, 1)),
        (date(2027, 11, 1), date(2028, 3, 31)),
        (date(2028, 12, 1), date(2030, 12, 31)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
@pytest.mark.parametrize("frequency", list(BillingFrequency))
def test_window_picks_the_periods_starting_inside_it(window, frequency):
    start, end = date(2026, 1, 15), date(2029, 1, 14)
    everything = periods(
        start, end, "3100", frequency=frequency, escalation="5", window=(start, end)
    )

    inside = periods(start, end, "3100", frequency=frequency, escalation="5", window=window)

    assert inside == [row for row in everything if window[0] <= row.start <= window[1]]


def test_window_of_a_quarter():
    rows = periods(
        date(2026, 1, 15), date(2027, 1, 14), "3100", window=(date(2026, 4, 1), date(2026, 6, 30))
    )

    assert [row.start for row in rows] == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]


def test_open_ended_lease_runs_to_the_window_end():
    rows = periods(date(2026, 1, 1), None, "5000", window=(date(2030, 1, 1), date(2030, 12, 31)))

    assert len(rows) == 12
    assert rows[0].start == date(2030, 1, 1)
    assert rows[-1].end == date(2030, 12, 31)


def test_billing_day_28_across_february():
    rows = periods(date(2026, 1, 28), date(2027, 1, 27), "2800", day=28)

    assert [(row.start, row.end) for row in rows[:3]] == [
        (date(2026, 1, 28), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2026, 3, 27)),
        (date(2026, 3, 28), date(2026, 4, 27)),
    ]
    assert len(rows) == 12
    assert {row.amount for row in rows} == {D("2800.00")}
    assert all(row.start.day == 28 for row in rows)
    assert_contiguous(rows)


def test_billing_day_28_with_a_stub():
    rows = periods(date(2026, 2, 10), date(2026, 12, 31), "2800", day=28)

    # 10–27 Feb is 18 of the 31 days from 28 Jan to 27 Feb.
    assert spans(rows[:2]) == [
        (date(2026, 2, 10), date(2026, 2, 27), D("1625.81")),
        (date(2026, 2, 28), date(2026, 3, 27), D("2800.00")),
    ]
    # 28 Dec – 31 Dec: 4 of the 31 days from 28 Dec to 27 Jan.
    assert spans(rows[-1:]) == [(date(2026, 12, 28), date(2026, 12, 31), D("361.29"))]
    assert_contiguous(rows)
