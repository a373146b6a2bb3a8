"""One planned loan and the choices every loan of the demo book makes: which program a
household borrows from in a given year, for what, how much, for how long, and when."""

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from households.demo import pick
from households.models import PovertyStatus

from ..interest import add_months
from . import profiles as p
from .households import ESCAPED, LISTED, DemoHousehold
from .repayments import Behaviour, payments, weekday

POOR, NEAR = PovertyStatus.POOR, PovertyStatus.NEAR_POOR
AVERAGE, ESCAPED_POOR = PovertyStatus.AVERAGE, PovertyStatus.ESCAPED_POOR


@dataclass(eq=False)
class LoanPlan:
    """A loan as it will be written: its facts, status and repayments."""

    order: int  # planning order: ties between same-day applications
    household: DemoHousehold
    program: str
    purpose: str
    amount: int
    term: int
    applied_on: date
    status: str = "applied"
    approved_on: date | None = None
    disbursed_on: date | None = None
    due_on: date | None = None
    rejected_on: date | None = None
    rejection_reason: str = ""
    behaviour: Behaviour = field(default_factory=Behaviour)
    payments: list[tuple[date, int, int]] = field(default_factory=list)
    eligibility: str = ""
    reasons: str = ""
    override_reason: str = ""
    contract_number: str = ""
    notes: str = ""
    replaces: "LoanPlan | None" = None  # the loan settled to make room for this one
    group: int | None = None  # index into Book.groups
    duplicate: int | None = None  # index of a payment entered twice, then reversed

    @property
    def principal_repaid(self) -> int:
        return sum(pr for _day, pr, _i in self.payments)

    @property
    def interest_paid(self) -> int:
        return sum(i for _day, _p, i in self.payments)

    @property
    def settled_on(self) -> date | None:
        return self.payments[-1][0] if self.status == "settled" else None

    def repaid_by(self, day: date) -> int:
        return sum(pr for paid_on, pr, _i in self.payments if paid_on <= day)

    def repay(self, programs: dict, today: date) -> None:
        """Work out the repayments up to ``today`` and the status they leave."""
        if self.disbursed_on is None:
            return
        self.payments = payments(
            amount=self.amount,
            annual_rate=programs[self.program].annual_rate,
            disbursed_on=self.disbursed_on,
            due_on=self.due_on,
            term=self.term,
            behaviour=self.behaviour,
            today=today,
        )
        self.status = "settled" if self.principal_repaid == self.amount else "disbursed"


def business_day(rng: random.Random, start: date, end: date) -> date:
    """A weekday between ``start`` and ``end`` (both included, if they are weekdays)."""
    day = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
    day = weekday(day)
    return day if day >= start else start + timedelta(days=7 - start.weekday())


def day_in(rng: random.Random, year: int, month: int | None = None) -> date:
    month = month or rng.randint(1, 12)
    last = calendar.monthrange(year, month)[1]
    return business_day(rng, date(year, month, 1), date(year, month, last))


