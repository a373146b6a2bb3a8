"""Loan eligibility rules: pure functions over plain household facts (no database)."""

import pytest
from django.utils import translation

from loans.eligibility import (
    RULES,
    HouseholdFacts,
    Judgement,
    Outcome,
    judge,
    judge_many,
)

Q, MAY, NO = Outcome.QUALIFIES, Outcome.MAY_QUALIFY, Outcome.DOES_NOT
YEAR = 2025
CODES = [
    "HO_NGHEO",
    "HO_CAN_NGHEO",
    "HO_MOI_THOAT_NGHEO",
    "SXKD_VKK",
    "VIEC_LAM",
    "NUOC_SACH",
    "HSSV",
    "NOXH",
    "ND28_DAT_O",
    "ND28_NHA_O",
]


@pytest.fixture(autouse=True)
def _english():
    """Reasons are English source strings until the translations arrive."""
    with translation.override("en"):
        yield


def facts(**kwargs) -> HouseholdFacts:
    return HouseholdFacts(year=YEAR, **kwargs)


def text(judgement: Judgement) -> str:
    return " ".join(judgement.reasons)


def check(code, household, outcome, *phrases, cap=None):
    judgement = judge(code, household, cap=cap)
    assert judgement.program_code == code
    assert judgement.outcome == outcome, judgement.reasons
    assert judgement.reasons, "every outcome has at least one reason"
    for phrase in phrases:
        assert phrase in text(judgement), (phrase, judgement.reasons)
    return judgement


def test_every_program_of_the_catalogue_has_a_rule():
    assert set(CODES) <= set(RULES)


def test_outcome_labels():
    assert Q.label == "qualifies"
    assert MAY.label == "may qualify – check with the village officer"
    assert NO.label == "does not qualify"
    assert str(Q) == "qualifies"


# --- poor and near-poor households ----------------------------------------------------

POOR_2025 = {"status": "poor", "status_year": 2025}
NEAR_POOR_2025 = {"status": "near_poor", "status_year": 2025}


@pytest.mark.parametrize(
    ("code", "kwargs", "outcome", "phrases"),
    [
        ("HO_NGHEO", POOR_2025, Q, ["Poor household in the 2025 review", "poor household loan"]),
        ("HO_NGHEO", {"status": "poor", "status_year": 2024}, MAY, ["The latest review is 2024; the 2025 list decides."]),
        ("HO_NGHEO", {"status": "poor"}, MAY, ["year of the review is not known", "2025 list decides"]),
        ("HO_NGHEO", {}, MAY, ["Not known if the household is on the 2025 poor list."]),
        ("HO_NGHEO", NEAR_POOR_2025, NO, ["The 2025 review says near-poor, not poor.", "near-poor household loan may apply"]),
        ("HO_NGHEO", {"status": "escaped_poor", "status_year": 2025}, NO, ["2025 review says escaped poverty, not poor", "recently out of poverty may apply"]),
        ("HO_NGHEO", {"status": "average", "status_year": 2024}, NO, ["The 2024 review says average living standard, not poor."]),
        ("HO_CAN_NGHEO", NEAR_POOR_2025, Q, ["Near-poor household in the 2025 review → qualifies for the near-poor household loan."]),
        ("HO_CAN_NGHEO", {"status": "near_poor", "status_year": 2023}, MAY, ["latest review is 2023", "2025 list decides"]),
        ("HO_CAN_NGHEO", {}, MAY, ["on the 2025 near-poor list"]),
        ("HO_CAN_NGHEO", POOR_2025, NO, ["2025 review says poor, not near-poor", "The poor household loan may apply"]),
        ("HO_CAN_NGHEO", {"status": "none", "status_year": 2025}, NO, ["2025 review says not poor, not near-poor"]),
    ],
)  # fmt: skip
def test_poor_and_near_poor_lists(code, kwargs, outcome, phrases):
    check(code, facts(**kwargs), outcome, *phrases)


def test_the_review_of_the_year_of_the_check_decides_over_a_later_one():
    household = HouseholdFacts(
        year=2024, status="none", status_year=2025, past_statuses={2024: "poor"}
    )
    check("HO_NGHEO", household, Q, "2024 review")


