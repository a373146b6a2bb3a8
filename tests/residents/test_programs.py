"""Composing the verdicts for residents: the loan rules and the policy rules, and the
hedge on a status estimated from answers (the only thing ``programs`` adds)."""

import pytest
from django.utils import translation

from eakutur.residents.models import ProgramGuide
from eakutur.residents.programs import Estimate, grouped, program_cards
from loans.eligibility import HouseholdFacts, Outcome, judge
from loans.models import LoanProgram

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def by_code(cards):
    return {card.code: card for card in cards}


def test_one_card_per_open_program_then_the_policies():
    cards = program_cards(HouseholdFacts(year=YEAR))
    open_codes = list(LoanProgram.objects.active().values_list("code", flat=True))
    assert [c.code for c in cards][: len(open_codes)] == open_codes
    assert [c.code for c in cards][len(open_codes) :] == [
        "BHYT",
        "HO_TRO_HOC_NGHE",
        "TAP_HUAN_NONG_NGHIEP",
    ]
    assert all(card.guide is not None for card in cards), "every card has its papers"


def test_loan_cards_carry_the_loan_rules_verdict_word_for_word():
    facts = HouseholdFacts(year=YEAR, status="poor", status_year=YEAR)
    card = by_code(program_cards(facts))["HO_NGHEO"]
    assert card.judgement == judge("HO_NGHEO", facts, cap=100_000_000)
    assert card.outcome is Outcome.QUALIFIES


def test_a_retired_program_and_a_hidden_guide_are_not_offered():
    LoanProgram.objects.filter(code="NOXH").update(is_active=False)
    ProgramGuide.objects.filter(code="BHYT").update(is_published=False)
    codes = by_code(program_cards(HouseholdFacts(year=YEAR)))
    assert "NOXH" not in codes
    assert "BHYT" not in codes


def test_an_estimated_status_never_says_qualifies_where_the_list_decides():
    estimate = Estimate(status="poor", reason="income 1 million ≤ 1.5 million")
    facts = HouseholdFacts(
        year=YEAR, status="poor", status_year=YEAR, does_production=True
    )
    cards = by_code(program_cards(facts, estimate=estimate))
    poor = cards["HO_NGHEO"]
    assert poor.outcome is Outcome.MAY_QUALIFY
    assert poor.judgement.reasons[0].startswith(
        "By your answers the household would be poor (income 1 million ≤ 1.5 million)"
    )
    # Then the rule's reasons with the status unknown, never a claim that a review
    # listed the household.
    assert poor.judgement.reasons[1:] == (
        "Not known if the household is on the 2026 poor list.",
    )
    assert "review →" not in " ".join(poor.judgement.reasons)
    # A verdict that does not rest on the status keeps its "qualifies".
    assert cards["TAP_HUAN_NONG_NGHIEP"].outcome is Outcome.QUALIFIES
    assert cards["HO_TRO_HOC_NGHE"].outcome is Outcome.QUALIFIES


def test_grouped_in_reading_order_without_empty_groups():
    facts = HouseholdFacts(year=YEAR, status="poor", status_year=YEAR)
    groups = grouped(program_cards(facts))
    outcomes = [outcome for outcome, _cards in groups]
    assert outcomes == sorted(
        outcomes,
        key=[Outcome.QUALIFIES, Outcome.MAY_QUALIFY, Outcome.DOES_NOT].index,
    )
    assert all(cards for _outcome, cards in groups)
