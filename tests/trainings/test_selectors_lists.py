"""The screens' reads: upcoming sessions, the month calendar, the roster in sign-in
order, the course list's filters, recommended courses, finding a person to enrol; and
their query counts at two data sizes."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import HouseholdFactory, MemberFactory
from tests.factories.loans import LoanFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.models import CourseKind, EnrolmentStatus, Topic
from trainings.selectors import (
    calendar_month_for,
    course_list_for,
    courses_recommended_for,
    member_search_for,
    session_roster,
    upcoming_sessions_for,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int = 8, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=VN)


@pytest.fixture
def course(commune):
    return CourseFactory(commune=commune, title="Sầu riêng")


# --- Upcoming sessions and the calendar ---------------------------------------------


def test_upcoming_sessions_by_date_with_their_counts(course, village, official):
    later = SessionFactory(course=course, village=village, starts_at=at(5), capacity=2)
    sooner = SessionFactory(course=course, village=village, starts_at=at(3, 14))
    SessionFactory(course=course, village=village, starts_at=at(9))  # after the range
    SessionFactory(course=course, village=village, starts_at=at(1))  # before it
    EnrolmentFactory.create_batch(2, session=later)
    EnrolmentFactory(session=later, status=EnrolmentStatus.WAITLISTED)
    EnrolmentFactory(session=later, status=EnrolmentStatus.WITHDRAWN)
    rows = list(
        upcoming_sessions_for(official, start=date(2026, 3, 2), end=date(2026, 3, 8))
    )
    assert rows == [sooner, later]
    assert (rows[1].places_held, rows[1].waitlisted) == (2, 1)
    assert (rows[0].places_held, rows[0].waitlisted) == (0, 0)


def test_upcoming_sessions_of_one_village(course, village, other_village, official):
    here = SessionFactory(course=course, village=village, starts_at=at(4))
    SessionFactory(course=course, village=other_village, starts_at=at(4))
    rows = upcoming_sessions_for(
        official, start=date(2026, 3, 2), end=date(2026, 3, 8), village=village
    )
    assert list(rows) == [here]


def test_the_calendar_is_weeks_of_days_with_their_sessions(course, village, official):
    evening = SessionFactory(course=course, village=village, starts_at=at(10, 18))
    # 31/03 and 01/04 sit in the last week of the March page (Monday first).
    april = SessionFactory(course=course, village=village, starts_at=at(1, 8, month=4))
    weeks = calendar_month_for(official, year=2026, month=3)
    assert len(weeks) == 6 and all(len(w) == 7 for w in weeks)
    assert weeks[0][0].day == date(2026, 2, 23) and not weeks[0][0].in_month
    days = {d.day: d for week in weeks for d in week}
    assert days[date(2026, 3, 10)].sessions == [evening]
    assert days[date(2026, 4, 1)].sessions == [april]
    assert days[date(2026, 3, 2)].is_today
    assert sum(len(d.sessions) for d in days.values()) == 2


def test_an_early_session_is_on_its_local_day(course, village, official):
    # 06:00 in Dak Lak is 23:00 UTC the evening before.
    early = SessionFactory(course=course, village=village, starts_at=at(12, 6))
    weeks = calendar_month_for(official, year=2026, month=3)
    days = {d.day: d for week in weeks for d in week}
    assert days[date(2026, 3, 12)].sessions == [early]
    assert days[date(2026, 3, 11)].sessions == []


# --- The roster ----------------------------------------------------------------------


def test_the_roster_lists_places_by_name_then_the_waiting_list_in_order(
    course, village
):
    session = SessionFactory(course=course, village=village)
    names = {}
    for name, status in (
        ("Vũ Thị Yến", EnrolmentStatus.REGISTERED),
        ("Đặng Văn Đức", EnrolmentStatus.WAITLISTED),
        ("Bùi Thị Ánh", EnrolmentStatus.ATTENDED),
        ("Ân Văn Ba", EnrolmentStatus.WAITLISTED),
        ("Cao Thị Cúc", EnrolmentStatus.WITHDRAWN),
        ("Đinh Văn Em", EnrolmentStatus.ABSENT),
    ):
        names[name] = EnrolmentFactory(
            session=session,
            member=MemberFactory(household__village=village, full_name=name),
            status=status,
        )
    roster = [e.full_name for e in session_roster(session)]
    assert roster == [
        "Bùi Thị Ánh",
        "Đinh Văn Em",
        "Vũ Thị Yến",
        "Đặng Văn Đức",  # waited first
        "Ân Văn Ba",
    ]


# --- The course list ----------------------------------------------------------------------


def test_the_course_list_filters_and_puts_coming_sessions_first(
    commune, village, other_village, official
):
    old = CourseFactory(commune=commune, title="Cà phê bền vững", topic=Topic.COFFEE)
    SessionFactory(course=old, village=village, starts_at=at(5, month=1), status="held")
    soon = CourseFactory(commune=commune, title="Hồ tiêu sạch", topic=Topic.PEPPER)
    SessionFactory(course=soon, village=other_village, starts_at=at(6))
    SessionFactory(
        course=soon, village=other_village, starts_at=at(4), status="cancelled"
    )
    sewing = CourseFactory(
        commune=commune,
        title="May công nghiệp",
        topic=Topic.VOCATIONAL_TRADE,
        kind=CourseKind.VOCATIONAL,
        target_villages=[village],
    )
    rows = list(course_list_for(official, None))
    assert rows[0] == soon
    assert rows[0].next_session_at == at(6)
    assert rows[0].session_count == 1
    assert set(rows) == {old, soon, sewing}
    assert list(course_list_for(official, {"q": "ca phe"})) == [old]
    assert list(course_list_for(official, {"topic": Topic.PEPPER})) == [soon]
    assert list(course_list_for(official, {"kind": CourseKind.VOCATIONAL})) == [sewing]
    assert set(course_list_for(official, {"village": village})) == {old, sewing}
    assert list(
        course_list_for(official, {"year": 2026, "village": other_village.pk})
    ) == [soon]


# --- Recommended with loans, and finding people -----------------------------------------


def test_courses_are_recommended_for_the_purposes_of_the_households_loans(
    commune, village, other_village
):
    household = HouseholdFactory(village=village)
    LoanFactory(household=household, purpose="coffee")
    coffee = CourseFactory(commune=commune, loan_purpose="coffee")
    SessionFactory(course=coffee, village=village, starts_at=at(10))
    past_only = CourseFactory(commune=commune, loan_purpose="coffee")
    SessionFactory(
        course=past_only, village=village, starts_at=at(1, month=2), status="held"
    )
    elsewhere = CourseFactory(
        commune=commune, loan_purpose="coffee", target_villages=[other_village]
    )
    SessionFactory(course=elsewhere, village=other_village, starts_at=at(10))
    pepper = CourseFactory(commune=commune, loan_purpose="pepper")
    SessionFactory(course=pepper, village=village, starts_at=at(10))
    rejected = HouseholdFactory(village=village)
    LoanFactory(household=rejected, purpose="pepper", status="rejected")
    assert list(courses_recommended_for(household)) == [coffee]
    assert courses_recommended_for(household)[0].next_session_at == at(10)
    assert list(courses_recommended_for(rejected)) == []


def test_member_search_by_name_code_or_phone_within_the_users_villages(
    officer, village, other_village
):
    household = HouseholdFactory(
        village=village, code="T01-042", phone="0912345678", head_name="Nguyễn Văn Hùng"
    )
    child = MemberFactory(household=household, full_name="Nguyễn Thị Mai")
    hoa = HouseholdFactory(village=village, head_name="H'Hoa Niê")
    HouseholdFactory(village=other_village, head_name="Nguyễn Thị Mai")
    gone = MemberFactory(
        household=household,
        full_name="Nguyễn Văn Cũ",
        is_active=False,
        removed_reason="Chuyển đi",
    )
    assert list(member_search_for(officer, "nguyen thi mai")) == [child]
    assert {m.full_name for m in member_search_for(officer, "t01-042")} == {
        "Nguyễn Văn Hùng",
        "Nguyễn Thị Mai",
    }
    assert {m.full_name for m in member_search_for(officer, "345678 mai")} == {
        "Nguyễn Thị Mai"
    }
    assert [m.household for m in member_search_for(officer, "hoa")] == [hoa]
    assert gone not in member_search_for(officer, "nguyen")
    assert not member_search_for(officer, "   ").exists()


# --- Query counts at two data sizes -----------------------------------------------------


def _populate(commune, village, n_sessions: int, per_session: int):
    course = CourseFactory(commune=commune)
    sessions = []
    for i in range(n_sessions):
        session = SessionFactory(
            course=course, village=village, starts_at=at(3 + i % 20, 8 + i % 8)
        )
        for _ in range(per_session):
            EnrolmentFactory(session=session)
        sessions.append(session)
    return sessions


def _touch_session(session):
    return (
        session.course.title,
        session.village.name,
        session.places_held,
        session.waitlisted,
    )


@pytest.mark.parametrize(("n_sessions", "per_session"), [(2, 2), (12, 6)])
def test_upcoming_and_calendar_queries_do_not_grow(
    commune, village, officer, django_assert_max_num_queries, n_sessions, per_session
):
    _populate(commune, village, n_sessions, per_session)
    # Village officer: the scoping subqueries (their villages) are part of the count.
    with django_assert_max_num_queries(1):
        rows = list(
            upcoming_sessions_for(
                officer, start=date(2026, 3, 1), end=date(2026, 3, 31)
            )
        )
        assert len(rows) == n_sessions
        [_touch_session(s) for s in rows]
    with django_assert_max_num_queries(1):
        weeks = calendar_month_for(officer, year=2026, month=3, village=village)
        found = [_touch_session(s) for w in weeks for d in w for s in d.sessions]
        assert len(found) == n_sessions


@pytest.mark.parametrize("per_session", [2, 25])
def test_the_roster_is_one_query_whatever_its_length(
    commune, village, django_assert_max_num_queries, per_session
):
    [session] = _populate(commune, village, 1, per_session)
    EnrolmentFactory(session=session, member=None, full_name="Y Thu Niê")
    with django_assert_max_num_queries(1):
        roster = session_roster(session)
        seen = [
            (
                e.full_name,
                e.village.name,
                e.household and e.household.code,
                e.member and e.member.birth_year,
                e.registered_by,
            )
            for e in roster
        ]
    assert len(seen) == per_session + 1
