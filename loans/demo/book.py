"""The demo loan book of Xã Ea Ktur, planned to reproduce the commune's figures.

The plan, in the order it is made:

1. The households that borrowed from 01/01 to 30/09/2025 (exactly the target number,
   picked with weights: nearly every poor, near-poor and recently escaped household,
   more often in the ethnic-minority hamlets), each with its 2025 loan, often the loan
   it repaid to borrow again, sometimes a second program.
2. The amounts of the 2025 loans, nudged in round millions until their total is exactly
   the target.
3. Households whose loans of 2021-2024 were still running in 2025, added until the
   principal outstanding at 31/12/2024 reaches the target; then the amounts of loans
   disbursed in 2024 (none of their principal was due that year) are nudged until it is
   exact. Older, settled loans and loans after the report's period on top.
4. Overdue loans: loans fallen due since 2025 whose household stopped paying, until they
   are the target share of the book. Applications still waiting, and some rejected.
5. The eligibility verdict on every loan, contract numbers, the savings groups.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from households.demo import DEFAULT_HOUSEHOLDS, pick

from ..interest import add_months
from . import profiles as p
from .groups import GroupPlan, plan_groups
from .households import ESCAPED, LISTED, DemoHousehold, DemoVillage
from .plans import AVERAGE, Choices, LoanPlan, business_day, day_in
from .repayments import instalments, weekday
from .verdicts import judge_all

M = p.MILLION
LIST_LOANS = (p.POOR_LOAN, p.NEAR_LOAN, p.ESCAPED_LOAN)
LONG_LOANS = (p.STUDENT_LOAN, p.HOUSING_LOAN)  # never short enough to be history


@dataclass(frozen=True)
class Targets:
    households: int  # distinct households with a loan disbursed in the window
    amount: int  # VND disbursed in the window
    outstanding: int  # VND of principal outstanding at OUTSTANDING_ON
    applied: int
    approved: int
    rejected: int
    reversals: int

    @classmethod
    def scaled(cls, households: int) -> "Targets":
        """The commune's figures for a commune of ``households`` households."""
        scale = households / DEFAULT_HOUSEHOLDS
        pending = {k: max(2, round(n * scale)) for k, n in p.PENDING.items()}
        return cls(
            households=round(p.WINDOW_HOUSEHOLDS * scale),
            amount=round(p.WINDOW_AMOUNT * scale / M) * M,
            outstanding=round(p.OUTSTANDING * scale / M) * M,
            reversals=max(1, round(6 * scale)),
            **pending,
        )


@dataclass
class Book:
    targets: Targets
    groups: list[GroupPlan]
    loans: list[LoanPlan]


def outstanding(loans: list[LoanPlan], day: date) -> int:
    """Principal of ``loans`` disbursed by ``day`` and not repaid by then."""
    return sum(
        x.amount - x.repaid_by(day)
        for x in loans
        if x.disbursed_on is not None and x.disbursed_on <= day
    )


def plan_book(
    rng: random.Random,
    *,
    villages: list[DemoVillage],
    households: list[DemoHousehold],
    programs: dict,
    today: date,
    targets: Targets | None = None,
) -> Book:
    """The whole book for these households, repaid up to ``today`` (after 30/09/2025).
    ``programs`` maps each code of ``profiles.PROGRAMS`` to its ``LoanProgram``."""
    targets = targets or Targets.scaled(len(households))
    planner = _Planner(rng, programs, today)
    window = planner.pick_window(households, targets.households)
    chosen = {h.pk for h in window}
    for h in window:
        planner.window_household(h)
    start, end = p.WINDOW
    in_window = [x for x in planner.loans if start <= x.disbursed_on <= end]
    rng.shuffle(in_window)
    nudge(in_window, targets.amount, programs)
    planner.repay_all()
    rest = [h for h in households if h.pk not in chosen]
    running = planner.fill_outstanding(rest, targets.outstanding)
    planner.exact_outstanding(targets.outstanding)
    for h in rest[running:]:
        planner.other_household(h)
    planner.overdue(round(p.OVERDUE_SHARE * sum(1 for x in planner.loans)))
    planner.waiting(households, targets)
    judge_all(planner.by_household, programs)
    planner.contracts()
    planner.reversals(targets.reversals)
    groups, group_of = plan_groups(rng, villages, households, set(planner.by_household))
    for loan in planner.loans:
        loan.group = group_of[loan.household.pk]
    return Book(targets, groups, planner.loans)


