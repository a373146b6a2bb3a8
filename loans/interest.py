"""Interest and repayment schedules: plain arithmetic over dates and amounts, no database.

Day count: the social policy bank quotes monthly rates (0.55%/month for poor households,
6.6% a year) and counts a month as 30 days, so interest for one day is the annual rate
divided by 360. Principal past the due date pays ``OVERDUE_RATE_MULTIPLIER`` (130%) of
the normal rate. Amounts are whole VND, rounded half up once, at the end.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from .models import OVERDUE_RATE_MULTIPLIER

DAYS_IN_YEAR = Decimal(360)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, kept inside the target month (31/01 + 1 →
    28/02 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def accrued_interest(
    *,
    amount: int,
    annual_rate: Decimal,
    disbursed_on: date,
    due_on: date,
    principal_payments: Iterable[tuple[date, int]],
    on: date,
) -> int:
    """All interest the loan has earned from disbursement up to ``on`` (inclusive of
    the days before ``on``), on the principal outstanding day by day.

    ``principal_payments`` are (date, principal) of the effective repayments (reversed
    entries and their reversals left out, or both in: they cancel). A payment lowers the
    balance from its own date on.
    """
    if on <= disbursed_on:
        return 0
    daily = Decimal(annual_rate) / 100 / DAYS_IN_YEAR
    changes: dict[date, int] = {}
    for paid_on, principal in principal_payments:
        if paid_on < on:
            changes[max(paid_on, disbursed_on)] = (
                changes.get(max(paid_on, disbursed_on), 0) + principal
            )
    balance, cursor, total = amount, disbursed_on, Decimal(0)
    for moment in [*sorted(changes), on]:
        if moment > cursor:
            total += _interest_between(balance, daily, cursor, moment, due_on)
            cursor = moment
        balance -= changes.get(moment, 0)
    return _whole(total)


def _interest_between(
    balance: int, daily: Decimal, start: date, end: date, due_on: date
) -> Decimal:
    """Interest on ``balance`` for the days start ≤ d < end, at 130% after ``due_on``."""
    if balance <= 0:
        return Decimal(0)
    normal_days = max(0, (min(end, due_on) - start).days)
    overdue_days = max(0, (end - max(start, due_on)).days)
    return balance * daily * (normal_days + overdue_days * OVERDUE_RATE_MULTIPLIER)


@dataclass(frozen=True)
class Instalment:
    due_on: date
    principal: int
    interest_estimate: int
    balance_after: int


def repayment_schedule(
    *,
    amount: int,
    annual_rate: Decimal,
    disbursed_on: date,
    term_months: int,
    period_months: int = 12,
) -> list[Instalment]:
    """The planned instalments: equal principal every ``period_months`` (the last one on
    the due date takes the rounding), interest estimated on the declining balance."""
    periods = max(1, -(-term_months // period_months))
    base = amount // periods
    daily = Decimal(annual_rate) / 100 / DAYS_IN_YEAR
    due_on = add_months(disbursed_on, term_months)
    out, balance, start = [], amount, disbursed_on
    for i in range(1, periods + 1):
        end = due_on if i == periods else add_months(disbursed_on, i * period_months)
        principal = balance if i == periods else base
        interest = _whole(balance * daily * (end - start).days)
        balance -= principal
        out.append(Instalment(end, principal, interest, balance))
        start = end
    return out