# --- recently out of poverty ----------------------------------------------------------


@pytest.mark.parametrize(
    ("history", "outcome", "phrases"),
    [
        ({2023: "poor", 2024: "escaped_poor", 2025: "average"}, Q, ["Left the poor list in the 2024 review", "within the last 3 years"]),
        ({2022: "escaped_near_poor"}, Q, ["Left the near-poor list in the 2022 review"]),
        ({2023: "near_poor", 2025: "none"}, Q, ["Left the near-poor list in the 2025 review"]),
        ({2019: "poor", 2020: "escaped_poor", 2025: "none"}, NO, ["Left the poor list in 2020, over 3 years ago"]),
        ({2024: "escaped_poor", 2025: "poor"}, NO, ["2025 review still lists the household as poor", "poor household loan applies instead"]),
        ({2025: "near_poor"}, NO, ["near-poor household loan applies instead"]),
        ({2020: "average", 2025: "none"}, NO, ["Not poor or near-poor in any review from 2020 to 2025"]),
        ({}, MAY, ["left the poor or near-poor list in 2022 or later"]),
        ({2024: "average", 2025: "average"}, MAY, ["reviews before 2024 are not known", "list in 2022 or later"]),
    ],
)  # fmt: skip
def test_recently_out_of_poverty(history, outcome, phrases):
    latest = max(history) if history else None
    household = facts(
        status=history.get(latest), status_year=latest, past_statuses=history
    )
    check("HO_MOI_THOAT_NGHEO", household, outcome, *phrases)


# --- production, jobs, water, students, housing ---------------------------------------


@pytest.mark.parametrize(
    ("code", "kwargs", "outcome", "phrases"),
    [
        ("SXKD_VKK", {"in_ethnic_minority_village": True, "does_production": True}, Q, ["production and business in disadvantaged areas", "ethnic-minority hamlet", "farms or runs a business"]),
        ("SXKD_VKK", {"in_ethnic_minority_village": True, "does_production": False}, NO, ["farming or a business, and the household does neither"]),
        ("SXKD_VKK", {"in_ethnic_minority_village": False, "does_production": True}, MAY, ["only if the village is on the province's list of disadvantaged areas"]),
        ("SXKD_VKK", {"in_ethnic_minority_village": True}, MAY, ["only if the household farms or runs a business"]),
        ("SXKD_VKK", {}, MAY, ["only in a village on the province's list of disadvantaged areas"]),
        ("VIEC_LAM", {"needs_job": True}, MAY, ["creates or keeps a job; the bank appraises it"]),
        ("VIEC_LAM", {"does_production": True, "needs_job": False}, MAY, ["bank appraises it"]),
        ("VIEC_LAM", {}, MAY, ["bank appraises it"]),
        ("VIEC_LAM", {"needs_job": False, "does_production": False}, NO, ["creating or keeping a job"]),
        ("NUOC_SACH", {"lacks_clean_water": True, "lacks_latrine": True}, Q, ["clean water and sanitation loan", "No safe water source: the loan can build one", "No hygienic latrine: the loan can build one"]),
        ("NUOC_SACH", {"lacks_clean_water": True, "lacks_latrine": False}, Q, ["clean water and sanitation loan", "No safe water source: the loan can build one"]),
        ("NUOC_SACH", {"lacks_latrine": True}, Q, ["clean water and sanitation loan", "No hygienic latrine: the loan can build one"]),
        ("NUOC_SACH", {"lacks_clean_water": False, "lacks_latrine": False}, NO, ["has a safe water source and a hygienic latrine"]),
        ("NUOC_SACH", {"lacks_clean_water": False}, MAY, ["Qualifies if the household has no safe water source or latrine"]),
        ("NUOC_SACH", {"rural": False, "lacks_latrine": True}, NO, ["rural households only"]),
        ("HSSV", {"students": 2, **NEAR_POOR_2025}, Q, ["2 members are studying", "near-poor", "student loan"]),
        ("HSSV", {"students": 1, **POOR_2025}, Q, ["1 member is studying and the household is poor"]),
        ("HSSV", {"students": 1, "status": "average", "status_year": 2025}, MAY, ["average living standard, not poor or near-poor", "sudden hardship"]),
        ("HSSV", {"students": 1}, MAY, ["poverty status is not known", "sudden hardship"]),
        ("HSSV", {"students": 1, "status": "poor", "status_year": 2022}, MAY, ["poor in the 2022 review", "the 2025 list decides"]),
        ("HSSV", {"students": 0, **POOR_2025}, NO, ["No member studies"]),
        ("HSSV", POOR_2025, MAY, ["vocational school, college or university"]),
        ("NOXH", {}, MAY, ["housing project and the province's approval"]),
        ("NOXH", {"lacks_solid_house": True, **POOR_2025}, MAY, ["province's approval"]),
    ],
)  # fmt: skip
def test_programs(code, kwargs, outcome, phrases):
    check(code, facts(**kwargs), outcome, *phrases)


