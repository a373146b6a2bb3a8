"""The status proposal against the poverty standards loaded by the data migration."""

import pytest
from django.utils import translation

from households.models import PovertyStandard, PovertyStatus
from households.poverty import format_millions, format_vnd, propose_status
from households.selectors import indicators_for_year, standard_for_year

THREE = ["Housing area per person", "Hygienic latrine", "Health insurance"]


@pytest.fixture
def standard(db):
    """The 2022–2026 standard (Decree 07/2021/NĐ-CP, extended through 2026)."""
    return PovertyStandard.objects.get(first_year=2022)


@pytest.fixture
def standard_2027(db):
    return PovertyStandard.objects.get(first_year=2027)


def propose(standard, income, names=(), **kwargs):
    with translation.override("en"):
        return propose_status(
            standard=standard,
            income_per_person=income,
            deprivation_names=list(names),
            **kwargs,
        )


# --- the standard as shipped --------------------------------------------------------


def test_the_2022_standard_has_the_published_thresholds(standard):
    assert (standard.first_year, standard.last_year) == (2022, 2026)
    assert standard.rural_line == 1_500_000
    assert standard.urban_line == 2_000_000
    assert standard.rural_average_ceiling == 2_250_000
    assert standard.urban_average_ceiling == 3_000_000
    assert standard.poor_min_deprivations == 3
    assert standard.indicators.count() == 12


@pytest.mark.parametrize(
    ("year", "first_year"), [(2022, 2022), (2025, 2022), (2026, 2022), (2027, 2027)]
)
def test_the_standard_in_force_each_year(db, year, first_year):
    assert standard_for_year(year).first_year == first_year


@pytest.mark.parametrize("year", [2021, 2031])
def test_no_standard_outside_the_covered_years(db, year):
    assert standard_for_year(year) is None
    assert not indicators_for_year(year).exists()


def test_indicators_of_a_year_come_in_the_official_order(db):
    codes = list(indicators_for_year(2025).values_list("code", flat=True))
    assert codes[:2] == ["employment", "dependants"]
    assert codes[-1] == "info_devices"
    assert len(codes) == 12


# --- the rules, at the boundaries --------------------------------------------------------


def test_income_exactly_on_the_line_with_three_deprivations_is_poor(standard):
    assert propose(standard, 1_500_000, THREE).status == PovertyStatus.POOR


