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
from django.utils.translation import ngettext

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


@rule("HO_NGHEO")
def poor_household(facts: HouseholdFacts) -> Verdict:
    return _list_program(facts, PovertyStatus.POOR, PovertyStatus.NEAR_POOR)


@rule("HO_CAN_NGHEO")
def near_poor_household(facts: HouseholdFacts) -> Verdict:
    return _list_program(facts, PovertyStatus.NEAR_POOR, PovertyStatus.POOR)


def _left_list(history: dict[int, str]) -> tuple[int, str] | None:
    """The latest year the household left the poor or near-poor list, and which list."""
    left, previous = None, None
    for year in sorted(history):
        status = history[year]
        if status in ESCAPED:
            left = (year, ESCAPED[status])
        elif previous in LISTED and status not in LISTED:
            left = (year, previous)
        previous = status
    return left


@rule("HO_MOI_THOAT_NGHEO")
def recently_out_of_poverty(facts: HouseholdFacts) -> Verdict:
    history = _history(facts)
    since = facts.year - RECENT_YEARS
    params = {"year": facts.year, "since": since, "n": RECENT_YEARS}
    maybe = _("Qualifies if it left the poor or near-poor list in %(since)s or later.")
    if not history:
        return Outcome.MAY_QUALIFY, [maybe % params]
    latest = max(history)
    params |= {
        "review_year": latest,
        "first": min(history),
        "status": _name(history[latest]),
    }
    if history[latest] in LISTED:
        reason = _(
            # Translators: %(status)s is "poor" or "near-poor", used twice.
            "The %(review_year)s review still lists the household as %(status)s; "
            "the %(status)s household loan applies instead."
        )
        return Outcome.DOES_NOT, [reason % params]
    left = _left_list(history)
    if left is not None:
        params |= {"left": left[0], "status": _name(left[1])}
        if left[0] >= since:
            reason = _(
                "Left the %(status)s list in the %(left)s review (within the last "
                "%(n)s years) → qualifies for the loan to households recently out of "
                "poverty."
            )
            return Outcome.QUALIFIES, [reason % params]
        reason = _("Left the %(status)s list in %(left)s, over %(n)s years ago.")
        return Outcome.DOES_NOT, [reason % params]
    if min(history) < since:
        reason = _(
            "Not poor or near-poor in any review from %(first)s to %(review_year)s."
        )
        return Outcome.DOES_NOT, [reason % params]
    reason = _("The reviews before %(first)s are not known.")
    return Outcome.MAY_QUALIFY, [reason % params, maybe % params]


@rule("SXKD_VKK")
def disadvantaged_area_business(facts: HouseholdFacts) -> Verdict:
    production = _pick(
        facts.does_production,
        _("The household farms or runs a business."),
        _("The loan is for farming or a business, and the household does neither."),
        _("Qualifies only if the household farms or runs a business."),
    )
    area = _pick(
        facts.in_ethnic_minority_village,
        _("The household lives in an ethnic-minority hamlet, a disadvantaged area."),
        _(
            "The village is not an ethnic-minority hamlet; the loan applies only if "
            "the village is on the province's list of disadvantaged areas."
        ),
        _("Qualifies only in a village on the province's list of disadvantaged areas."),
        no_is=None,
    )
    headline = _(
        "Qualifies for the loan for production and business in disadvantaged areas."
    )
    return _combine([production, area], headline)


@rule("VIEC_LAM")
def job_creation(facts: HouseholdFacts) -> Verdict:
    if facts.needs_job is False and facts.does_production is False:
        reason = _(
            "No member needs a job and the household does not farm or run a business; "
            "this loan is for creating or keeping a job."
        )
        return Outcome.DOES_NOT, [reason]
    reason = _("Needs a plan that creates or keeps a job; the bank appraises it.")
    return Outcome.MAY_QUALIFY, [reason]


