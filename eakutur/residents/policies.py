"""The support policies that are not loans: free or subsidised health insurance,
vocational training support and the agricultural trainings. Pure rules over the same
``HouseholdFacts`` the loan rules read, with the same verdicts and the same convention:
an unknown fact never counts against a household, it makes the verdict "may qualify".

They live here, not in ``loans``, because they are not credit; officials see them through
the household page's panel (``panels``) and residents through the check, both calling
``judge_policy``: one copy of each rule.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from households.models import PovertyStatus
from households.poverty import format_vnd
from loans.eligibility import HouseholdFacts, Judgement, Outcome
from trainings.eligibility import support_range

HEALTH_INSURANCE = "BHYT"
VOCATIONAL_SUPPORT = "HO_TRO_HOC_NGHE"
AGRICULTURAL_TRAINING = "TAP_HUAN_NONG_NGHIEP"


def _known_status(facts: HouseholdFacts) -> str | None:
    """The status of this year's list, or None when the review is missing or older."""
    if facts.status is None or facts.status_year != facts.year:
        return None
    return facts.status


def health_insurance(facts: HouseholdFacts) -> Judgement:
    status = _known_status(facts)
    params = {"year": facts.year}
    yes: list[str] = []
    maybe: list[str] = []
    if status == PovertyStatus.POOR:
        yes.append(
            _("Poor household in the %(year)s review: every member gets a free card.")
            % params
        )
    elif status == PovertyStatus.NEAR_POOR:
        yes.append(
            _(
                "Near-poor household in the %(year)s review: the State pays at least "
                "70%% of the premium."
            )
            % params
        )
    elif status is None:
        maybe.append(
            _(
                "Not known if the household is on the %(year)s poor or near-poor list; "
                "a poor household's card is free, a near-poor one's at least 70%% paid."
            )
            % params
        )
    if facts.children_under_6:
        yes.append(
            ngettext(
                "%(count)s child under 6: children under 6 get a free card.",
                "%(count)s children under 6: children under 6 get a free card.",
                facts.children_under_6,
            )
            % {"count": facts.children_under_6}
        )
    elif facts.children_under_6 is None:
        maybe.append(_("A child under 6 gets a free card."))
    if facts.head_is_ethnic_minority and facts.in_ethnic_minority_village:
        maybe.append(
            _(
                "Ethnic-minority people living in a difficult area may get a free card; "
                "the commune's list decides."
            )
        )
    if facts.with_disability or facts.elderly:
        maybe.append(
            _(
                "A person with a severe disability, or an elderly person on the social "
                "allowance, gets a free card: ask the village officer."
            )
        )
    if yes:
        return Judgement(HEALTH_INSURANCE, Outcome.QUALIFIES, (*yes, *maybe))
    if maybe:
        return Judgement(HEALTH_INSURANCE, Outcome.MAY_QUALIFY, tuple(maybe))
    reason = _(
        "Not poor or near-poor and no child under 6: the household buys family health "
        "insurance at the commune, without State support."
    )
    return Judgement(HEALTH_INSURANCE, Outcome.DOES_NOT, (reason,))


def vocational_support(facts: HouseholdFacts) -> Judgement:
    if not facts.rural:
        reason = _("The support is for rural workers; ask the commune about your case.")
        return Judgement(VOCATIONAL_SUPPORT, Outcome.MAY_QUALIFY, (reason,))
    low, high = support_range(
        status=_known_status(facts), minority=facts.head_is_ethnic_minority
    )
    money = {"low": format_vnd(low), "high": format_vnd(high)}
    if low == high:
        reason = _(
            "Every rural worker qualifies; for this household, up to %(high)s per "
            "vocational course."
        )
        return Judgement(VOCATIONAL_SUPPORT, Outcome.QUALIFIES, (reason % money,))
    reason = _(
        "Every rural worker qualifies: at least %(low)s per vocational course, up to "
        "%(high)s depending on the household's status on this year's list and its "
        "ethnicity."
    )
    return Judgement(VOCATIONAL_SUPPORT, Outcome.QUALIFIES, (reason % money,))


def agricultural_training(facts: HouseholdFacts) -> Judgement:
    if facts.does_production is False:
        reason = _(
            "The trainings are for households that grow crops; the household does not "
            "farm. Vocational courses may suit it better."
        )
        return Judgement(AGRICULTURAL_TRAINING, Outcome.DOES_NOT, (reason,))
    reason = _(
        "Free for every household that grows durian, coffee or pepper; poor, near-poor "
        "and ethnic-minority households are invited first."
    )
    if facts.does_production is None:
        return Judgement(AGRICULTURAL_TRAINING, Outcome.MAY_QUALIFY, (reason,))
    return Judgement(AGRICULTURAL_TRAINING, Outcome.QUALIFIES, (reason,))


POLICY_RULES: dict[str, Callable[[HouseholdFacts], Judgement]] = {
    HEALTH_INSURANCE: health_insurance,
    VOCATIONAL_SUPPORT: vocational_support,
    AGRICULTURAL_TRAINING: agricultural_training,
}


def judge_policy(code: str, facts: HouseholdFacts) -> Judgement:
    return POLICY_RULES[code](facts)