def test_one_dong_above_the_line_is_neither_poor_nor_near_poor(standard):
    proposal = propose(standard, 1_500_001, THREE)
    assert proposal.status not in (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
    assert proposal.status == PovertyStatus.AVERAGE


@pytest.mark.parametrize("count", [0, 1, 2])
def test_income_at_or_below_the_line_with_fewer_deprivations_is_near_poor(
    standard, count
):
    assert propose(standard, 1_500_000, THREE[:count]).status == (
        PovertyStatus.NEAR_POOR
    )
    assert propose(standard, 400_000, THREE[:count]).status == PovertyStatus.NEAR_POOR


def test_zero_income_with_many_deprivations_is_poor(standard):
    assert propose(standard, 0, THREE * 2).status == PovertyStatus.POOR


def test_poor_last_year_and_above_the_line_now_escaped_poverty(standard):
    proposal = propose(standard, 1_600_000, [], previous_status=PovertyStatus.POOR)
    assert proposal.status == PovertyStatus.ESCAPED_POOR
    assert "poor last year" in proposal.reason


def test_near_poor_last_year_and_above_the_line_now_escaped_near_poverty(standard):
    proposal = propose(
        standard, 1_600_000, THREE, previous_status=PovertyStatus.NEAR_POOR
    )
    assert proposal.status == PovertyStatus.ESCAPED_NEAR_POOR
    assert "near-poor last year" in proposal.reason


def test_poor_last_year_and_still_under_the_line_stays_poor(standard):
    proposal = propose(standard, 1_000_000, THREE, previous_status=PovertyStatus.POOR)
    assert proposal.status == PovertyStatus.POOR


@pytest.mark.parametrize(
    "previous", [PovertyStatus.AVERAGE, PovertyStatus.ESCAPED_POOR, None]
)
def test_other_previous_statuses_do_not_count_as_escaping(standard, previous):
    assert propose(standard, 1_600_000, previous_status=previous).status == (
        PovertyStatus.AVERAGE
    )


def test_average_living_standard_up_to_the_ceiling(standard):
    assert propose(standard, 2_250_000).status == PovertyStatus.AVERAGE
    assert propose(standard, 2_250_001).status == PovertyStatus.NONE
    assert propose(standard, 9_000_000, THREE).status == PovertyStatus.NONE


# --- the reason says why, with the figures and the names ---------------------------


def test_reason_for_poor_names_income_line_count_and_deprivations(standard):
    reason = propose(standard, 1_200_000, THREE).reason
    assert "1.2 million ≤ 1.5 million" in reason
    assert "3 deprivations" in reason
    for name in THREE:
        assert name in reason


def test_reason_for_near_poor_says_how_few_deprivations(standard):
    reason = propose(standard, 1_200_000, THREE[:2]).reason
    assert "1.2 million ≤ 1.5 million" in reason
    assert "2 deprivations" in reason and "fewer than 3" in reason
    assert "Hygienic latrine" in reason
    assert "no deprivations" in propose(standard, 1_200_000).reason


def test_reason_in_english_says_one_deprivation_in_the_singular(standard):
    reason = propose(standard, 1_200_000, THREE[:1]).reason
    assert "1 deprivation " in reason or "1 deprivation:" in reason, reason
    assert "1 deprivations" not in reason


def test_reason_for_average_and_none_mentions_the_ceiling(standard):
    assert "2.25 million" in propose(standard, 2_000_000).reason
    none = propose(standard, 3_000_000).reason
    assert "3 million" in none and "2.25 million" in none


def test_reason_in_vietnamese_uses_trieu_and_a_decimal_comma(standard):
    with translation.override("vi"):
        proposal = propose_status(
            standard=standard,
            income_per_person=1_200_000,
            deprivation_names=["Nhà tiêu hợp vệ sinh", "Bảo hiểm y tế", "Việc làm"],
        )
    assert proposal.status == PovertyStatus.POOR
    assert "1,2 triệu ≤ 1,5 triệu" in proposal.reason
    assert "Nhà tiêu hợp vệ sinh" in proposal.reason
    assert "million" not in proposal.reason
    assert "deprivations" not in proposal.reason


def test_reason_distinguishes_an_income_just_above_the_line(standard):
    """A user reading "1.5 million > 1.5 million" cannot see why the household is not
    near-poor: the figures shown must differ when the amounts differ."""
    reason = propose(standard, 1_501_000, THREE).reason
    assert "1.5 million > 1.5 million" not in reason
    assert "1.5 million is above 1.5 million" not in reason


# --- urban communes and the next standard ---------------------------------------------


def test_urban_commune_is_judged_against_the_urban_line(standard):
    rural = propose(standard, 1_800_000, THREE)
    urban = propose(standard, 1_800_000, THREE, is_urban=True)
    assert rural.status == PovertyStatus.AVERAGE
    assert urban.status == PovertyStatus.POOR
    assert "2 million" in urban.reason
    assert propose(standard, 2_900_000, is_urban=True).status == PovertyStatus.AVERAGE
    assert propose(standard, 3_000_001, is_urban=True).status == PovertyStatus.NONE


def test_the_2027_standard_uses_its_own_line(standard, standard_2027):
    assert standard_2027.rural_line == 2_200_000
    income = 2_000_000  # above the 2022 line, below the 2027 one
    assert propose(standard, income, THREE).status == PovertyStatus.AVERAGE
    proposal = propose(standard_2027, income, THREE)
    assert proposal.status == PovertyStatus.POOR
    assert "2 million ≤ 2.2 million" in proposal.reason


def test_thresholds_are_data_an_admin_can_edit(standard):
    standard.rural_line = 1_700_000
    standard.rural_average_ceiling = 2_500_000
    standard.save()
    assert propose(standard, 1_600_000, THREE).status == PovertyStatus.POOR


# --- money formats ------------------------------------------------------------------


def test_format_vnd_uses_dots_between_thousands():
    assert format_vnd(147_000_000) == "147.000.000 ₫"
    assert format_vnd(0) == "0 ₫"


def test_format_millions_per_language():
    with translation.override("en"):
        assert format_millions(1_200_000) == "1.2 million"
        assert format_millions(2_250_000) == "2.25 million"
        assert format_millions(3_000_000) == "3 million"
    with translation.override("vi"):
        assert format_millions(1_200_000) == "1,2 triệu"
        assert format_millions(2_250_000) == "2,25 triệu"
