"""The issue's acceptance check: the questionnaire answers with reasons that match the
officials' rules for the same household.

A registered household is judged the officials' way (the registry's facts through
``loans.selectors.facts_for_household``, then the same cards), and the same household is
walked through the questionnaire's pages, answering what the registry says. Each program
must then sit in the same group with the same reason sentences.

The registry does not record two facts the questionnaire asks: whether the household
lacks residential land and whether a member needs a job. For those, the officials' facts
take the resident's answers (no land needed, no job needed); every other fact must come
out the same, which ``test_the_answers_give_the_registry_s_facts`` checks too.
"""

from dataclasses import asdict, replace

import pytest
from django.utils import translation

from eakutur.residents.answers import CheckAnswers, facts_from_answers
from eakutur.residents.programs import program_cards
from households.models import PovertyStatus
from loans.selectors import facts_for_household
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    ede,
    indicators,
    kinh,
)
from tests.residents.test_check import cards_on, this_year, walk

pytestmark = pytest.mark.django_db

NOT_IN_REGISTRY = {"lacks_residential_land": False, "needs_job": False}
# What the resident reads on the list -> the answer they tick.
STATUS_ANSWER = {
    PovertyStatus.POOR: "poor",
    PovertyStatus.NEAR_POOR: "near_poor",
    PovertyStatus.NONE: "not_listed",
}
NEED_OF_DEPRIVATION = {
    "water_source": "water",
    "latrine": "latrine",
    "housing_quality": "house",
}


def poor_ede_in_a_minority_hamlet(village, other_village):
    year = this_year()
    household = HouseholdFactory(
        village=other_village, ethnic_group=ede(), main_crops=["coffee"]
    )
    MemberFactory(household=household, ethnic_group=ede(), birth_year=year - 3)
    MemberFactory(household=household, ethnic_group=ede(), birth_year=year - 80)
    PovertyReviewFactory(
        household=household,
        year=year,
        status=PovertyStatus.POOR,
        deprivations=indicators("housing_quality", "latrine", "health_insurance"),
    )
    return household


def near_poor_kinh_with_a_student(village, other_village):
    household = HouseholdFactory(village=village, ethnic_group=kinh())
    MemberFactory(household=household, is_student=True, birth_year=this_year() - 19)
    PovertyReviewFactory(
        household=household,
        year=this_year(),
        status=PovertyStatus.NEAR_POOR,
        income_per_person=1_800_000,
    )
    return household


def not_poor_without_water(village, other_village):
    household = HouseholdFactory(
        village=village, ethnic_group=kinh(), main_crops=["durian", "pepper"]
    )
    MemberFactory(household=household, has_disability=True, birth_year=1990)
    PovertyReviewFactory(
        household=household,
        year=this_year(),
        status=PovertyStatus.NONE,
        income_per_person=4_000_000,
        deprivations=indicators("water_source"),
    )
    return household


HOUSEHOLDS = [
    poor_ede_in_a_minority_hamlet,
    near_poor_kinh_with_a_student,
    not_poor_without_water,
]


def answers_from_registry(household) -> dict:
    """What a resident of ``household`` answers, read off the registry."""
    year = this_year()
    review = household.reviews.get(year=year)
    members = list(household.members.active())
    ages = [year - m.birth_year for m in members]
    deprived = {d.code for d in review.deprivations.all()}
    return {
        "village": household.village,
        "status": STATUS_ANSWER[review.status],
        "minority": "yes" if household.ethnic_group.is_minority else "no",
        "people": len(members),
        "students": sum(m.is_student for m in members),
        "children": sum(age < 6 for age in ages),
        "disability": sum(m.has_disability for m in members),
        "elderly": sum(age >= 75 for age in ages),
        "farms": "yes" if household.main_crops or household.farmed_area_ha else "no",
        "needs": [NEED_OF_DEPRIVATION[c] for c in deprived if c in NEED_OF_DEPRIVATION],
    }


def officials_verdicts(household) -> dict[str, tuple[str, list[str]]]:
    facts = replace(facts_for_household(household), **NOT_IN_REGISTRY)
    with translation.override("vi"):
        cards = program_cards(facts)
    return {c.code: (str(c.outcome), list(c.judgement.reasons)) for c in cards}


@pytest.mark.parametrize("make_household", HOUSEHOLDS)
def test_the_check_gives_the_officials_verdicts_and_reasons(
    client, village, other_village, make_household
):
    household = make_household(village, other_village)
    expected = officials_verdicts(household)

    result = walk(client, **answers_from_registry(household))

    assert result.status_code == 200
    shown = cards_on(result)
    assert set(shown) == set(expected)
    for code, (outcome, reasons) in expected.items():
        assert shown[code] == (outcome, reasons), code


@pytest.mark.parametrize("make_household", HOUSEHOLDS)
def test_the_answers_give_the_registry_s_facts(
    client, village, other_village, make_household
):
    household = make_household(village, other_village)
    walk(client, **answers_from_registry(household))

    answered, estimate = facts_from_answers(
        CheckAnswers.from_session(client.session),
        village=household.village,
        year=this_year(),
    )
    registry = replace(facts_for_household(household), **NOT_IN_REGISTRY)
    # The questionnaire asks only this year's status; the rules read it the same way.
    assert estimate is None
    assert registry.past_statuses == {registry.year: registry.status}
    assert {**asdict(answered), "past_statuses": None} == {
        **asdict(registry),
        "past_statuses": None,
    }


def test_the_three_households_differ_where_it_matters(client, village, other_village):
    """Not a tautology: the households reach different verdicts on the loans at stake."""
    verdicts = [officials_verdicts(make(village, other_village)) for make in HOUSEHOLDS]
    poor, near_poor, not_poor = ({c: v[0] for c, v in d.items()} for d in verdicts)
    assert (poor["HO_NGHEO"], near_poor["HO_CAN_NGHEO"], not_poor["NUOC_SACH"]) == (
        "qualifies",
        "qualifies",
        "qualifies",
    )
    assert near_poor["HSSV"] == "qualifies"
    assert poor["ND28_NHA_O"] == "qualifies"
    assert not_poor["HO_NGHEO"] == "does_not"
