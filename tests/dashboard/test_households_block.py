"""The dashboard's households block against figures worked out by hand.

Three villages (Thôn 1, Buôn Tiêu an ethnic-minority hamlet, Thôn 3), households of every
status and of two ethnic groups, reviews over 2023–2025; an archived household and a
household of another commune, each with reviews, are never counted.

    village    household  ethnicity  2023       2024       2025 (= current status)
    Thôn 1     A1         Kinh       poor       poor       poor
               A2         Ê Đê       poor       poor       poor
               A3         Kinh       -          near-poor  near-poor
               A4         Kinh       -          -          not poor
               A5         Kinh       -          -          - (not reviewed)
               A6 (archived)         -          poor       poor
    Buôn Tiêu  B1         Ê Đê       poor       poor       poor
               B2         Ê Đê       near-poor  poor       poor
               B3         Ê Đê       -          near-poor  near-poor
               B4         Ê Đê       -          poor       escaped poverty
               B5         Kinh       -          -          escaped near-poverty
               B6         Ê Đê       -          -          average living standard
    Thôn 3     C1         Kinh       -          near-poor  near-poor
               C2         Ê Đê       -          -          not poor
    Ea Kmát    F1         Kinh       -          -          poor (another commune)
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from eakutur.dashboard.figures.households import households_block, percent
from eakutur.dashboard.periods import nine_months, whole_year
from eakutur.dashboard.scope import DashboardScope
from tests.factories import (
    HouseholdFactory,
    PovertyReviewFactory,
    VillageFactory,
    ede,
    kinh,
)

TODAY = date(2025, 10, 15)
NINE_MONTHS = nine_months(2025)
STATUS_KEYS = [
    "poor",
    "near_poor",
    "escaped_poor",
    "escaped_near_poor",
    "average",
    "none",
    "unreviewed",
]

# code: (village key, ethnicity, {year: status}, active)
REGISTRY = {
    "A1": ("A", "kinh", {2023: "poor", 2024: "poor", 2025: "poor"}, True),
    "A2": ("A", "ede", {2023: "poor", 2024: "poor", 2025: "poor"}, True),
    "A3": ("A", "kinh", {2024: "near_poor", 2025: "near_poor"}, True),
    "A4": ("A", "kinh", {2025: "none"}, True),
    "A5": ("A", "kinh", {}, True),
    "A6": ("A", "kinh", {2024: "poor", 2025: "poor"}, False),
    "B1": ("B", "ede", {2023: "poor", 2024: "poor", 2025: "poor"}, True),
    "B2": ("B", "ede", {2023: "near_poor", 2024: "poor", 2025: "poor"}, True),
    "B3": ("B", "ede", {2024: "near_poor", 2025: "near_poor"}, True),
    "B4": ("B", "ede", {2024: "poor", 2025: "escaped_poor"}, True),
    "B5": ("B", "kinh", {2025: "escaped_near_poor"}, True),
    "B6": ("B", "ede", {2025: "average"}, True),
    "C1": ("C", "kinh", {2024: "near_poor", 2025: "near_poor"}, True),
    "C2": ("C", "ede", {2025: "none"}, True),
    "F1": ("F", "kinh", {2025: "poor"}, True),
}


def add_household(village, code, ethnicity, reviews, active=True):
    """A household whose current status is its latest review's, as the service keeps it."""
    latest = max(reviews) if reviews else None
    household = HouseholdFactory(
        village=village,
        code=code,
        ethnic_group=ethnicity,
        current_status=reviews[latest] if reviews else "",
        current_review_year=latest,
        is_active=active,
        archived_reason="" if active else "chuyển đi nơi khác",
    )
    for year, status in reviews.items():
        PovertyReviewFactory(household=household, year=year, status=status)
    return household


@pytest.fixture
def villages(commune, village, other_village, foreign_village):
    third = VillageFactory(commune=commune, code="T03", name="Thôn 3")
    for order, place in enumerate((village, other_village, third), start=1):
        place.sort_order = order
        place.save()
    return {"A": village, "B": other_village, "C": third, "F": foreign_village}


@pytest.fixture
def registry(villages):
    groups = {"kinh": kinh(), "ede": ede()}
    return {
        code: add_household(villages[key], code, groups[ethnicity], reviews, active)
        for code, (key, ethnicity, reviews, active) in REGISTRY.items()
    }


def commune_scope(villages, period=NINE_MONTHS, ethnic_group_id=None):
    ids = (villages["A"].pk, villages["B"].pk, villages["C"].pk)
    return DashboardScope(period, TODAY, ids, True, ethnic_group_id)


def figures(block):
    return {f.slug: f for f in block.figures}


def table(block, slug):
    return next(t for t in block.tables if t.slug == slug)


