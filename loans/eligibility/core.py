"""Who may borrow from which preferential loan program (Bank for Social Policies style).

One rule per program code. The rules are pure: they read plain facts about a household
(``HouseholdFacts``) and return a verdict with reasons in plain words, with no database
access. Two callers build the facts differently and must get the same answer in the same
words: officials entering a loan application (facts from the registry) and, later, the
public resident questionnaire (facts from answers, where many facts are unknown = None).

An unknown fact never counts against a household: it makes the verdict MAY_QUALIFY, with
a reason saying what would decide it. Only a fact known to be against a rule gives
DOES_NOT.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.utils.translation import gettext as _

from households.models import PovertyStatus
from households.poverty import format_vnd

# "Recently out of poverty" for credit: left the poor or near-poor list within 3 years.
RECENT_YEARS = 3
LISTED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
# An "escaped" status -> the list the household left.
ESCAPED = {
    PovertyStatus.ESCAPED_POOR: PovertyStatus.POOR,
    PovertyStatus.ESCAPED_NEAR_POOR: PovertyStatus.NEAR_POOR,
}


class Outcome(StrEnum):
    QUALIFIES = "qualifies"
    MAY_QUALIFY = "may_qualify"
    DOES_NOT = "does_not"

    @property
    def label(self) -> str:
        labels = {
            # Translators: verdicts of the loan eligibility check.
            Outcome.QUALIFIES: _("qualifies"),
            # Translators: verdict of the loan eligibility check; some facts are unknown.
            Outcome.MAY_QUALIFY: _("may qualify – check with the village officer"),
            # Translators: verdict of the loan eligibility check.
            Outcome.DOES_NOT: _("does not qualify"),
        }
        return labels[self]


_RANK = {Outcome.DOES_NOT: 0, Outcome.MAY_QUALIFY: 1, Outcome.QUALIFIES: 2}


@dataclass(frozen=True)
class HouseholdFacts:
    """What is known about a household; None = unknown (see the module docstring)."""

    year: int  # the year the check is for
    status: str | None = None  # PovertyStatus value of the latest review
    status_year: int | None = None
    past_statuses: dict[int, str] = field(default_factory=dict)  # year -> status, all
    head_is_ethnic_minority: bool | None = None
    in_ethnic_minority_village: bool | None = None  # Ea Ktur's most difficult hamlets
    rural: bool = True
    members: int | None = None
    students: int | None = None  # at vocational school, college or university
    children_under_6: int | None = None  # read by the health-insurance policy
    with_disability: int | None = None
    elderly: int | None = None  # aged 75 or over
    lacks_solid_house: bool | None = None
    lacks_residential_land: bool | None = None
    lacks_clean_water: bool | None = None
    lacks_latrine: bool | None = None
    does_production: bool | None = None  # farms or runs a small business
    needs_job: bool | None = None
    open_loans: dict[str, int] = field(default_factory=dict)  # code -> outstanding VND
    has_overdue_loan: bool = False


@dataclass(frozen=True)
class Judgement:
    program_code: str
    outcome: Outcome
    reasons: tuple[str, ...]  # in the active language, most important first


Verdict = tuple[Outcome, list[str]]
Check = Callable[[HouseholdFacts], Verdict]
Rule = Callable[[HouseholdFacts, int | None], Judgement]
# One condition of a rule: True holds, False fails, None unknown; and the sentence.
Condition = tuple[bool | None, str]

RULES: dict[str, Rule] = {}


def rule(code: str) -> Callable[[Check], Rule]:
    """Register a program's check; the registered rule adds the checks common to all."""

    def register(check: Check) -> Rule:
        @wraps(check)
        def judged(facts: HouseholdFacts, cap: int | None = None) -> Judgement:
            return _finish(code, facts, cap, check(facts))

        RULES[code] = judged
        return judged

    return register


def judge(
    program_code: str, facts: HouseholdFacts, *, cap: int | None = None
) -> Judgement:
    """The verdict for one program; ``cap`` is its current maximum amount in VND."""
    if program_code in RULES:
        return RULES[program_code](facts, cap)
    reason = _(
        "There is no automatic rule for this program yet; the bank's officer decides."
    )
    return _finish(program_code, facts, cap, (Outcome.MAY_QUALIFY, [reason]))


def judge_many(
    programs: Iterable[tuple[str, int | None]], facts: HouseholdFacts
) -> dict[str, Judgement]:
    """Verdicts for (code, cap) pairs, keyed by program code, in the order given."""
    return {code: judge(code, facts, cap=cap) for code, cap in programs}


# --- checks common to every program --------------------------------------------------


def _downgrade(verdict: Verdict, to: Outcome, note: str) -> Verdict:
    """Lower the outcome to ``to`` if higher (the note then leads); never raise it."""
    outcome, reasons = verdict
    if _RANK[to] < _RANK[outcome]:
        return to, [note, *reasons]
    return outcome, [*reasons, note]