# --- Decree 28/2022: residential land and housing -------------------------------------

MINORITY_POOR = {"head_is_ethnic_minority": True, **POOR_2025}


@pytest.mark.parametrize(
    ("code", "need", "headline", "has", "unknown"),
    [
        ("ND28_DAT_O", "lacks_residential_land", "residential land loan (Decree 28/2022)", "already has residential land", "only if the household has no residential land"),
        ("ND28_NHA_O", "lacks_solid_house", "housing loan (Decree 28/2022)", "already has a solid house", "only if the household has no solid house"),
    ],
)  # fmt: skip
def test_decree_28(code, need, headline, has, unknown):
    judgement = check(code, facts(**MINORITY_POOR, **{need: True}), Q, headline)
    assert judgement.reasons[0].startswith("Qualifies for the")
    assert "Poor household in the 2025 review." in judgement.reasons
    assert "The head of household belongs to an ethnic minority." in judgement.reasons

    in_hamlet = {"in_ethnic_minority_village": True, need: True, **POOR_2025}
    check(code, facts(**in_hamlet), Q, "ethnic-minority hamlet")
    check(code, facts(**MINORITY_POOR, **{need: False}), NO, has)
    check(code, facts(**MINORITY_POOR), MAY, unknown)
    check(
        code,
        facts(
            head_is_ethnic_minority=True,
            status="near_poor",
            status_year=2025,
            **{need: True},
        ),
        NO,
        "Only poor households qualify",
        "The 2025 review says near-poor, not poor.",
    )
    check(
        code,
        facts(head_is_ethnic_minority=True, **{need: True}),
        MAY,
        "Not known if the household is on the 2025 poor list",
    )
    kinh_outside = {
        "head_is_ethnic_minority": False,
        "in_ethnic_minority_village": False,
        need: True,
        **POOR_2025,
    }
    check(code, facts(**kinh_outside), MAY, "only in an extremely difficult village")
    check(
        code,
        facts(**POOR_2025, **{need: True}),
        MAY,
        "belongs to an ethnic minority or",
    )


# --- checks common to every program ---------------------------------------------------

QUALIFYING = facts(**POOR_2025)


def test_open_loan_below_the_cap_downgrades_to_may_qualify():
    household = facts(**POOR_2025, open_loans={"HO_NGHEO": 40_000_000})
    judgement = check(
        "HO_NGHEO", household, MAY, "40.000.000 ₫ outstanding", "100.000.000 ₫ cap",
        "60.000.000 ₫ more", cap=100_000_000,
    )  # fmt: skip
    assert judgement.reasons[0].startswith("Already has an unsettled loan")
    assert "Poor household in the 2025 review" in judgement.reasons[1]


def test_open_loan_without_a_known_cap():
    household = facts(**POOR_2025, open_loans={"HO_NGHEO": 1_000_000})
    check("HO_NGHEO", household, MAY, "1.000.000 ₫ outstanding", "only up to the cap")


@pytest.mark.parametrize("owed", [100_000_000, 120_000_000])
def test_open_loan_at_the_cap_does_not_qualify(owed):
    household = facts(**POOR_2025, open_loans={"HO_NGHEO": owed})
    judgement = check(
        "HO_NGHEO", household, NO, "of the 100.000.000 ₫ cap", cap=100_000_000
    )
    assert judgement.reasons[0].startswith("Already owes")