def counts(row):
    return [row.values[key] for key in STATUS_KEYS]


# --- Key figures ------------------------------------------------------------------------


def test_key_figures_of_the_commune(registry, villages):
    found = figures(households_block(commune_scope(villages)))

    # 13 active households of Ea Ktur (A6 archived, F1 another commune): 4 poor, 3 near-poor.
    assert type(found["households"].value) is int
    assert type(found["poverty_rate"].value) is float
    assert found["households"].value == 13
    assert found["poor"].value == 4
    assert found["poverty_rate"].value == 30.8  # 4 / 13 = 30.77 %
    assert found["near_poor"].value == 3
    assert found["near_poverty_rate"].value == 23.1  # 3 / 13 = 23.08 %
    # 2025 review: A1 A2 B1 B2 poor (4); 2024 review: A1 A2 B1 B2 B4 poor (5).
    assert found["poor"].detail == "\u22121 so với kỳ rà soát năm 2024"
    assert found["poverty_rate"].kind == "percent"


def test_key_figure_links_open_the_filtered_household_list(registry, villages):
    found = figures(households_block(commune_scope(villages)))

    assert found["households"].link == "/households/"
    assert found["poor"].link == "/households/?status=poor"
    assert found["poverty_rate"].link == "/households/?status=poor"
    assert found["near_poor"].link == "/households/?status=near_poor"
    assert found["near_poverty_rate"].link == "/households/?status=near_poor"


def test_the_change_is_counted_from_the_latest_review_up_to_the_period(
    registry, villages
):
    def detail(period):
        return figures(households_block(commune_scope(villages, period)))["poor"].detail

    # 2024: 5 poor, 2023: 3 poor (A1 A2 B1).
    assert detail(whole_year(2024)) == "+2 so với kỳ rà soát năm 2023"
    # A period after the last review compares the last two reviews.
    assert detail(whole_year(2026)) == "\u22121 so với kỳ rà soát năm 2024"
    # No 2022 review to compare 2023 with, and nothing before 2023.
    assert detail(whole_year(2023)) == ""
    assert detail(whole_year(2022)) == ""


def test_the_ethnic_group_filter_counts_households_by_the_heads_group(
    registry, villages
):
    block = households_block(commune_scope(villages, ethnic_group_id=ede().pk))
    found = figures(block)

    # Ê Đê heads: A2 B1 B2 B3 B4 B6 C2; poor A2 B1 B2; near-poor B3.
    assert found["households"].value == 7
    assert found["poor"].value == 3
    assert found["poverty_rate"].value == 42.9  # 3 / 7 = 42.86 %
    assert found["near_poor"].value == 1
    assert found["near_poverty_rate"].value == 14.3  # 1 / 7 = 14.29 %
    # 2025: A2 B1 B2 poor (3); 2024: A2 B1 B2 B4 (4).
    assert found["poor"].detail == "\u22121 so với kỳ rà soát năm 2024"
    assert found["poor"].link == f"/households/?status=poor&ethnic_group={ede().pk}"
    rows = table(block, "households-status-by-village").rows
    assert [counts(row) for row in rows] == [
        [1, 0, 0, 0, 0, 0, 0],
        [2, 1, 1, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 1, 0],
    ]


def test_a_chosen_village(registry, villages, official):
    scope = DashboardScope.for_user(
        official, period=NINE_MONTHS, today=TODAY, village=villages["B"]
    )
    block = households_block(scope)
    found = figures(block)
    b = villages["B"].pk

    assert found["households"].value == 6
    assert found["poor"].value == 2
    assert found["poverty_rate"].value == 33.3
    assert found["near_poor"].value == 1
    assert found["near_poverty_rate"].value == 16.7
    # 2025: B1 B2 poor; 2024: B1 B2 B4 poor.
    assert found["poor"].detail == "\u22121 so với kỳ rà soát năm 2024"
    assert found["households"].link == f"/households/?village={b}"
    assert found["poor"].link == f"/households/?status=poor&village={b}"
    rows = table(block, "households-status-by-village").rows
    assert [row.values["village"] for row in rows] == ["Buôn Tiêu"]


def test_a_village_officer_sees_their_village_only(registry, villages, officer):
    scope = DashboardScope.for_user(officer, period=NINE_MONTHS, today=TODAY)
    block = households_block(scope)
    found = figures(block)
    a = villages["A"].pk

    assert found["households"].value == 5
    assert found["poor"].value == 2
    assert found["poverty_rate"].value == 40.0
    assert found["near_poor"].value == 1
    assert found["near_poverty_rate"].value == 20.0
    # 2025: A1 A2 poor; 2024: A1 A2 poor (A6 is archived).
    assert found["poor"].detail == "0 so với kỳ rà soát năm 2024"
    assert found["poor"].link == f"/households/?status=poor&village={a}"
    rows = table(block, "households-status-by-village").rows
    assert [row.values["village"] for row in rows] == ["Thôn 1"]
    years = table(block, "households-poverty-rate-by-year").rows
    assert [(r.values["year"], r.values["reviewed"]) for r in years] == [
        ("2023", 2),
        ("2024", 3),
        ("2025", 4),
    ]