def _finish(
    code: str, facts: HouseholdFacts, cap: int | None, verdict: Verdict
) -> Judgement:
    owed = facts.open_loans.get(code) or 0
    money = {"owed": format_vnd(owed), "cap": format_vnd(cap or 0)}
    money["left"] = format_vnd(max((cap or 0) - owed, 0))
    if owed > 0 and cap is not None and owed >= cap:
        note = _(
            # Translators: amounts in đồng; the cap is the program's maximum loan.
            "Already owes %(owed)s of the %(cap)s cap; no new loan until it is repaid."
        )
        verdict = _downgrade(verdict, Outcome.DOES_NOT, note % money)
    elif owed > 0 and verdict[0] is not Outcome.DOES_NOT:
        if cap is None:
            note = _(
                "Already has an unsettled loan of this program (%(owed)s outstanding); "
                "a further loan only up to the cap."
            )
        else:
            note = _(
                "Already has an unsettled loan of this program (%(owed)s outstanding); "
                "a further loan only up to the %(cap)s cap, so at most %(left)s more."
            )
        verdict = _downgrade(verdict, Outcome.MAY_QUALIFY, note % money)
    if facts.has_overdue_loan and verdict[0] is not Outcome.DOES_NOT:
        note = _("Has an overdue loan; the savings group and the bank review it first.")
        verdict = _downgrade(verdict, Outcome.MAY_QUALIFY, note)
    return Judgement(code, verdict[0], tuple(verdict[1]))


# --- reading the facts ---------------------------------------------------------------


def _name(status: str | None) -> str:
    """The translated name of a status ("near-poor"); an unknown value as it is."""
    try:
        return str(PovertyStatus(status).label)
    except ValueError:
        return str(status or "")


def _history(facts: HouseholdFacts) -> dict[int, str]:
    """Every known review up to the year of the check, the latest included."""
    history = dict(facts.past_statuses)
    if facts.status is not None and facts.status_year is not None:
        history[facts.status_year] = facts.status
    return {year: status for year, status in history.items() if year <= facts.year}


def _latest(facts: HouseholdFacts) -> tuple[str | None, int | None]:
    history = _history(facts)
    if history:
        return history[max(history)], max(history)
    return facts.status, facts.status_year


def _listed(facts: HouseholdFacts, wanted: str) -> Condition:
    """Is the household on the ``wanted`` list (poor, near-poor) of the check's year?"""
    status, review_year = _latest(facts)
    params = {"year": facts.year, "review_year": review_year, "status": _name(wanted)}
    params["found"] = _name(status)
    if status is None:
        # Translators: %(status)s is "poor" or "near-poor".
        reason = _("Not known if the household is on the %(year)s %(status)s list.")
        return None, reason % params
    if status != wanted:
        # Translators: %(found)s and %(status)s are statuses such as "poor", "not poor".
        reason = _("The latest review says %(found)s, not %(status)s.")
        if review_year is not None:
            reason = _("The %(review_year)s review says %(found)s, not %(status)s.")
        return False, reason % params
    if review_year == facts.year:
        reason = _("Poor household in the %(year)s review.")
        if wanted == PovertyStatus.NEAR_POOR:
            reason = _("Near-poor household in the %(year)s review.")
        return True, reason % params
    # Translators: e.g. "The latest review is 2024; the 2025 list decides."
    reason = _("The latest review is %(review_year)s; the %(year)s list decides.")
    if review_year is None:
        reason = _("The year of the review is not known; the %(year)s list decides.")
    return None, reason % params


def _pick(
    value: bool | None, yes: str, no: str, unknown: str, no_is: bool | None = False
) -> Condition:
    """The condition of a yes/no fact; ``no_is=None`` when "no" leaves a chance."""
    if value is None:
        return None, unknown
    return (True, yes) if value else (no_is, no)


def _combine(conditions: list[Condition], headline: str) -> Verdict:
    """All hold -> qualifies; any fails -> does not; otherwise may qualify."""
    failing = [reason for state, reason in conditions if state is False]
    holding = [reason for state, reason in conditions if state is True]
    unknown = [reason for state, reason in conditions if state is None]
    if failing:
        return Outcome.DOES_NOT, failing
    if unknown:
        return Outcome.MAY_QUALIFY, [*unknown, *holding]
    return Outcome.QUALIFIES, [headline, *holding]


# --- one rule per program ------------------------------------------------------------


def _list_program(facts: HouseholdFacts, wanted: str, other: str) -> Verdict:
    state, reason = _listed(facts, wanted)
    if state is None:
        return Outcome.MAY_QUALIFY, [reason]
    params = {"year": facts.year, "other": _name(other)}
    if state is False:
        status, _year = _latest(facts)
        if status == other:
            # Translators: %(other)s is "poor" or "near-poor".
            hint = _("The %(other)s household loan may apply instead.") % params
            return Outcome.DOES_NOT, [reason, hint]
        if status in ESCAPED:
            hint = _("The loan for households recently out of poverty may apply.")
            return Outcome.DOES_NOT, [reason, hint]
        return Outcome.DOES_NOT, [reason]
    if wanted == PovertyStatus.POOR:
        reason = _(
            "Poor household in the %(year)s review → qualifies for the poor "
            "household loan."
        )
    else:
        reason = _(
            "Near-poor household in the %(year)s review → qualifies for the near-poor "
            "household loan."
        )
    return Outcome.QUALIFIES, [reason % params]