def test_open_loan_of_another_program_does_not_count():
    household = facts(**POOR_2025, open_loans={"HSSV": 50_000_000, "HO_NGHEO": 0})
    check("HO_NGHEO", household, Q, cap=100_000_000)


def test_open_loan_at_the_cap_turns_may_qualify_into_does_not():
    household = facts(open_loans={"NOXH": 5_000_000})
    judgement = check("NOXH", household, NO, "Already owes 5.000.000 ₫", cap=5_000_000)
    assert "province's approval" in judgement.reasons[1]


def test_open_loan_below_the_cap_leaves_does_not_alone():
    household = facts(**NEAR_POOR_2025, open_loans={"HO_NGHEO": 1_000_000})
    judgement = check("HO_NGHEO", household, NO, cap=100_000_000)
    assert "unsettled" not in text(judgement)


def test_overdue_loan_downgrades_to_may_qualify():
    household = facts(**POOR_2025, has_overdue_loan=True)
    judgement = check("HO_NGHEO", household, MAY, "overdue loan", "savings group")
    assert judgement.reasons[0].startswith("Has an overdue loan")


def test_overdue_loan_never_upgrades():
    household = facts(**NEAR_POOR_2025, has_overdue_loan=True)
    assert judge("HO_NGHEO", household).outcome == NO
    may = judge("NOXH", household)
    assert may.outcome == MAY
    assert may.reasons[0].startswith("Depends on the housing project")
    assert "overdue" in may.reasons[-1]


def test_open_loan_and_overdue_together():
    household = facts(
        **POOR_2025, open_loans={"HO_NGHEO": 10_000_000}, has_overdue_loan=True
    )
    judgement = check(
        "HO_NGHEO", household, MAY, "unsettled", "overdue", cap=100_000_000
    )
    assert len(judgement.reasons) == 3


@pytest.mark.parametrize("code", CODES)
def test_every_rule_answers_for_a_household_nothing_is_known_about(code):
    judgement = judge(code, HouseholdFacts(year=YEAR))
    assert judgement.outcome in (MAY, NO)
    assert judgement.reasons
    assert all(isinstance(reason, str) and reason for reason in judgement.reasons)


def test_rules_are_callable_from_the_registry_with_a_cap():
    household = facts(**POOR_2025, open_loans={"HO_NGHEO": 100_000_000})
    assert RULES["HO_NGHEO"](household, 100_000_000).outcome == NO
    assert RULES["HO_NGHEO"](household, None).outcome == MAY


# --- unknown programs and many programs at once ---------------------------------------


def test_unknown_program_code_never_raises():
    judgement = check(
        "NEW_PROGRAM",
        QUALIFYING,
        MAY,
        "There is no automatic rule for this program yet",
    )
    assert judgement.reasons == (
        "There is no automatic rule for this program yet; the bank's officer decides.",
    )


def test_unknown_program_still_sees_an_open_loan_at_its_cap():
    household = facts(open_loans={"NEW_PROGRAM": 2_000_000})
    check("NEW_PROGRAM", household, NO, "2.000.000 ₫", cap=2_000_000)


def test_judge_many():
    household = facts(
        **POOR_2025, open_loans={"NUOC_SACH": 25_000_000}, lacks_latrine=True
    )
    verdicts = judge_many(
        [("HO_NGHEO", 100_000_000), ("HO_CAN_NGHEO", 100_000_000),
         ("NUOC_SACH", 25_000_000), ("NOXH", None), ("NEW_PROGRAM", None)],
        household,
    )  # fmt: skip
    assert list(verdicts) == [
        "HO_NGHEO", "HO_CAN_NGHEO", "NUOC_SACH", "NOXH", "NEW_PROGRAM",
    ]  # fmt: skip
    assert {code: j.outcome for code, j in verdicts.items()} == {
        "HO_NGHEO": Q,
        "HO_CAN_NGHEO": NO,
        "NUOC_SACH": NO,
        "NOXH": MAY,
        "NEW_PROGRAM": MAY,
    }
    assert "25.000.000 ₫ cap" in text(verdicts["NUOC_SACH"])
    assert all(j.program_code == code for code, j in verdicts.items())
    assert judge_many([], household) == {}