def test_an_officer_choosing_another_village_counts_nothing(
    registry, villages, officer
):
    scope = DashboardScope.for_user(
        officer, period=NINE_MONTHS, today=TODAY, village=villages["B"]
    )
    block = households_block(scope)

    assert figures(block)["households"].value == 0
    assert figures(block)["poverty_rate"].value == 0.0
    assert figures(block)["poor"].detail == ""
    assert table(block, "households-status-by-village").rows == ()
    assert table(block, "households-poverty-rate-by-year").rows == ()


# --- Status by village ------------------------------------------------------------------


def test_status_by_village(registry, villages):
    result = table(
        households_block(commune_scope(villages)), "households-status-by-village"
    )

    assert [row.values["village"] for row in result.rows] == [
        "Thôn 1",
        "Buôn Tiêu",
        "Thôn 3",
    ]
    # poor, near-poor, escaped poverty, escaped near-poverty, average, not poor,
    # not reviewed
    assert [counts(row) for row in result.rows] == [
        [2, 1, 0, 0, 0, 1, 1],
        [2, 1, 1, 1, 1, 0, 0],
        [0, 1, 0, 0, 0, 1, 0],
    ]
    assert [row.values["total"] for row in result.rows] == [5, 6, 2]
    assert [row.values["poverty_rate"] for row in result.rows] == [40.0, 33.3, 0.0]
    assert [row.marked for row in result.rows] == [False, True, False]
    assert counts(result.total) == [4, 3, 1, 1, 1, 2, 1]
    assert result.total.values["total"] == 13
    assert result.total.values["poverty_rate"] == 30.8
    assert result.marked_label == "buôn đồng bào dân tộc thiểu số"
    assert result.chart.kind == "stacked"
    assert result.chart.label_key == "village"
    assert list(result.chart.series) == STATUS_KEYS


def test_status_by_village_links(registry, villages):
    result = table(
        households_block(commune_scope(villages)), "households-status-by-village"
    )
    b = villages["B"].pk
    row = result.rows[1]

    assert row.links["poor"] == f"/households/?status=poor&village={b}"
    assert row.links["escaped_near_poor"] == (
        f"/households/?status=escaped_near_poor&village={b}"
    )
    assert row.links["unreviewed"] == f"/households/?status=unreviewed&village={b}"
    assert row.links["total"] == f"/households/?village={b}"
    assert result.total.links["near_poor"] == "/households/?status=near_poor"
    assert result.total.links["unreviewed"] == "/households/?status=unreviewed"


def test_the_list_behind_a_cell_has_the_cells_households(
    registry, villages, official_client
):
    result = table(
        households_block(commune_scope(villages)), "households-status-by-village"
    )
    for row in (result.rows[0], result.rows[1], result.total):
        for key in ("poor", "near_poor", "unreviewed", "total"):
            response = official_client.get(row.links[key])
            assert response.status_code == 200
            assert response.context["paginator"].count == row.values[key], (
                row.values["village"],
                key,
            )


def test_villages_without_households_have_a_row_of_zeros(villages, registry):
    empty = VillageFactory(commune=villages["A"].commune, code="T09", sort_order=99)
    ids = (villages["A"].pk, empty.pk)
    scope = DashboardScope(NINE_MONTHS, TODAY, ids, True)

    rows = table(households_block(scope), "households-status-by-village").rows

    assert [row.values["village"] for row in rows] == ["Thôn 1", empty.name]
    assert counts(rows[1]) == [0] * 7
    assert rows[1].values["total"] == 0
    assert rows[1].values["poverty_rate"] == 0.0


# --- Review years -----------------------------------------------------------------------


def test_poverty_rate_across_review_years(registry, villages):
    result = table(
        households_block(commune_scope(villages)), "households-poverty-rate-by-year"
    )

    # (year, reviewed, poor, near-poor, poor rate, near-poor rate); A6 and F1 left out.
    assert [
        tuple(row.values[key] for key in [c.key for c in result.columns])
        for row in result.rows
    ] == [
        ("2023", 4, 3, 1, 75.0, 25.0),
        ("2024", 8, 5, 3, 62.5, 37.5),
        ("2025", 12, 4, 3, 33.3, 25.0),
    ]
    assert result.chart.kind == "line"
    assert result.chart.series == ("poor_rate", "near_poor_rate")
    assert result.rows[1].links["poor"] == "/households/?status=poor&review_year=2024"
    assert result.rows[0].links["reviewed"] == "/households/?review_year=2023"


