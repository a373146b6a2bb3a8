"""Coverage per village against hand-built data with known answers, its query count at
two sizes, and the households behind each figure (the village officer's to-do list).

Today is 15/06/2025; the last 90 days run from 18/03/2025 to 15/06/2025, the last 30
from 17/05/2025.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.selectors import (
    SHOW_MINORITY_REACHED,
    SHOW_NEAR_POOR,
    SHOW_NOT_REACHED,
    SHOW_POOR,
    SHOW_REACHED,
    SHOW_TO_DO,
    coverage_by_village,
    coverage_households,
    coverage_window,
)
from tests.factories import HouseholdFactory, VillageFactory, ede, kinh
from tests.factories.outreach import ContactFactory

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


def hh(village, code, status="", minority=False, **kwargs):
    return HouseholdFactory(
        village=village,
        code=code,
        current_status=status,
        ethnic_group=ede() if minority else kinh(),
        **kwargs,
    )


def contact(household=None, on=TODAY, outcome="informed", village=None, **kwargs):
    if household is None:
        kwargs.setdefault("channel", "meeting")
        return ContactFactory(
            household=None,
            village=village,
            commune=village.commune,
            contacted_on=on,
            outcome=outcome,
            **kwargs,
        )
    return ContactFactory(
        household=household, contacted_on=on, outcome=outcome, **kwargs
    )


@pytest.fixture
def world(commune, village, other_village, foreign_village):
    """Thôn 1 (``village``), Buôn Tiêu (``other_village``), an empty village, and a
    village of another commune whose contacts must never count."""
    h = {
        # Thôn 1
        "h1": hh(village, "A1", "poor"),
        "h2": hh(village, "A2", "poor", minority=True),
        "h3": hh(village, "A3", "near_poor", minority=True),
        "h4": hh(village, "A4", "near_poor"),
        "h5": hh(village, "A5", "average", minority=True),
        "h9": hh(village, "A9", "poor"),
        "archived": hh(
            village, "A6", "poor", is_active=False, archived_reason="Chuyển đi"
        ),
        # Buôn Tiêu
        "h7": hh(other_village, "B7", "poor", minority=True),
        "h8": hh(other_village, "B8", "near_poor"),
    }
    contact(h["h1"], date(2025, 6, 1))
    contact(h["h2"], date(2025, 6, 10), outcome="not_reached")  # tried, not reached
    contact(h["h3"], date(2025, 3, 18))  # the first day of the 90 days
    contact(h["h3"], date(2025, 5, 1), channel="phone")  # reached twice: once
    contact(h["h4"], date(2025, 3, 17))  # a day too early
    contact(h["archived"], date(2025, 6, 1))  # archived: not counted at all
    contact(village=village, on=date(2025, 5, 20), people_count=40)
    contact(village=village, on=date(2025, 1, 1), people_count=90)  # too early
    contact(village=village, on=date(2025, 6, 1), channel="zalo_group")
    contact(h["h7"], TODAY, outcome="helped", channel="phone")
    contact(village=other_village, on=date(2025, 6, 14), people_count=25)
    contact(village=other_village, on=date(2025, 6, 13))  # no count taken
    VillageFactory(commune=commune, code="T99", name="Thôn trống", sort_order=32000)
    foreign = hh(foreign_village, "X1", "poor")
    contact(foreign, TODAY)
    contact(village=foreign_village, on=TODAY, people_count=500)
    return h


def figures(row) -> dict:
    return {
        "households": row.households,
        "reached": row.reached,
        "poor_not_reached": row.poor_not_reached,
        "near_poor_not_reached": row.near_poor_not_reached,
        "minority": row.minority,
        "minority_reached": row.minority_reached,
        "meetings": row.meetings,
        "people": row.people,
        "announcements": row.announcements,
    }


def test_the_window_is_the_last_n_days_including_today():
    assert coverage_window(TODAY, 90) == (date(2025, 3, 18), TODAY)
    assert coverage_window(TODAY, 30) == (date(2025, 5, 17), TODAY)


def test_coverage_per_village_and_total(official, world, village, other_village):
    coverage = coverage_by_village(official, today=TODAY, days=90)
    assert [r.village.name for r in coverage.rows] == [
        village.name,
        other_village.name,
        "Thôn trống",
    ]
    thon, buon, empty = coverage.rows
    assert figures(thon) == {
        "households": 6,  # the archived one left out
        "reached": 2,  # h1 and h3 (twice, counted once)
        "poor_not_reached": 2,  # h2 (not reached when tried), h9 (never)
        "near_poor_not_reached": 1,  # h4 (a day too early)
        "minority": 3,
        "minority_reached": 1,  # h3
        "meetings": 1,
        "people": 40,
        "announcements": 1,  # the Zalo post
    }
    assert thon.poor == 3 and thon.near_poor == 2
    assert thon.share == pytest.approx(100 * 2 / 6)
    assert figures(buon) == {
        "households": 2,
        "reached": 1,
        "poor_not_reached": 0,
        "near_poor_not_reached": 1,
        "minority": 1,
        "minority_reached": 1,
        "meetings": 2,
        "people": 25,
        "announcements": 0,
    }
    assert empty.households == 0 and empty.share is None
    assert figures(coverage.total) == {
        "households": 8,
        "reached": 3,
        "poor_not_reached": 2,
        "near_poor_not_reached": 2,
        "minority": 4,
        "minority_reached": 2,
        "meetings": 3,
        "people": 65,
        "announcements": 1,
    }
    assert coverage.total.to_do == 4
    assert coverage.total.share == pytest.approx(100 * 3 / 8)


def test_a_shorter_period_counts_less(official, world, village):
    coverage = coverage_by_village(official, today=TODAY, days=30)
    thon = coverage.rows[0]
    assert thon.reached == 1  # h3's contacts are older than 30 days
    assert thon.near_poor_not_reached == 2
    assert thon.meetings == 1


def test_a_village_officer_sees_only_their_villages(officer, world, village):
    coverage = coverage_by_village(officer, today=TODAY, days=90)
    assert [r.village for r in coverage.rows] == [village]
    assert coverage.total.households == 6
    assert coverage.total.people == 40


def test_the_to_do_list_poor_first_then_the_longest_without_contact(
    officer, world, village
):
    rows = list(coverage_households(officer, today=TODAY, days=90, show=SHOW_TO_DO))
    # h9 poor and never contacted, h2 poor (tried 10/06), then h4 near-poor.
    assert [h.code for h in rows] == ["A9", "A2", "A4"]
    assert [h.last_contacted_on for h in rows] == [
        None,
        date(2025, 6, 10),
        date(2025, 3, 17),
    ]


@pytest.mark.parametrize(
    ("show", "codes"),
    [
        (SHOW_POOR, ["A9", "A2"]),
        (SHOW_NEAR_POOR, ["B8", "A4"]),
        (SHOW_REACHED, ["A1", "B7", "A3"]),
        (SHOW_MINORITY_REACHED, ["B7", "A3"]),
        (SHOW_NOT_REACHED, ["A9", "A2", "B8", "A4", "A5"]),
    ],
)
def test_the_households_behind_each_figure(official, world, show, codes):
    """Poor first, then near-poor, then the rest; in each, never contacted first,
    then the longest ago."""
    rows = coverage_households(official, today=TODAY, days=90, show=show)
    assert [h.code for h in rows] == codes


def test_the_households_of_one_village(official, world, other_village):
    rows = coverage_households(
        official, today=TODAY, days=90, village=other_village.pk, show=SHOW_TO_DO
    )
    assert [h.code for h in rows] == ["B8"]


def test_officer_gets_nothing_of_another_village(officer, world, other_village):
    rows = coverage_households(
        officer, today=TODAY, days=90, village=other_village.pk, show=SHOW_NOT_REACHED
    )
    assert list(rows) == []


# --- Query counts ------------------------------------------------------------------------------


def populate(commune, villages: int, households: int, start: int = 0) -> None:
    """``villages`` new villages, each with ``households`` households of mixed status
    and ethnicity, half of them reached, and a meeting."""
    statuses = ["poor", "near_poor", "average", ""]
    for v in range(start, start + villages):
        village = VillageFactory(commune=commune, code=f"Q{v:03d}", name=f"Thôn Q{v}")
        for n in range(households):
            household = hh(
                village, f"Q{v:03d}-{n:03d}", statuses[n % 4], minority=n % 3 == 0
            )
            if n % 2:
                contact(household, date(2025, 6, 1))
        contact(village=village, on=date(2025, 6, 2), people_count=30)


def count_queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        coverage_by_village(user, today=TODAY, days=90)
    return len(ctx.captured_queries)


def test_coverage_takes_four_queries_whatever_the_size(
    official, commune, django_assert_max_num_queries
):
    populate(commune, villages=2, households=3)
    small = count_queries(official)
    populate(commune, villages=6, households=8, start=2)
    with django_assert_max_num_queries(4):
        coverage = coverage_by_village(official, today=TODAY, days=90)
    assert count_queries(official) == small == 4
    assert len(coverage.rows) == 8
    assert coverage.total.households == 2 * 3 + 6 * 8
    assert coverage.total.meetings == 8
