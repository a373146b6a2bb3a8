"""The rule of each program, registered by code with ``@rule``. Shared by the officials'
application form and the resident questionnaire: see ``loans.eligibility``."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from households.models import PovertyStatus

from .core import (
    ESCAPED,
    LISTED,
    RECENT_YEARS,
    Condition,
    HouseholdFacts,
    Outcome,
    Verdict,
    _combine,
    _history,
    _latest,
    _list_program,
    _listed,
    _name,
    _pick,
    rule,
)


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
    status, review_year = _latest(facts)
    params = {"count": count, "status": _name(status)}
    if status in LISTED and review_year != facts.year:
        # On an older list: the list of the check's year decides, as for the poor loan.
        reason = _(
            "A member is studying; the household was %(status)s in the %(review_year)s "
            "review, and the %(year)s list decides."
        )
        params.update(review_year=review_year, year=facts.year)
        return Outcome.MAY_QUALIFY, [reason % params]
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
