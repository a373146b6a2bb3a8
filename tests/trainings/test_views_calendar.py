"""The training calendar through the test client: a month of sessions (a grid on a
desktop, a list of the days with sessions on a phone), the previous and next month, the
village filter, the village officer's scope, and the same number of queries for a quiet
month and a busy one.

"Now" is pinned to Sunday 15/06/2025 09:30 in Asia/Ho_Chi_Minh.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import VillageFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_shows, text_of, vi
from trainings.models import EnrolmentStatus, SessionStatus

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=HCM)
CALENDAR = reverse("trainings:calendar")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, month: int = 6, hour: int = 8) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=HCM)


@pytest.fixture
def third_village(commune):
    return VillageFactory(commune=commune, code="T03", name="Thôn 3")


@pytest.fixture
def course(commune, village, other_village):
    return CourseFactory(
        commune=commune,
        title="Cà phê bền vững",
        target_villages=[village, other_village],
    )


def days_listed(response) -> dict[str, list[int]]:
    """The phone list: each day shown with the sessions it lists."""
    return {
        day.day.isoformat(): [s.pk for s in day.sessions]
        for day in response.context["busy_days"]
    }


def grid_cell(response, day: str) -> str:
    page = text_of(response)
    grid = page[page.index('id="calendar-grid"') :]
    match = re.search(rf'data-day="{day}">(.*?)</td>', grid, flags=re.S)
    assert match, f"no cell for {day}"
    return match.group(1)


def test_this_month_by_default_with_sessions_on_their_days(
    official_client, course, village, other_village
):
    first = SessionFactory(course=course, village=village, starts_at=at(3, hour=7))
    EnrolmentFactory.create_batch(2, session=first)
    second = SessionFactory(
        course=course, village=other_village, starts_at=at(3, hour=14)
    )
    late = SessionFactory(course=course, village=village, starts_at=at(30, hour=20))
    SessionFactory(course=course, village=village, starts_at=at(1, month=7))

    response = official_client.get(CALENDAR)

    assert response.status_code == 200
    assert response.context["month_value"] == "2025-06"
    assert days_listed(response) == {
        "2025-06-03": [first.pk, second.pk],
        "2025-06-30": [late.pk],
    }
    assert_shows(response, vi("%(month)s %(year)s", month=vi("June"), year=2025))
    cell = grid_cell(response, "2025-06-03")
    assert "07:00" in cell and "14:00" in cell and "2/30" in cell
    # 1 July is on the grid's last week, but not counted nor listed as this month.
    assert f'data-session="{late.pk}"' in grid_cell(response, "2025-06-30")
    assert response.context["session_count"] == 3


def test_previous_and_next_month_keep_the_village(official_client, course, village):
    SessionFactory(course=course, village=village, starts_at=at(10, month=7))
    response = official_client.get(
        CALENDAR, {"month": "2025-07", "village": village.pk}
    )
    page = text_of(response)
    assert f'href="?month=2025-06&village={village.pk}"' in page
    assert f'href="?month=2025-08&village={village.pk}"' in page
    assert list(days_listed(response)) == ["2025-07-10"]
    january = official_client.get(CALENDAR, {"month": "2026-01"})
    assert 'href="?month=2025-12"' in text_of(january)
    assert 'href="?month=2026-02"' in text_of(january)


def test_a_month_that_is_not_one_shows_this_month(official_client, course, village):
    for bad in ("2025-13", "juni", "1999-01"):
        response = official_client.get(CALENDAR, {"month": bad})
        assert response.status_code == 200
        assert response.context["month_value"] == "2025-06"


def test_village_filter_and_cancelled_sessions(
    official_client, course, village, other_village
):
    here = SessionFactory(course=course, village=village, starts_at=at(18))
    SessionFactory(course=course, village=other_village, starts_at=at(18, hour=14))
    off = SessionFactory(
        course=course, village=village, starts_at=at(20), status=SessionStatus.CANCELLED
    )
    response = official_client.get(CALENDAR, {"village": village.pk})
    assert days_listed(response) == {"2025-06-18": [here.pk], "2025-06-20": [off.pk]}
    assert "text-decoration-line-through" in grid_cell(response, "2025-06-20")


def test_officer_sees_only_their_sessions(
    officer_client, course, commune, village, third_village
):
    mine = SessionFactory(course=course, village=village, starts_at=at(18))
    elsewhere = CourseFactory(commune=commune, target_villages=[third_village])
    SessionFactory(course=elsewhere, village=third_village, starts_at=at(18, hour=14))
    response = officer_client.get(CALENDAR)
    assert days_listed(response) == {"2025-06-18": [mine.pk]}
    # Another village in the filter is refused, not obeyed.
    response = officer_client.get(CALENDAR, {"village": third_village.pk})
    assert days_listed(response) == {"2025-06-18": [mine.pk]}


# --- Query counts ----------------------------------------------------------------------------

# On SQLite: the session and the user, the month's sessions with their counts (one
# query), the village choices; one more to check a chosen village.
MAX_CALENDAR = 5


def populate(commune, villages, count):
    course = CourseFactory(commune=commune, target_villages=villages[:1])
    for n in range(count):
        session = SessionFactory(
            course=course,
            village=villages[n % len(villages)],
            starts_at=at(1 + n % 30, hour=7 + n % 9),
        )
        EnrolmentFactory(session=session)
        if n % 2:
            EnrolmentFactory(session=session, status=EnrolmentStatus.WAITLISTED)


def queries(client, params) -> int:
    client.get(CALENDAR, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(CALENDAR, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "with_village"),
    [("official", False), ("official", True), ("officer", False)],
)
def test_calendar_runs_the_same_queries_for_a_quiet_and_a_busy_month(
    client_for,
    official,
    officer,
    commune,
    village,
    other_village,
    who,
    with_village,
    django_assert_max_num_queries,
):
    client = client_for(official if who == "official" else officer)
    params = {"month": "2025-06"}
    if with_village:
        params["village"] = village.pk
    populate(commune, [village, other_village], 2)
    small = queries(client, params)
    populate(commune, [village, other_village, VillageFactory(commune=commune)], 60)
    large = queries(client, params)
    assert small == large, f"{small} queries with 2 sessions, {large} with 62"
    with django_assert_max_num_queries(MAX_CALENDAR):
        client.get(CALENDAR, params)