def nudge(loans: list[LoanPlan], target: int, programs: dict) -> int:
    """Move the amounts by 10, 5, then 1 million, one loan after another, within each
    program's least amount and cap, until they add up to ``target``; the new total."""
    total = sum(x.amount for x in loans)
    for step in (10 * M, 5 * M, M):
        moved = True
        while abs(target - total) >= step and moved:
            moved = False
            for loan in loans:
                if abs(target - total) < step:
                    break
                delta = step if target > total else -step
                amount = loan.amount + delta
                least = p.LENDING[loan.program].least * M
                if least <= amount <= programs[loan.program].cap_for(loan.term):
                    loan.amount, total, moved = amount, total + delta, True
    return total


class _Planner(Choices):
    def __init__(self, rng: random.Random, programs: dict, today: date) -> None:
        super().__init__(rng, programs)
        self.today = today

    # --- days ------------------------------------------------------------------------

    def window_day(self) -> date:
        month = pick(self.rng, p.WINDOW_MONTHS)
        if month == 1:  # the year's first disbursements come mid-January
            return business_day(self.rng, date(2025, 1, 13), date(2025, 1, 31))
        return day_in(self.rng, 2025, month)

    def after_window_day(self, start: date = date(2025, 10, 1)) -> date | None:
        last = self.today - timedelta(days=3)
        if start > last:
            return None
        return business_day(self.rng, start, min(last, start + timedelta(days=300)))

    def day_before(self, years: dict, latest: date) -> date | None:
        """A day in a year drawn from ``years``, before ``latest``."""
        year = pick(self.rng, years)
        if date(year, 1, 3) >= latest:
            return None
        first = date(2021, 7, 1) if year == 2021 and years is p.RUNNING_YEARS else None
        first = first or date(year, 1, 3)
        return business_day(self.rng, first, min(date(year, 12, 28), latest))

    # --- 1. the window ---------------------------------------------------------------

    def pick_window(self, households: list[DemoHousehold], n: int) -> list:
        def weight(h: DemoHousehold) -> float:
            status = h.status_in(2025)
            w = 40 if status in LISTED else 30 if status in ESCAPED else 1
            w = 8 if status == AVERAGE else w
            if h.in_minority_village:
                w *= 1.6
            if status not in LISTED and h.lacks(2025, "water_source", "latrine"):
                w *= 2.5
            return w * (1.5 if h.college_students else 1)

        keyed = sorted(
            households, key=lambda h: -(self.rng.random() ** (1 / weight(h)))
        )
        return sorted(keyed[:n], key=lambda h: h.pk)

    def window_household(self, h: DemoHousehold) -> None:
        rng = self.rng
        main = self.program(h, 2025)
        new = self.disbursed(h, main, self.window_day(), not_before=date(2025, 1, 2))
        used = {main}
        if rng.random() < p.ROLLOVER_SHARE:  # it repaid a loan falling due about now
            term = pick(rng, p.ROLLOVER_TERMS)
            shift = timedelta(days=rng.randint(-90, 240))
            start = max(
                weekday(add_months(new.disbursed_on, -term) + shift), p.BOOK_STARTS
            )
            if start < new.applied_on - timedelta(days=75):
                code = self.program(h, start.year)
                fits = term <= (self.programs[code].max_term_months or term)
                before = self.disbursed(h, code, start, term=term if fits else None)
                used.add(code)
                if code == main:
                    new.replaces = before
                    if weekday(before.due_on) > new.applied_on:
                        settle = max(
                            new.applied_on - timedelta(days=25),
                            before.disbursed_on + timedelta(days=30),
                        )
                        before.behaviour.settle_on = business_day(
                            rng, settle, new.applied_on
                        )
        if rng.random() < p.RUNNING_SHARE:  # another program, running through 2025
            day = self.day_before(p.RUNNING_YEARS, new.applied_on - timedelta(days=30))
            if day is not None:
                code = self.program(h, day.year, exclude=used)
                used.add(self.disbursed(h, code, day).program)
        if rng.random() < 0.06:  # a second program in the same months
            code = self.program(h, 2025, exclude=used)
            used.add(code)
            self.disbursed(h, code, self.window_day(), not_before=date(2025, 1, 2))
        if rng.random() < 0.04 and (day := self.after_window_day()):
            self.disbursed(h, self.program(h, day.year, exclude=used), day)

    # --- 3. the book running into 2025 ------------------------------------------------

    def repay_all(self, loans: list[LoanPlan] | None = None) -> None:
        for loan in self.loans if loans is None else loans:
            loan.repay(self.programs, self.today)

    def fill_outstanding(self, rest: list[DemoHousehold], target: int) -> int:
        """Give households loans running through 2025 until the outstanding at the end
        of 2024 reaches ``target``; how many of ``rest`` (reordered) got one."""

        def weight(h: DemoHousehold) -> float:
            w = 12 if h.statuses.get(2024) in LISTED else 4 if h.ever_listed else 1
            w *= 2 if h.statuses.get(2024) == AVERAGE else 1
            return w * (1.5 if h.in_minority_village else 1)

        rest.sort(key=lambda h: -(self.rng.random() ** (1 / weight(h))))
        total = outstanding(self.loans, p.OUTSTANDING_ON)
        for count, h in enumerate(rest):
            if total >= target:
                return count
            mark = len(self.loans)
            self.running_household(h)
            self.repay_all(self.loans[mark:])
            total += outstanding(self.loans[mark:], p.OUTSTANDING_ON)
        return len(rest)

    def running_household(self, h: DemoHousehold) -> None:
        rng = self.rng
        day = self.day_before(p.RUNNING_YEARS, date(2024, 12, 28))
        loan = self.disbursed(h, self.program(h, day.year), day)
        if rng.random() < 0.07:
            loan.behaviour.late_days = rng.randint(15, 240)
        if rng.random() < 0.45:  # and one of another program
            day = self.day_before(p.RUNNING_YEARS, date(2024, 12, 28))
            code = self.program(h, day.year, exclude={loan.program})
            self.disbursed(h, code, day)
        if rng.random() < 0.25:  # an earlier loan, repaid before this one
            term = rng.choice((24, 36))
            latest = add_months(loan.applied_on, -term) - timedelta(days=20)
            if latest > date(2019, 1, 10):
                start = business_day(rng, date(2019, 1, 3), latest)
                code = self.program(h, start.year, exclude=LONG_LOANS)
                self.disbursed(h, code, start, term=term)
        if rng.random() < 0.45:  # and borrows again once it is repaid
            self.again_after(h, loan)

    def again_after(self, h: DemoHousehold, loan: LoanPlan) -> None:
        b = loan.behaviour
        repaid = instalments(loan.amount, loan.disbursed_on, loan.due_on, loan.term, b)
        start = max(repaid[-1][0] + timedelta(days=20), date(2025, 10, 1))
        day = self.after_window_day(start)
        if day is not None:
            again = self.disbursed(
                h, self.program(h, day.year), day, not_before=repaid[-1][0]
            )
            if again.program == loan.program:
                again.replaces = loan

    def exact_outstanding(self, target: int) -> None:
        """Nudge loans disbursed in 2024 that repaid no principal that year."""
        end = p.OUTSTANDING_ON
        movable = [
            x
            for x in self.loans
            if x.disbursed_on.year == end.year and x.repaid_by(end) == 0
        ]
        fixed = outstanding(self.loans, end) - sum(x.amount for x in movable)
        self.rng.shuffle(movable)
        nudge(movable, target - fixed, self.programs)
        self.repay_all(movable)

    def other_household(self, h: DemoHousehold) -> None:
        """Households with nothing running in 2025: some repaid a loan before, some
        borrow after the report's period."""
        rng = self.rng
        if rng.random() < 0.08:
            term = rng.choice((24, 36))
            latest = min(add_months(date(2024, 11, 30), -term), date(2021, 12, 28))
            start = business_day(rng, date(2019, 1, 3), latest)
            code = self.program(h, start.year, exclude=LONG_LOANS)
            self.disbursed(h, code, start, term=term).repay(self.programs, self.today)
        if rng.random() < 0.08 and (day := self.after_window_day()):
            code = self.program(h, day.year)
            self.disbursed(h, code, day).repay(self.programs, self.today)

    # --- 4. overdue and waiting -------------------------------------------------------

    def overdue(self, target: int) -> None:
        """Households that stopped paying a loan fallen due since 2025 (the end of 2024
        stays as it was); some go on paying the interest."""
        rng, today = self.rng, self.today
        now = [x for x in self.loans if x.status == "disbursed" and x.due_on < today]
        replaced = {id(x.replaces) for x in self.loans if x.replaces}
        latest = today - timedelta(days=20)
        candidates = [
            x
            for x in self.loans
            if x.status == "settled"
            and date(2025, 1, 15) <= x.due_on <= latest
            and x.behaviour.as_agreed
            and id(x) not in replaced
            and not any(
                o.applied_on > x.due_on for o in self.by_household[x.household.pk]
            )
        ]
        rng.shuffle(candidates)
        for loan in candidates[: max(0, target - len(now))]:
            stuck = business_day(rng, date(2025, 1, 2), weekday(loan.due_on))
            roll = rng.random()
            if roll < 0.2:
                loan.behaviour.paid_until = stuck - timedelta(days=1)
            elif roll < 0.55:
                until = stuck + timedelta(days=rng.randint(60, 300))
                loan.behaviour.paid_until = min(until, today)
            loan.behaviour.stuck_from = stuck
            loan.repay(self.programs, today)

    def waiting(self, households: list[DemoHousehold], targets: Targets) -> None:
        """Applications not yet disbursed: waiting, approved, and a few rejected (some
        for a program the household is not on the list for)."""
        rng, today = self.rng, self.today
        free = [
            h
            for h in households
            if all(x.status == "settled" for x in self.by_household.get(h.pk, []))
        ]
        rng.shuffle(free)
        picks = iter(free + rng.sample(households, len(households)))
        for _ in range(targets.applied):
            h = next(picks)
            day = business_day(rng, today - timedelta(days=30), today)
            self.loan(h, self.program(h, day.year), day)
        for _ in range(targets.approved):
            h = next(picks)
            day = business_day(
                rng, today - timedelta(days=50), today - timedelta(days=8)
            )
            approved = business_day(rng, day + timedelta(days=2), today)
            self.loan(h, self.program(h, day.year), day, status="approved",
                      approved_on=min(approved, today))  # fmt: skip
        for _ in range(targets.rejected):
            h = rng.choice(households)
            day = business_day(rng, date(2024, 3, 1), today - timedelta(days=15))
            code = self.program(h, day.year)
            if rng.random() < 0.35:
                code = rng.choice(LIST_LOANS)
            rejected = business_day(
                rng, day + timedelta(days=5), day + timedelta(days=30)
            )
            self.loan(h, code, day, status="rejected", rejected_on=min(rejected, today))

    # --- 5. the paperwork -------------------------------------------------------------

    def contracts(self) -> None:
        """Contract numbers by year of disbursement; a loan that replaces one says so."""
        paid_out = sorted(
            (x for x in self.loans if x.disbursed_on),
            key=lambda x: (x.disbursed_on, x.order),
        )
        numbers: dict[int, int] = {}
        for loan in paid_out:
            year = loan.disbursed_on.year
            numbers[year] = numbers.get(year, 0) + 1
            loan.contract_number = f"HĐ-{year}-{numbers[year]:05d}"
        for loan in paid_out:
            if loan.replaces is not None:
                loan.notes = p.ROLLOVER_NOTE % {
                    "contract": loan.replaces.contract_number
                }

    def reversals(self, n: int) -> None:
        """A few repayments entered twice by mistake and reversed the same day."""
        open_loans = [
            x for x in self.loans if x.status == "disbursed" and len(x.payments) >= 3
        ]
        for loan in self.rng.sample(open_loans, min(n, len(open_loans))):
            loan.duplicate = self.rng.randrange(len(loan.payments) - 1)
