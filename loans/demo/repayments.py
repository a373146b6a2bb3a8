"""How a demo loan is repaid: the principal instalments of its schedule, interest every
quarter, and what the household actually did (paid on time, settled early to borrow
again, paid the last instalment late, or stopped paying).

Interest at each payment is what ``loans.interest.accrued_interest`` says the loan has
earned by then, less what was paid before, so a loan's interest always follows its rate
(and the 130% rate on principal past due).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..interest import accrued_interest, add_months

INTEREST_EVERY = 3  # months: the group collects interest at its quarterly meeting


@dataclass
class Behaviour:
    """What the household does: principal every ``period`` months after ``grace``
    months; ``settle_on`` pays everything left that day; ``late_days`` delays the last
    instalment; from ``stuck_from`` on no more principal, and nothing at all after
    ``paid_until`` (None: interest goes on being paid)."""

    period: int = 12
    grace: int = 0
    settle_on: date | None = None
    late_days: int = 0
    stuck_from: date | None = None
    paid_until: date | None = None

    @property
    def as_agreed(self) -> bool:
        """Pays the schedule as agreed, to the last instalment on the due date."""
        return (self.settle_on, self.late_days, self.stuck_from, self.paid_until) == (
            None, 0, None, None,
        )  # fmt: skip


def weekday(day: date) -> date:
    """The Friday before a Saturday or Sunday: the bank's desk opens on weekdays."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def instalments(
    amount: int, disbursed_on: date, due_on: date, term: int, behaviour: Behaviour
) -> list[tuple[date, int]]:
    """(date, principal) the household pays, after its behaviour."""
    months = list(range(behaviour.grace + behaviour.period, term, behaviour.period))
    dates = [weekday(add_months(disbursed_on, m)) for m in months]
    dates.append(weekday(due_on))
    base = amount // len(dates) // 1000 * 1000
    plan = [(day, base) for day in dates[:-1]]
    plan.append((dates[-1], amount - base * (len(dates) - 1)))
    if behaviour.settle_on is not None and behaviour.settle_on < plan[-1][0]:
        kept = [(day, p) for day, p in plan if day < behaviour.settle_on]
        plan = [*kept, (behaviour.settle_on, amount - sum(p for _, p in kept))]
    if behaviour.late_days:
        day, principal = plan[-1]
        plan[-1] = (weekday(day + timedelta(days=behaviour.late_days)), principal)
    if behaviour.stuck_from is not None:
        plan = [(day, p) for day, p in plan if day < behaviour.stuck_from]
    return plan


def payments(
    *,
    amount: int,
    annual_rate: Decimal,
    disbursed_on: date,
    due_on: date,
    term: int,
    behaviour: Behaviour,
    today: date,
) -> list[tuple[date, int, int]]:
    """The repayments (paid_on, principal, interest) up to ``today``."""
    principal = instalments(amount, disbursed_on, due_on, term, behaviour)
    settles = sum(p for _, p in principal) == amount
    last = principal[-1][0] if settles else min(today, behaviour.paid_until or today)
    by_day: dict[date, int] = {}
    for day, p in principal:
        if day <= last:
            by_day[day] = by_day.get(day, 0) + p
    step = INTEREST_EVERY
    while (day := weekday(add_months(disbursed_on, step))) <= last:
        by_day.setdefault(day, 0)
        step += INTEREST_EVERY
    rows, paid, interest_paid = [], [], 0
    for day in sorted(by_day):
        if day <= disbursed_on or day > today:
            continue
        due = accrued_interest(
            amount=amount,
            annual_rate=annual_rate,
            disbursed_on=disbursed_on,
            due_on=due_on,
            principal_payments=paid,
            on=day,
        )
        interest, p = due - interest_paid, by_day[day]
        if p or interest > 0:
            rows.append((day, p, max(interest, 0)))
            interest_paid += max(interest, 0)
            paid.append((day, p))  # every entry, as loan_amounts_due reads them
    return rows
