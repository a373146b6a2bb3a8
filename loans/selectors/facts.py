"""The facts the eligibility rules read, taken from the registry and the loan book."""

from django.db.models import Sum

from households.models import Household, PovertyReview

from ..eligibility import HouseholdFacts, Judgement, judge_many
from ..models import (
    Loan,
    LoanProgram,
)
from .scope import programs_open, today

# --- Eligibility facts ----------------------------------------------------------------

_RECENT_YEARS = 3  # "recently out of poverty" looks back three review years
ELDERLY_AGE = 75  # the age the support policies ask about (social allowance)


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
    members = list(household.members.active())
    ages = [year - m.birth_year for m in members]
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
        children_under_6=sum(age < 6 for age in ages),
        with_disability=sum(m.has_disability for m in members),
        elderly=sum(age >= ELDERLY_AGE for age in ages),
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
    return judge_programs(facts_for_household(household, year=year), programs)


def judge_programs(
    facts: HouseholdFacts, programs: list[LoanProgram]
) -> list[tuple[LoanProgram, Judgement]]:
    """The rules' verdicts on ``facts`` for each program, in the order given: the one
    way both the officials' screens and the resident portal judge."""
    # A per-month cap (student loans) is not a cap on what one household may owe.
    caps = ((p.code, None if p.cap_is_per_month else p.max_amount) for p in programs)
    verdicts = judge_many(caps, facts)
    return [(p, verdicts[p.code]) for p in programs]