class Choices:
    """The household-level choices, over one seeded ``random.Random``."""

    def __init__(self, rng: random.Random, programs: dict) -> None:
        self.rng, self.programs = rng, programs
        self.loans: list[LoanPlan] = []
        self.by_household: dict[int, list[LoanPlan]] = {}
        self._earlier: dict[int, str] = {}

    # --- program and purpose ---------------------------------------------------------

    def earlier_status(self, h: DemoHousehold) -> str:
        """The household's standing before the registry's first review (2024), for
        loans of 2019-2023: most listed families were listed before, and some of those
        now above the line were poor or near-poor then."""
        if h.pk not in self._earlier:
            rng, now = self.rng, h.statuses.get(2024)
            roll = rng.random()
            if now in LISTED:
                status = now if roll < 0.8 else (NEAR if now == POOR else POOR)
            elif now == AVERAGE:
                status = NEAR if roll < 0.35 else POOR if roll < 0.55 else now
                status = ESCAPED_POOR if 0.55 <= roll < 0.7 else status
            else:
                status = NEAR if roll < 0.12 else POOR if roll < 0.17 else now
                status = ESCAPED_POOR if 0.17 <= roll < 0.25 else status
            self._earlier[h.pk] = status or PovertyStatus.NONE
        return self._earlier[h.pk]

    def program(self, h: DemoHousehold, year: int, exclude=()) -> str:
        """What the household borrows for in ``year``: its list's program when it is on
        one, otherwise production (mostly in the ethnic-minority hamlets), jobs, clean
        water, a student's studies."""
        status = h.status_in(year) if year >= 2024 else self.earlier_status(h)
        seen = max(year, 2024)
        em, weights = h.in_minority_village, {}
        policy = status in LISTED or status in ESCAPED
        if status == POOR:
            weights[p.POOR_LOAN] = 80
        elif status == NEAR:
            weights[p.NEAR_LOAN] = 80
        elif status in ESCAPED:
            weights[p.ESCAPED_LOAN] = 80
        else:
            weights[p.AREA_LOAN] = 45 if em else 10
            weights[p.JOB_LOAN] = 10 if em else 22
        if h.lacks(seen, "water_source", "latrine"):
            weights[p.WATER_LOAN] = 24 if policy else 105
        elif year < 2024:  # before its first review the registry does not know
            weights[p.WATER_LOAN] = 3 if policy else 10
        else:  # a new facility although the review found none missing: rare
            weights[p.WATER_LOAN] = 0.3 if policy else 1
        if em:
            weights[p.AREA_LOAN] = weights.get(p.AREA_LOAN, 0) + 6
        if h.college_students:
            weights[p.STUDENT_LOAN] = 6 if policy else 14
        poor_minority = status == POOR and (em or h.head_is_minority)
        if poor_minority and h.lacks(seen, "housing_quality"):
            weights[p.HOUSING_LOAN] = 5
        if not h.farms:  # the production loan needs a farm or a business
            weights.pop(p.AREA_LOAN, None)
        for code in exclude:
            weights.pop(code, None)
        return pick(self.rng, weights or {p.JOB_LOAN: 1})

    def purpose(self, h: DemoHousehold, program: str) -> str:
        if program in p.PROGRAM_PURPOSE:
            return pick(self.rng, p.PROGRAM_PURPOSE[program])
        weights: dict[str, float] = {}
        for weight, crop in zip((6, 3, 2), h.crops, strict=False):
            purpose = p.CROP_PURPOSE[crop]
            weights[purpose] = weights.get(purpose, 0) + weight
        for purpose, weight in p.EXTRA_PURPOSE.get(program, {"trade": 1}).items():
            weights[purpose] = weights.get(purpose, 0) + weight
        return pick(self.rng, weights)

    # --- one loan --------------------------------------------------------------------

    def cap(self, program: str, term: int) -> int:
        return self.programs[program].cap_for(term)

    def loan(
        self, h: DemoHousehold, program: str, applied_on: date, **facts
    ) -> LoanPlan:
        rng, lending = self.rng, p.LENDING[program]
        term = facts.pop("term", None) or pick(rng, lending.terms)
        year = (facts.get("disbursed_on") or applied_on).year
        amount = pick(rng, lending.amounts(year)) * p.MILLION
        plan = LoanPlan(
            order=len(self.loans),
            household=h,
            program=program,
            purpose=self.purpose(h, program),
            amount=min(amount, self.cap(program, term)),
            term=term,
            applied_on=applied_on,
            **facts,
        )
        self.loans.append(plan)
        self.by_household.setdefault(h.pk, []).append(plan)
        return plan

    def disbursed(
        self,
        h: DemoHousehold,
        program: str,
        disbursed_on: date,
        *,
        not_before: date = p.BOOK_STARTS,
        term: int | None = None,
    ) -> LoanPlan:
        """A loan applied for a week to six weeks before the money went out."""
        rng = self.rng
        applied = weekday(disbursed_on - timedelta(days=rng.randint(8, 42)))
        applied = min(max(applied, not_before), disbursed_on)
        plan = self.loan(
            h,
            program,
            applied,
            term=term,
            status="disbursed",
            approved_on=min(business_day(rng, applied, disbursed_on), disbursed_on),
            disbursed_on=disbursed_on,
        )
        plan.due_on = add_months(disbursed_on, plan.term)
        lending = p.LENDING[program]
        grace = plan.term // 2 if lending.grace is None else lending.grace
        period = lending.period
        roll = rng.random()
        if program in (p.POOR_LOAN, p.NEAR_LOAN, p.ESCAPED_LOAN) and roll < 0.25:
            period = 6
        elif plan.term <= 36 and not grace and roll > 1 - p.BULLET_SHARE:
            period = plan.term  # the whole principal on the due date
        plan.behaviour = Behaviour(period=period, grace=grace)
        return plan
