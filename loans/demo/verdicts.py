"""The eligibility verdict stored on each demo loan, judged honestly: the rules of
``loans.eligibility`` applied to what the registry knew about the household on the day
of the application (reviews of that year and before, the loans it had running then),
the same facts ``loans.selectors.facts_for_household`` reads from the database.
"""

from django.utils import translation

from ..eligibility import HouseholdFacts, Outcome, judge
from . import profiles as p
from .households import DemoHousehold


def facts_at(household: DemoHousehold, loans: list, loan) -> HouseholdFacts:
    """What the registry said about ``household`` when ``loan`` was applied for; its
    other ``loans`` count if they were applied for earlier and still running."""
    on, year = loan.applied_on, loan.applied_on.year
    statuses = {y: s for y, s in household.statuses.items() if y <= year}
    latest = max(statuses) if statuses else None
    deprived = household.deprived.get(latest, frozenset()) if latest else frozenset()
    known = latest is not None
    open_loans: dict[str, int] = {}
    overdue = False
    for other in loans:
        if other is loan or (other.applied_on, other.order) > (on, loan.order):
            continue
        if other.rejected_on is not None and other.rejected_on <= on:
            continue
        repaid = sum(pr for day, pr, _i in other.payments if day <= on)
        if repaid >= other.amount:
            continue  # settled by then
        owed = other.amount - repaid  # applied or approved: the whole amount
        open_loans[other.program] = open_loans.get(other.program, 0) + owed
        if other.due_on is not None and other.due_on < on:
            overdue = True
    return HouseholdFacts(
        year=year,
        status=statuses[latest] if known else None,
        status_year=latest,
        past_statuses=statuses,
        head_is_ethnic_minority=household.head_is_minority,
        in_ethnic_minority_village=household.in_minority_village,
        rural=True,
        members=household.members,
        students=household.students,
        lacks_solid_house=("housing_quality" in deprived) if known else None,
        lacks_clean_water=("water_source" in deprived) if known else None,
        lacks_latrine=("latrine" in deprived) if known else None,
        does_production=household.farms,
        open_loans=open_loans,
        has_overdue_loan=overdue,
    )


def override_for(loan, facts: HouseholdFacts) -> str:
    """Why the official entered the application although the rule did not say
    "qualifies": the likeliest reason for this program and household."""
    if facts.has_overdue_loan:
        return p.OVERRIDES["overdue"]
    if facts.open_loans.get(loan.program):
        return p.OVERRIDES["more"]
    if loan.program in (p.POOR_LOAN, p.NEAR_LOAN, p.HOUSING_LOAN) and not facts.status:
        return p.OVERRIDES["paper"] % {"year": facts.year}
    if loan.program == p.ESCAPED_LOAN:
        return p.OVERRIDES["escaped"]
    return p.OVERRIDES.get(loan.program, p.OVERRIDES["other"])


def judge_all(loans_by_household: dict[int, list], programs: dict) -> None:
    """Set ``eligibility``, ``reasons`` and ``override_reason`` on every planned loan,
    the reasons in Vietnamese like the application form stores them."""
    with translation.override("vi"):
        for loans in loans_by_household.values():
            for loan in loans:
                facts = facts_at(loan.household, loans, loan)
                cap = programs[loan.program].max_amount
                verdict = judge(loan.program, facts, cap=cap)
                loan.eligibility = verdict.outcome.value
                loan.reasons = "\n".join(str(r) for r in verdict.reasons)
                loan.override_reason = (
                    ""
                    if verdict.outcome is Outcome.QUALIFIES
                    else override_for(loan, facts)
                )
                if loan.status == "rejected" and not loan.rejection_reason:
                    loan.rejection_reason = _rejection(loan, verdict.outcome, facts)


def _rejection(loan, outcome: Outcome, facts: HouseholdFacts) -> str:
    if facts.has_overdue_loan:
        return p.REJECTIONS["overdue"]
    if outcome is Outcome.DOES_NOT:
        return p.REJECTIONS["not_eligible"]
    others = p.REJECTIONS["other"]
    return others[loan.order % len(others)]
