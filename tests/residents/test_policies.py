"""The support-policy rules (health insurance, vocational support, agricultural
trainings): pure functions over the same facts as the loan rules, every verdict with
its reasons."""

import pytest
from django.utils import translation

from eakutur.residents.policies import (
    AGRICULTURAL_TRAINING,
    HEALTH_INSURANCE,
    POLICY_RULES,
    VOCATIONAL_SUPPORT,
    judge_policy,
)
from loans.eligibility import HouseholdFacts, Outcome

Q, MAY, NO = Outcome.QUALIFIES, Outcome.MAY_QUALIFY, Outcome.DOES_NOT
YEAR = 2026


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def facts(**kwargs) -> HouseholdFacts:
    return HouseholdFacts(year=YEAR, **kwargs)


def check(code, household, outcome, *phrases):
    judgement = judge_policy(code, household)
    assert judgement.program_code == code
    assert judgement.outcome == outcome, judgement.reasons
    assert judgement.reasons
    text = " ".join(judgement.reasons)
    for phrase in phrases:
        assert phrase in text, (phrase, judgement.reasons)


POOR = {"status": "poor", "status_year": YEAR}
NEAR_POOR = {"status": "near_poor", "status_year": YEAR}
NOT_POOR = {"status": "none", "status_year": YEAR}


@pytest.mark.parametrize(
    ("kwargs", "outcome", "phrases"),
    [
        (POOR, Q, ["Poor household in the 2026 review: every member gets a free card."]),
        (NEAR_POOR, Q, ["the State pays at least 70% of the premium"]),
        ({**NOT_POOR, "children_under_6": 2}, Q, ["2 children under 6: children under 6 get a free card."]),
        ({**NOT_POOR, "children_under_6": 1}, Q, ["1 child under 6"]),
        ({**NOT_POOR, "children_under_6": 0, "with_disability": 1}, MAY, ["severe disability"]),
        ({**NOT_POOR, "children_under_6": 0, "elderly": 1}, MAY, ["social allowance"]),
        ({**NOT_POOR, "children_under_6": 0, "head_is_ethnic_minority": True, "in_ethnic_minority_village": True}, MAY, ["difficult area", "commune's list decides"]),
        ({**NOT_POOR, "children_under_6": 0}, NO, ["buys family health insurance"]),
        ({"children_under_6": 0}, MAY, ["Not known if the household is on the 2026 poor or near-poor list"]),
        # An older review does not prove this year's list.
        ({"status": "poor", "status_year": YEAR - 1, "children_under_6": 0}, MAY, ["Not known"]),
        # Unknown children: a chance, never a refusal.
        (NOT_POOR, MAY, ["A child under 6 gets a free card."]),
    ],
)  # fmt: skip
def test_health_insurance(kwargs, outcome, phrases):
    check(HEALTH_INSURANCE, facts(**kwargs), outcome, *phrases)


@pytest.mark.parametrize(
    ("kwargs", "phrases"),
    [
        ({**POOR, "head_is_ethnic_minority": True}, ["up to 4.000.000 ₫ per vocational course"]),
        ({**POOR, "head_is_ethnic_minority": False}, ["up to 3.000.000 ₫"]),
        ({**NOT_POOR, "head_is_ethnic_minority": True}, ["up to 3.000.000 ₫"]),
        ({**NEAR_POOR, "head_is_ethnic_minority": False}, ["up to 2.500.000 ₫"]),
        ({**NOT_POOR, "head_is_ethnic_minority": False}, ["up to 2.000.000 ₫"]),
        ({}, ["at least 2.000.000 ₫", "up to 4.000.000 ₫"]),
        ({**NEAR_POOR}, ["at least 2.500.000 ₫", "up to 3.000.000 ₫"]),
    ],
)  # fmt: skip
def test_vocational_support_levels(kwargs, phrases):
    check(VOCATIONAL_SUPPORT, facts(**kwargs), Q, *phrases)


def test_vocational_support_outside_rural_areas_is_for_the_commune_to_say():
    check(VOCATIONAL_SUPPORT, facts(rural=False), MAY, "rural workers")


def test_vocational_support_is_the_level_enrolment_fixes():
    """One rule: the level the check promises is what an enrolment records."""
    from trainings.eligibility import support_level

    for status in ("poor", "near_poor", "none", "average"):
        for minority in (True, False):
            level = support_level(status=status, minority=minority)
            amount = f"{level:,}".replace(",", ".")
            check(
                VOCATIONAL_SUPPORT,
                facts(
                    status=status, status_year=YEAR, head_is_ethnic_minority=minority
                ),
                Q,
                f"up to {amount} ₫",
            )


@pytest.mark.parametrize(
    ("production", "outcome", "phrase"),
    [
        (True, Q, "Free for every household that grows durian, coffee or pepper"),
        (None, MAY, "Free for every household"),
        (False, NO, "does not farm"),
    ],
)
def test_agricultural_training(production, outcome, phrase):
    check(AGRICULTURAL_TRAINING, facts(does_production=production), outcome, phrase)


def test_every_policy_has_a_rule_and_a_guide(db):
    from eakutur.residents.models import ProgramGuide

    assert set(POLICY_RULES) <= set(ProgramGuide.objects.values_list("code", flat=True))


def test_reasons_are_in_vietnamese_by_default():
    with translation.override("vi"):
        judgement = judge_policy(HEALTH_INSURANCE, facts(**POOR))
    assert "Hộ nghèo" in judgement.reasons[0], judgement.reasons
