"""Reads of the loan book, scoped to what the user may see.

A loan is visible when its household's village is (``households.selectors.villages_for``),
so a village officer sees the loans of their villages only, and another village's loan is a
404. Lists, totals, the overdue list and the period report all start from ``loans_for``.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from households.models import Household, PovertyReview, Village
from households.selectors import households_for, villages_for
from households.text import fold

from .eligibility import HouseholdFacts, Judgement, judge_many
from .models import (
    DisbursementImport,
    Loan,
    LoanProgram,
    LoanStatus,
    Repayment,
    SavingsGroup,
)


def today() -> date:
    return timezone.localdate()


# --- Scoping ------------------------------------------------------------------------


def loans_for(user) -> QuerySet[Loan]:
    return Loan.objects.filter(household__village__in=villages_for(user).values("pk"))


def savings_groups_for(user) -> QuerySet[SavingsGroup]:
    return SavingsGroup.objects.filter(village__in=villages_for(user).values("pk"))


def loan_get_for(*, user, pk: int) -> Loan:
    loan = (
        loans_for(user)
        .select_related(
            "household__village",
            "household__ethnic_group",
            "program",
            "savings_group",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if loan is None:
        raise Http404
    return loan


def loan_repayments(loan: Loan) -> list[Repayment]:
    return list(
        loan.repayments.select_related("recorded_by", "reverses").order_by(
            "paid_on", "id"
        )
    )


def savings_group_get_for(*, user, pk: int) -> SavingsGroup:
    group = savings_groups_for(user).select_related("village").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def programs_open() -> QuerySet[LoanProgram]:
    return LoanProgram.objects.active()


def program_catalogue(*, user) -> list[tuple[LoanProgram, int, int]]:
    """Every program, open ones first, with the number of the user's running loans under
    it and their principal outstanding (two queries whatever the size)."""
    running = (
        loans_for(user)
        .filter(status=LoanStatus.DISBURSED)
        .order_by()
        .values("program")
        .annotate(
            n=Count("id"), owed=Sum(F("amount") - F("principal_repaid"), default=0)
        )
    )
    by_program = {row["program"]: (row["n"], row["owed"]) for row in running}
    programs = LoanProgram.objects.order_by("-is_active", "sort_order", "code")
    return [(p, *by_program.get(p.pk, (0, 0))) for p in programs]


# --- Eligibility facts ----------------------------------------------------------------

_RECENT_YEARS = 3  # "recently out of poverty" looks back three review years


def facts_for_household(
    household: Household, *, year: int | None = None
) -> HouseholdFacts:
    """What the eligibility rules need to know about a registered household (4 queries)."""
    year = year or today().year
    reviews = list(
        PovertyReview.objects.filter(household=household, year__lte=year)
        .prefetch_related("deprivations")
        .order_by("-year")[: _RECENT_YEARS + 2]
    )
    latest = reviews[0] if reviews else None
    deprived = {d.code for d in latest.deprivations.all()} if latest else set()
    members = list(household.members.active().only("is_student"))
    open_loans = (
        Loan.objects.open()
        .filter(household=household)
        .values("program__code")
        .annotate(owed=Sum("amount") - Sum("principal_repaid"))
    )
    overdue = Loan.objects.overdue(today()).filter(household=household).exists()
    return HouseholdFacts(
        year=year,
        status=latest.status if latest else None,
        status_year=latest.year if latest else None,
        past_statuses={r.year: r.status for r in reviews},
        head_is_ethnic_minority=household.ethnic_group.is_minority,
        in_ethnic_minority_village=household.village.is_ethnic_minority,
        rural=not household.commune.is_urban,
        members=len(members),
        students=sum(m.is_student for m in members),
        lacks_solid_house=("housing_quality" in deprived) if latest else None,
        lacks_clean_water=("water_source" in deprived) if latest else None,
        lacks_latrine=("latrine" in deprived) if latest else None,
        does_production=bool(household.main_crops) or household.farmed_area_ha > 0,
        open_loans={row["program__code"]: row["owed"] for row in open_loans},
        has_overdue_loan=overdue,
    )


def eligibility_for_household(
    household: Household,
    *,
    programs: list[LoanProgram] | None = None,
    year: int | None = None,
) -> list[tuple[LoanProgram, Judgement]]:
    """Every open program with the rule's verdict for this household, in catalogue
    order, judged for ``year`` (default: this year)."""
    programs = programs if programs is not None else list(programs_open())
    facts = facts_for_household(household, year=year)
    # A per-month cap (student loans) is not a cap on what one household may owe.
    caps = ((p.code, None if p.cap_is_per_month else p.max_amount) for p in programs)
    verdicts = judge_many(caps, facts)
    return [(p, verdicts[p.code]) for p in programs]


# --- The loan list --------------------------------------------------------------------


@dataclass
class LoanFilters:
    q: str = ""
    status: str = ""  # a LoanStatus value, or OVERDUE
    program: int | None = None
    village: int | None = None
    savings_group: int | None = None
    disbursed_from: date | None = None
    disbursed_to: date | None = None
    sort: str = "-applied_on"


OVERDUE = "overdue"

SORTS = {
    "-applied_on": ("-applied_on", "-id"),
    "applied_on": ("applied_on", "id"),
    "-disbursed_on": ("-disbursed_on", "-id"),
    "due_on": ("due_on", "id"),
    "-amount": ("-amount", "-id"),
    "household": ("household__code", "-id"),
}


def loan_list_for(*, user, filters: LoanFilters) -> QuerySet[Loan]:
    qs = loans_for(user)
    if filters.q:
        # Names are matched folded ("Nguyen" finds "Nguyễn"); contract numbers both
        # folded and as typed ("HĐ-2025/17").
        for raw in filters.q.split():
            word = fold(raw)
            qs = qs.filter(
                Q(household__search_text__contains=word)
                | Q(contract_number__icontains=word)
                | Q(contract_number__icontains=raw)
            )
    if filters.status == OVERDUE:
        qs = qs.overdue(today())
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.program:
        qs = qs.filter(program_id=filters.program)
    if filters.village:
        qs = qs.filter(household__village_id=filters.village)
    if filters.savings_group:
        qs = qs.filter(savings_group_id=filters.savings_group)
    if filters.disbursed_from:
        qs = qs.filter(disbursed_on__gte=filters.disbursed_from)
    if filters.disbursed_to:
        qs = qs.filter(disbursed_on__lte=filters.disbursed_to)
    return qs.select_related("household__village", "program", "savings_group").order_by(
        *SORTS.get(filters.sort, SORTS["-applied_on"])
    )


def loan_totals(qs: QuerySet[Loan]) -> dict[str, int]:
    """Count, distinct households, amount and principal outstanding of a filtered list."""
    totals = qs.order_by().aggregate(
        loans=Count("id"),
        households=Count("household", distinct=True),
        total_amount=Sum("amount", default=0),
        outstanding=Sum(
            "amount",
            filter=Q(status=LoanStatus.DISBURSED),
            default=0,
        )
        - Sum("principal_repaid", filter=Q(status=LoanStatus.DISBURSED), default=0),
    )
    # Named apart from the column while aggregating: Django resolves a later
    # Sum("amount") to an aggregate of the same name.
    totals["amount"] = totals.pop("total_amount")
    return totals


def loans_of_household(household: Household) -> list[Loan]:
    return list(
        household.loans.select_related("program", "savings_group").order_by(
            "-applied_on", "-id"
        )
    )


# --- Overdue ------------------------------------------------------------------------


def overdue_loans_for(
    *, user, on: date | None = None, village: int | None = None
) -> QuerySet[Loan]:
    """Overdue loans by village and savings group, the longest overdue first in each."""
    qs = loans_for(user)
    if village:
        qs = qs.filter(household__village_id=village)
    return (
        qs.overdue(on or today())
        .select_related("household__village", "program", "savings_group")
        .order_by(
            "household__village__sort_order",
            "household__village__name",
            "savings_group__name",
            "due_on",
            "id",
        )
    )


# --- Savings groups -------------------------------------------------------------------


def savings_group_list_for(*, user, village: int | None = None, q: str = ""):
    qs = savings_groups_for(user)
    if village:
        qs = qs.filter(village_id=village)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return (
        qs.select_related("village")
        .annotate(
            member_count=Count("members", distinct=True),
            open_loans=Count(
                "loans", filter=Q(loans__status=LoanStatus.DISBURSED), distinct=True
            ),
        )
        .order_by("village__sort_order", "village__name", "name")
    )


def savings_group_members(group: SavingsGroup) -> QuerySet[Household]:
    return group.members.select_related("village").order_by("code")


def savings_group_loans(group: SavingsGroup) -> QuerySet[Loan]:
    return group.loans.select_related("household", "program").order_by(
        "-applied_on", "-id"
    )


def savings_groups_of_village(village: Village) -> QuerySet[SavingsGroup]:
    return SavingsGroup.objects.active().filter(village=village).order_by("name")


def household_choices_for(
    *, user, q: str, village: int | None = None, limit: int = 20
) -> QuerySet[Household]:
    """Households matching a code or name, for adding members to a group."""
    qs = households_for(user)
    if village:
        qs = qs.filter(village_id=village)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("village").order_by("code")[:limit]


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


# --- Imports --------------------------------------------------------------------------


def disbursement_imports_of(*, user, limit: int = 10) -> QuerySet[DisbursementImport]:
    return DisbursementImport.objects.filter(uploaded_by=user).order_by("-uploaded_at")[
        :limit
    ]


def disbursement_import_get_for(*, user, pk: int) -> DisbursementImport:
    batch = DisbursementImport.objects.filter(uploaded_by=user, pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def last_repayment_on(loan: Loan) -> date | None:
    """The date of the latest effective repayment (not reversed, not a reversal)."""
    return (
        loan.repayments.filter(reverses__isnull=True, reversed_by__isnull=True)
        .aggregate(last=Max("paid_on"))
        .get("last")
    )


def loan_book_summary(*, user) -> dict[str, int]:
    """The staff home's figures in one query: principal outstanding, overdue loans and
    their outstanding, applications waiting for approval or disbursement."""
    running = Q(status=LoanStatus.DISBURSED)
    late = running & Q(due_on__lt=today())
    return (
        loans_for(user)
        .order_by()
        .aggregate(
            outstanding=Sum("amount", filter=running, default=0)
            - Sum("principal_repaid", filter=running, default=0),
            overdue=Count("id", filter=late),
            overdue_amount=Sum("amount", filter=late, default=0)
            - Sum("principal_repaid", filter=late, default=0),
            waiting=Count(
                "id", filter=Q(status__in=(LoanStatus.APPLIED, LoanStatus.APPROVED))
            ),
        )
    )