@rule("NUOC_SACH")
def clean_water(facts: HouseholdFacts) -> Verdict:
    water, latrine = facts.lacks_clean_water, facts.lacks_latrine
    if not facts.rural:
        return Outcome.DOES_NOT, [_("This loan is for rural households only.")]
    if water is False and latrine is False:
        reason = _("The household has a safe water source and a hygienic latrine.")
        return Outcome.DOES_NOT, [reason]
    if not (water or latrine):
        reason = _("Qualifies if the household has no safe water source or latrine.")
        return Outcome.MAY_QUALIFY, [reason]
    # One facility or both: the loan pays for each one built, up to the cap each.
    reasons = [_("Qualifies for the clean water and sanitation loan.")]
    if water:
        reasons.append(_("No safe water source: the loan can build one."))
    if latrine:
        reasons.append(_("No hygienic latrine: the loan can build one."))
    return Outcome.QUALIFIES, reasons


@rule("HSSV")
def students(facts: HouseholdFacts) -> Verdict:
    count = facts.students
    if count is None:
        reason = _(
            "Qualifies if a member studies at a vocational school, college or university."
        )
        return Outcome.MAY_QUALIFY, [reason]
    if count <= 0:
        reason = _("No member studies at a vocational school, college or university.")
        return Outcome.DOES_NOT, [reason]
    status, _year = _latest(facts)
    params = {"count": count, "status": _name(status)}
    if status in LISTED:
        reason = ngettext(
            "%(count)s member is studying and the household is %(status)s → "
            "qualifies for the student loan (an amount per month of study).",
            "%(count)s members are studying and the household is %(status)s → "
            "qualifies for the student loan (an amount per month of study).",
            count,
        )
        return Outcome.QUALIFIES, [reason % params]
    reason = _(
        "The household is %(status)s, not poor or near-poor; households in sudden "
        "hardship may also borrow."
    )
    if status is None:
        reason = _(
            "The poverty status is not known; students from poor or near-poor "
            "households qualify, and households in sudden hardship may also borrow."
        )
    return Outcome.MAY_QUALIFY, [reason % params]


@rule("NOXH")
def social_housing(facts: HouseholdFacts) -> Verdict:
    reason = _("Depends on the housing project and the province's approval.")
    return Outcome.MAY_QUALIFY, [reason]


def _decree_28(facts: HouseholdFacts, need: Condition, headline: str) -> Verdict:
    poor = _listed(facts, PovertyStatus.POOR)
    if poor[0] is False:
        poor = (False, _("Only poor households qualify.") + " " + poor[1])
    head, hamlet = facts.head_is_ethnic_minority, facts.in_ethnic_minority_village
    if head:
        minority: Condition = (
            True,
            _("The head of household belongs to an ethnic minority."),
        )
    elif hamlet:
        minority = (True, _("The household lives in an ethnic-minority hamlet."))
    elif head is False and hamlet is False:
        reason = _(
            # Translators: Kinh is the majority ethnic group of Vietnam.
            "A poor Kinh household qualifies only in an extremely difficult village."
        )
        minority = (None, reason)
    else:
        reason = _(
            "Qualifies if the head of household belongs to an ethnic minority or the "
            "household lives in an ethnic-minority hamlet."
        )
        minority = (None, reason)
    return _combine([poor, need, minority], headline)


@rule("ND28_DAT_O")
def residential_land(facts: HouseholdFacts) -> Verdict:
    need = _pick(
        facts.lacks_residential_land,
        _("The household has no residential land."),
        _("The household already has residential land."),
        _("Qualifies only if the household has no residential land."),
    )
    headline = _("Qualifies for the residential land loan (Decree 28/2022).")
    return _decree_28(facts, need, headline)


@rule("ND28_NHA_O")
def housing(facts: HouseholdFacts) -> Verdict:
    need = _pick(
        facts.lacks_solid_house,
        _("The household has no solid house."),
        _("The household already has a solid house."),
        _("Qualifies only if the household has no solid house."),
    )
    headline = _("Qualifies for the housing loan (Decree 28/2022).")
    return _decree_28(facts, need, headline)
