"""Report periods: their first and last days, their labels in both languages, and the
same span one year earlier."""

from datetime import date

import pytest
from django.utils import translation

from eakutur.dashboard import periods
from eakutur.dashboard.periods import Period, PeriodKind


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (periods.month(2025, 1), date(2025, 1, 1), date(2025, 1, 31)),
        (periods.month(2025, 2), date(2025, 2, 1), date(2025, 2, 28)),
        (periods.month(2024, 2), date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (periods.month(2000, 2), date(2000, 2, 1), date(2000, 2, 29)),  # 400-year rule
        (periods.month(2100, 2), date(2100, 2, 1), date(2100, 2, 28)),  # 100-year rule
        (periods.month(2025, 4), date(2025, 4, 1), date(2025, 4, 30)),
        (periods.month(2025, 12), date(2025, 12, 1), date(2025, 12, 31)),
        (periods.quarter(2025, 1), date(2025, 1, 1), date(2025, 3, 31)),
        (periods.quarter(2025, 2), date(2025, 4, 1), date(2025, 6, 30)),
        (periods.quarter(2025, 3), date(2025, 7, 1), date(2025, 9, 30)),
        (periods.quarter(2025, 4), date(2025, 10, 1), date(2025, 12, 31)),
        (periods.nine_months(2025), date(2025, 1, 1), date(2025, 9, 30)),
        (periods.whole_year(2024), date(2024, 1, 1), date(2024, 12, 31)),
        (
            periods.custom(date(2025, 3, 5), date(2025, 3, 5)),
            date(2025, 3, 5),
            date(2025, 3, 5),
        ),
    ],
)
def test_first_and_last_days(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_kinds():
    assert periods.month(2025, 9).kind == PeriodKind.MONTH
    assert periods.quarter(2025, 3).kind == PeriodKind.QUARTER
    assert periods.nine_months(2025).kind == PeriodKind.NINE_MONTHS
    assert periods.whole_year(2025).kind == PeriodKind.YEAR
    assert periods.custom(date(2025, 1, 1), date(2025, 2, 1)).kind == PeriodKind.CUSTOM


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        periods.custom(date(2025, 9, 30), date(2025, 9, 29))


@pytest.mark.parametrize("number", [0, 13])
def test_there_is_no_month_13(number):
    with pytest.raises(ValueError):
        periods.month(2025, number)


@pytest.mark.parametrize(
    ("period", "vi", "en"),
    [
        (periods.month(2025, 9), "Tháng 9/2025", "Month 9/2025"),
        (periods.quarter(2025, 3), "Quý 3/2025", "Quarter 3/2025"),
        (periods.quarter(2025, 4), "Quý 4/2025", "Quarter 4/2025"),
        (
            periods.nine_months(2025),
            "9 tháng đầu năm 2025",
            "First nine months of 2025",
        ),
        (periods.whole_year(2024), "Năm 2024", "Year 2024"),
        (
            periods.custom(date(2025, 2, 1), date(2025, 3, 15)),
            "01/02/2025 – 15/03/2025",
            "01/02/2025 – 15/03/2025",
        ),
    ],
)
def test_labels(period, vi, en):
    with translation.override("vi"):
        assert period.label == vi
    with translation.override("en"):
        assert period.label == en


@pytest.mark.parametrize(
    ("period", "before"),
    [
        (periods.nine_months(2025), periods.nine_months(2024)),
        (periods.whole_year(2025), periods.whole_year(2024)),
        (periods.quarter(2025, 1), periods.quarter(2024, 1)),
        (periods.month(2025, 9), periods.month(2024, 9)),
        # The leap month: 01–29/02/2024 a year earlier is 01–28/02/2023.
        (periods.month(2024, 2), periods.month(2023, 2)),
        (
            periods.custom(date(2024, 2, 29), date(2024, 3, 1)),
            periods.custom(date(2023, 2, 28), date(2023, 3, 1)),
        ),
        (
            periods.custom(date(2025, 2, 28), date(2025, 12, 31)),
            periods.custom(date(2024, 2, 28), date(2024, 12, 31)),
        ),
    ],
)
def test_year_before(period, before):
    assert period.year_before() == before


def test_periods_compare_by_value():
    assert periods.nine_months(2025) == Period(
        PeriodKind.NINE_MONTHS, date(2025, 1, 1), date(2025, 9, 30)
    )
    assert periods.nine_months(2025) != periods.custom(
        date(2025, 1, 1), date(2025, 9, 30)
    )


def test_a_february_a_year_before_is_the_whole_february():
    from datetime import date

    from eakutur.dashboard.periods import month

    assert month(2025, 2).year_before().end == date(2024, 2, 29)
    assert month(2024, 2).year_before().end == date(2023, 2, 28)
    assert month(2025, 3).year_before().start == date(2024, 3, 1)