def test_review_years_of_an_ethnic_group(registry, villages):
    scope = commune_scope(villages, ethnic_group_id=ede().pk)
    result = table(households_block(scope), "households-poverty-rate-by-year")

    # Ê Đê: 2023 A2 B1 B2; 2024 A2 B1 B2 B3 B4; 2025 A2 B1 B2 B3 B4 B6 C2.
    assert [
        (
            r.values["year"],
            r.values["reviewed"],
            r.values["poor"],
            r.values["near_poor"],
        )
        for r in result.rows
    ] == [("2023", 3, 2, 1), ("2024", 5, 4, 1), ("2025", 7, 3, 1)]
    assert [r.values["poor_rate"] for r in result.rows] == [66.7, 80.0, 42.9]


def test_the_list_behind_a_review_year_has_its_households(
    registry, villages, official_client
):
    result = table(
        households_block(commune_scope(villages)), "households-poverty-rate-by-year"
    )
    row = next(r for r in result.rows if r.values["year"] == "2024")
    for key in ("reviewed", "poor", "near_poor"):
        response = official_client.get(row.links[key])
        assert response.context["paginator"].count == row.values[key], key


# --- Rates, labels, queries -------------------------------------------------------------


def test_percentages_round_half_up_to_one_decimal():
    assert percent(1, 16) == 6.3  # 6.25: a float round() would give 6.2
    assert percent(1, 3) == 33.3
    assert percent(2, 3) == 66.7
    assert percent(0, 0) == 0.0
    assert percent(5, 5) == 100.0


def test_labels_in_vietnamese_and_english(registry, villages):
    scope = commune_scope(villages)
    block = households_block(scope)
    assert block.title == "Hộ gia đình và hộ nghèo"
    assert figures(block)["poverty_rate"].label == "Tỷ lệ hộ nghèo"
    by_village = table(block, "households-status-by-village")
    assert [c.label for c in by_village.columns] == [
        "Thôn/buôn",
        "Nghèo",
        "Cận nghèo",
        "Thoát nghèo",
        "Thoát cận nghèo",
        "Mức sống trung bình",
        "Không nghèo",
        "Chưa rà soát",
        "Tổng cộng",
        "Tỷ lệ hộ nghèo",
    ]
    assert figures(block)["poor"].detail == "\u22121 so với kỳ rà soát năm 2024"

    with translation.override("en"):
        block = households_block(scope)
    assert block.title == "Households and poverty"
    assert [f.label for f in block.figures] == [
        "Households",
        "Poor households",
        "Poverty rate",
        "Near-poor households",
        "Near-poverty rate",
    ]
    by_village = table(block, "households-status-by-village")
    assert by_village.title == "Households by poverty status and village"
    assert [c.label for c in by_village.columns] == [
        "Village",
        "Poor",
        "Near-poor",
        "Escaped poverty",
        "Escaped near-poverty",
        "Average living standard",
        "Not poor",
        "Not reviewed",
        "Total",
        "Poverty rate",
    ]
    assert by_village.marked_label == "ethnic-minority hamlet"
    by_year = table(block, "households-poverty-rate-by-year")
    assert figures(block)["poor"].detail == "\u22121 since the 2024 review"
    assert by_year.title == "Poverty rate across review years"
    assert [c.label for c in by_year.columns] == [
        "Review year",
        "Households reviewed",
        "Poor households",
        "Near-poor households",
        "Poverty rate",
        "Near-poverty rate",
    ]
    # English pages link to the English list.
    assert figures(block)["poor"].link == "/en/households/?status=poor"
    assert reverse("households:household_list") == "/households/"


def populate(villages, size):
    """``size`` households per village of every status, each with two reviews."""
    statuses = STATUS_KEYS[:-1]
    for key in ("A", "B", "C"):
        for n in range(size):
            status = statuses[n % len(statuses)]
            add_household(
                villages[key],
                f"X{key}{size}-{n}",
                ede() if n % 2 else kinh(),
                {2024: "poor", 2025: status},
            )


def block_queries(scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        households_block(scope)
    return len(ctx.captured_queries)


def test_three_queries_whatever_the_size(
    registry, villages, django_assert_max_num_queries
):
    scopes = [
        commune_scope(villages),
        commune_scope(villages, ethnic_group_id=ede().pk),
        DashboardScope(NINE_MONTHS, TODAY, (villages["B"].pk,), False),
    ]
    populate(villages, 2)
    small = [block_queries(scope) for scope in scopes]
    populate(villages, 20)
    large = [block_queries(scope) for scope in scopes]

    assert small == large == [3, 3, 3]
    with django_assert_max_num_queries(3):
        households_block(scopes[0])
