"""Interest and repayment schedules: plain arithmetic over dates and amounts, no database.

Day count: the social policy bank quotes monthly rates (0.55%/month for poor households,
6.6% a year) and counts a month as 30 days, so interest for one day is the annual rate
divided by 360. Principal past the due date pays ``OVERDUE_RATE_MULTIPLIER`` (130%) of
the normal rate. Amounts are whole VND, rounded half up once, at the end.
"""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .models import OVERDUE_RATE_MULTIPLIER

DAYS_IN_YEAR = 360


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, kept inside the target month (31/01 + 1 →
    28/02 or 29/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _whole(value: Fraction) -> int:
    """Round half up to whole VND."""
    return math.floor(value + Fraction(1, 2))


def _interest(weighted_balance_days: Fraction, annual_rate: Decimal) -> int:
    """Interest on a sum of (balance × days) at ``annual_rate`` percent, computed exactly
    (fractions, not 28-digit decimals) and rounded once, so 5,505.5 becomes 5,506."""
    return _whole(weighted_balance_days * Fraction(annual_rate) / (100 * DAYS_IN_YEAR))


def accrued_interest(
    *,
    amount: int,
    annual_rate: Decimal,
    disbursed_on: date,
    due_on: date,
    principal_payments: Iterable[tuple[date, int]],
    on: date,
) -> int:
    """All interest the loan has earned from disbursement up to ``on`` (the days before
    ``on``), on the principal outstanding day by day.

    ``principal_payments`` are (date, principal) of the repayments, reversals included
    (they cancel the entry they reverse). A payment lowers the balance from its own date.
    """
    if on <= disbursed_on:
        return 0
    changes: dict[date, int] = {}
    for paid_on, principal in principal_payments:
        if paid_on < on:
            day = max(paid_on, disbursed_on)
            changes[day] = changes.get(day, 0) + principal
    balance, cursor, weighted = amount, disbursed_on, Fraction(0)
    for moment in [*sorted(changes), on]:
        if moment > cursor:
            weighted += _balance_days(balance, cursor, moment, due_on)
            cursor = moment
        balance -= changes.get(moment, 0)
    return _interest(weighted, annual_rate)


def _balance_days(balance: int, start: date, end: date, due_on: date) -> Fraction:
    """balance × days for start ≤ d < end, days after ``due_on`` weighted at 130%.

    The due date itself is the last day at the normal rate: the loan is overdue from the
    next day on, as ``Loan.is_overdue`` says."""
    if balance <= 0:
        return Fraction(0)
    first_overdue = due_on + timedelta(days=1)
    normal_days = max(0, (min(end, first_overdue) - start).days)
    overdue_days = max(0, (end - max(start, first_overdue)).days)
    return balance * (normal_days + overdue_days * Fraction(OVERDUE_RATE_MULTIPLIER))


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
    """The planned instalments: equal principal every ``period_months`` in whole thousands
    of đồng, as the savings groups collect it (the last one, on the due date, takes the
    rest), interest estimated on the declining balance."""
    periods = max(1, -(-term_months // period_months))
    base = amount // periods // 1000 * 1000
    due_on = add_months(disbursed_on, term_months)
    out, balance, start = [], amount, disbursed_on
    for i in range(1, periods + 1):
        end = due_on if i == periods else add_months(disbursed_on, i * period_months)
        principal = balance if i == periods else base
        interest = _interest(Fraction(balance * (end - start).days), annual_rate)
        balance -= principal
        out.append(Instalment(end, principal, interest, balance))
        start = end
    return out
