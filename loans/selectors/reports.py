"""The period report: loans disbursed in any date range, and the principal outstanding
on a date."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum

from households.selectors import villages_for

from ..models import (
    LoanProgram,
    Repayment,
)
from .scope import loans_for

# --- The period report ----------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    label: str
    households: int
    loans: int
    amount: int


@dataclass(frozen=True)
class PeriodReport:
    start: date
    end: date
    total: PeriodRow
    by_program: list[PeriodRow]
    by_village: list[PeriodRow]
    outstanding_on: date
    outstanding: int


def outstanding_on(*, user, day: date, village: int | None = None) -> int:
    """Principal owed at the end of ``day``: disbursed by then, minus principal repaid by
    then (reversals are dated like the entry they cancel, so they net out)."""
    loans = loans_for(user).filter(disbursed_on__lte=day)
    if village:
        loans = loans.filter(household__village_id=village)
    lent = loans.aggregate(total=Sum("amount", default=0))["total"]
    repaid = Repayment.objects.filter(loan__in=loans.values("pk"), paid_on__lte=day)
    return lent - repaid.aggregate(total=Sum("principal", default=0))["total"]


def period_report(
    *,
    user,
    start: date,
    end: date,
    outstanding_at: date | None = None,
    village: int | None = None,
) -> PeriodReport:
    """Loans disbursed from ``start`` to ``end`` (inclusive): distinct households, loans
    and amount, in total, by program and by village; and the principal outstanding on
    ``outstanding_at`` (default ``end``). Five queries whatever the size."""
    loans = loans_for(user).disbursed_between(start, end)
    if village:
        loans = loans.filter(household__village_id=village)
    loans = loans.order_by()
    figures = {
        "households": Count("household", distinct=True),
        "loans": Count("id"),
        "amount": Sum("amount", default=0),
    }
    total = loans.aggregate(**figures)
    programs = {p.pk: p for p in LoanProgram.objects.all()}
    by_program = [
        PeriodRow(
            str(programs[row["program"]]),
            row["households"],
            row["loans"],
            row["amount"],
        )
        for row in loans.values("program").annotate(**figures).order_by("program")
    ]
    by_program.sort(key=lambda r: -r.amount)
    villages = {v.pk: v for v in villages_for(user)}
    rows = loans.values("household__village").annotate(**figures)
    found = {row["household__village"]: row for row in rows}
    by_village = [
        PeriodRow(
            str(v),
            found[v.pk]["households"],
            found[v.pk]["loans"],
            found[v.pk]["amount"],
        )
        for v in villages.values()
        if v.pk in found
    ]
    day = outstanding_at or end
    return PeriodReport(
        start=start,
        end=end,
        total=PeriodRow("", total["households"], total["loans"], total["amount"]),
        by_program=by_program,
        by_village=by_village,
        outstanding_on=day,
        outstanding=outstanding_on(user=user, day=day, village=village),
    )
