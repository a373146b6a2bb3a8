"""The eligibility questionnaire's answers, and the facts the rules read from them.

The answers live in the resident's session between screens (one question per screen),
never in a URL. ``CheckAnswers`` is what is kept; ``facts_from_answers`` turns it into
the same ``HouseholdFacts`` the officials' screens build from the registry, so the same
rules judge both.

Which screens a resident sees depends on earlier answers: the income and deprivation
questions only when the household does not know its status on the list.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from households.models import PovertyStatus, Village
from households.poverty import propose_status
from households.selectors import indicators_for_year, standard_for_year
from loans.eligibility import HouseholdFacts

from .programs import Estimate

SESSION_KEY = "residents_check"


class ListStatus:
    """The answers to "what is your household on this year's list?"."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    LEFT = "left"  # left the poor or near-poor list in the last three years
    NOT_LISTED = "not_listed"
    UNKNOWN = "unknown"


STATUS_OF_ANSWER = {
    ListStatus.POOR: PovertyStatus.POOR,
    ListStatus.NEAR_POOR: PovertyStatus.NEAR_POOR,
    ListStatus.LEFT: PovertyStatus.ESCAPED_POOR,
    ListStatus.NOT_LISTED: PovertyStatus.NONE,
}

# The screens, in order; "income" is skipped unless the status is unknown.
STEPS = ("village", "status", "income", "ethnicity", "members", "needs")


@dataclass
class CheckAnswers:
    village: int | None = None
    status: str | None = None  # a ListStatus value
    household_income: int | None = None  # VND per month, the whole household
    people: int | None = None
    deprivations: list[str] = field(default_factory=list)  # indicator codes
    minority: bool | None = None  # head of household; None = would rather not say
    minority_answered: bool = False
    students: int | None = None
    children_under_6: int | None = None
    with_disability: int | None = None
    elderly: int | None = None
    farms_or_business: bool | None = None
    needs: list[str] = field(default_factory=list)  # Need values

    @classmethod
    def from_session(cls, session) -> "CheckAnswers":
        data: dict[str, Any] = session.get(SESSION_KEY) or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, session) -> None:
        session[SESSION_KEY] = asdict(self)

    @staticmethod
    def clear(session) -> None:
        session.pop(SESSION_KEY, None)

    def steps(self) -> list[str]:
        """The screens this resident goes through, given the answers so far."""
        return [s for s in STEPS if s != "income" or self.status == ListStatus.UNKNOWN]

    def answered(self, step: str) -> bool:
        return {
            "village": self.village is not None,
            "status": self.status is not None,
            "income": self.household_income is not None and self.people is not None,
            "ethnicity": self.minority_answered,
            "members": self.students is not None,
            "needs": self.farms_or_business is not None or bool(self.needs),
        }[step]

    def first_unanswered(self) -> str | None:
        return next((s for s in self.steps() if not self.answered(s)), None)


class Need:
    CAPITAL = "capital"  # capital for production or a small business
    WATER = "water"
    LATRINE = "latrine"
    HOUSE = "house"
    LAND = "land"
    STUDY = "study"
    JOB = "job"


def facts_from_answers(
    answers: CheckAnswers, *, village: Village, year: int
) -> tuple[HouseholdFacts, Estimate | None]:
    """The facts for the rules, and the estimate when the status came from the
    poverty standard rather than from the resident (see ``programs``)."""
    needs = set(answers.needs)
    deprived = set(answers.deprivations)
    estimate = None
    status = STATUS_OF_ANSWER.get(answers.status or "")
    if answers.status == ListStatus.UNKNOWN:
        estimate = estimate_status(answers, village=village, year=year)
        status = estimate.status if estimate else None
    asked_deprivations = answers.status == ListStatus.UNKNOWN
    production = True if Need.CAPITAL in needs else answers.farms_or_business
    return (
        HouseholdFacts(
            year=year,
            status=status,
            status_year=year if status is not None else None,
            head_is_ethnic_minority=answers.minority,
            in_ethnic_minority_village=village.is_ethnic_minority,
            rural=not village.commune.is_urban,
            members=answers.people,
            students=answers.students,
            children_under_6=answers.children_under_6,
            with_disability=answers.with_disability,
            elderly=answers.elderly,
            # A need the resident did not tick is a facility they have; a deprivation
            # they ticked (when asked) counts too.
            lacks_solid_house=Need.HOUSE in needs
            or (asked_deprivations and "housing_quality" in deprived),
            lacks_residential_land=Need.LAND in needs,
            lacks_clean_water=Need.WATER in needs
            or (asked_deprivations and "water_source" in deprived),
            lacks_latrine=Need.LATRINE in needs
            or (asked_deprivations and "latrine" in deprived),
            does_production=production,
            needs_job=Need.JOB in needs,
        ),
        estimate,
    )


def estimate_status(
    answers: CheckAnswers, *, village: Village, year: int
) -> Estimate | None:
    """The status the poverty standard in force gives for the answers (None without
    a standard for ``year`` or without the income)."""
    standard = standard_for_year(year)
    if standard is None or answers.household_income is None or not answers.people:
        return None
    names = [
        str(i) for i in indicators_for_year(year) if i.code in set(answers.deprivations)
    ]
    proposal = propose_status(
        standard=standard,
        income_per_person=answers.household_income // answers.people,
        deprivation_names=names,
        is_urban=village.commune.is_urban,
    )
    return Estimate(status=proposal.status, reason=proposal.reason)
