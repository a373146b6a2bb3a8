"""Report periods: a month, a quarter, the first nine months, a year, or custom dates.
Both ends are inclusive dates (local time)."""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def label(self) -> str:
        """ "Tháng 9/2025", "Quý 3/2025", "9 tháng đầu năm 2025", "Năm 2025" or the dates."""
        params = {"year": self.start.year, "month": self.start.month}
        if self.kind == PeriodKind.MONTH:
            return _("Month %(month)s/%(year)s") % params
        if self.kind == PeriodKind.QUARTER:
            params["quarter"] = (self.start.month - 1) // 3 + 1
            return _("Quarter %(quarter)s/%(year)s") % params
        if self.kind == PeriodKind.NINE_MONTHS:
            return _("First nine months of %(year)s") % params
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % params
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def year_before(self) -> "Period":
        """The same span one year earlier. An end on a month's last day stays on that
        month's last day (February 2025 -> all of February 2024, the 29th included)."""
        return Period(
            self.kind, _year_back(self.start), _year_back(self.end, month_end=True)
        )


def _year_back(day: date, *, month_end: bool = False) -> date:
    year = day.year - 1
    last = calendar.monthrange(year, day.month)[1]
    if month_end and day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, day.month, last)
    return date(year, day.month, min(day.day, last))


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(PeriodKind.MONTH, date(year, number, 1), date(year, number, last))


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    last = first + 2
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(PeriodKind.QUARTER, date(year, first, 1), end)


def nine_months(year: int) -> Period:
    return Period(PeriodKind.NINE_MONTHS, date(year, 1, 1), date(year, 9, 30))


def whole_year(year: int) -> Period:
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))


def custom(start: date, end: date) -> Period:
    return Period(PeriodKind.CUSTOM, start, end)
