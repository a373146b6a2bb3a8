"""A person counts once per course however many of its sessions they attend; once in a
total over courses; walk-ins count by name, phone and birth year."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import MemberFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.models import EnrolmentStatus, SessionStatus, Topic
from trainings.selectors import course_participants, participant_counts

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ATTENDED = EnrolmentStatus.ATTENDED


def held(course, village, day, **kwargs):
    start = datetime(day.year, day.month, day.day, 8, tzinfo=VN)
    return SessionFactory(
        course=course,
        village=village,
        starts_at=start,
        ends_at=start.replace(hour=11),
        status=kwargs.pop("status", SessionStatus.HELD),
    )


@pytest.fixture
def coffee(commune):
    return CourseFactory(commune=commune, topic=Topic.COFFEE, title="Cà phê")


@pytest.fixture
def pepper(commune):
    return CourseFactory(commune=commune, topic=Topic.PEPPER, title="Hồ tiêu")


def attend(session, member, status=ATTENDED):
    return EnrolmentFactory(session=session, member=member, status=status)


def test_three_sessions_of_a_course_count_one_participant(coffee, village):
    sessions = [held(coffee, village, datetime(2025, 3, d)) for d in (3, 10, 17)]
    member = MemberFactory(household__village=village, full_name="Lê Thị Hạnh")
    for session in sessions:
        attend(session, member)
    [person] = course_participants(coffee)
    assert person.full_name == "Lê Thị Hạnh"
    assert person.sessions == sessions
    counts = participant_counts(commune=coffee.commune)
    assert counts.participants == 1
    assert counts.by_course == {coffee.pk: 1}


def test_two_courses_count_once_each_and_once_in_the_total(
    coffee, pepper, village, commune
):
    member = MemberFactory(household__village=village)
    attend(held(coffee, village, datetime(2025, 4, 1)), member)
    attend(held(coffee, village, datetime(2025, 4, 8)), member)
    attend(held(pepper, village, datetime(2025, 5, 1)), member)
    counts = participant_counts(
        commune=commune, year=2025, topics=[Topic.COFFEE, Topic.PEPPER]
    )
    assert counts.by_course == {coffee.pk: 1, pepper.pk: 1}
    assert counts.by_topic == {Topic.COFFEE: 1, Topic.PEPPER: 1}
    assert counts.by_village == {village.pk: 1}
    assert counts.participants == 1
    assert len(course_participants(coffee)) == len(course_participants(pepper)) == 1


def test_only_attendance_makes_a_participant_and_enrolled_ignores_withdrawn(
    coffee, village, commune
):
    session = held(coffee, village, datetime(2025, 6, 2))
    came = MemberFactory(household__village=village)
    attend(session, came)
    attend(session, MemberFactory(household__village=village), EnrolmentStatus.ABSENT)
    attend(
        session, MemberFactory(household__village=village), EnrolmentStatus.WITHDRAWN
    )
    cancelled = held(coffee, village, datetime(2025, 6, 9), status="cancelled")
    attend(
        cancelled, MemberFactory(household__village=village), EnrolmentStatus.REGISTERED
    )
    counts = participant_counts(commune=commune)
    assert counts.participants == 1
    assert counts.enrolled == 2  # came + absent; not withdrawn, not the cancelled one
    assert counts.enrolled_by_course == {coffee.pk: 2}
    assert [p.member_id for p in course_participants(coffee)] == [came.pk]


def test_walk_ins_count_once_by_name_phone_and_birth_year(coffee, village, commune):
    first = held(coffee, village, datetime(2025, 7, 1))
    second = held(coffee, village, datetime(2025, 7, 8))
    for session in (first, second):
        EnrolmentFactory(
            session=session,
            member=None,
            full_name="Y Bhim Êban",
            phone="0912000111",
            birth_year=1990,
            status=ATTENDED,
        )
    # Same name, another person (another birth year).
    EnrolmentFactory(
        session=second,
        member=None,
        full_name="Y Bhim Êban",
        birth_year=1970,
        status=ATTENDED,
    )
    participants = course_participants(coffee)
    assert len(participants) == 2
    assert sorted(len(p.sessions) for p in participants) == [1, 2]
    assert all(p.is_walk_in for p in participants)
    assert participant_counts(commune=commune).participants == 2


def test_year_and_topic_narrow_the_count(coffee, pepper, village, commune):
    attend(
        held(coffee, village, datetime(2024, 12, 30)),
        MemberFactory(household__village=village),
    )
    attend(
        held(coffee, village, datetime(2025, 1, 6)),
        MemberFactory(household__village=village),
    )
    attend(
        held(pepper, village, datetime(2025, 2, 3)),
        MemberFactory(household__village=village),
    )
    assert participant_counts(commune=commune, year=2025).participants == 2
    assert participant_counts(commune=commune, year=2024).participants == 1
    assert participant_counts(commune=commune, topics=[Topic.PEPPER]).participants == 1
    assert participant_counts(commune=commune, courses=[coffee]).participants == 2


def test_another_communes_people_are_not_counted(coffee, village, foreign_village):
    foreign = CourseFactory(commune=foreign_village.commune)
    attend(
        held(foreign, foreign_village, datetime(2025, 3, 3)),
        MemberFactory(household__village=foreign_village),
    )
    assert participant_counts(commune=coffee.commune).participants == 0


def test_course_participants_is_one_query(coffee, village, django_assert_num_queries):
    for day in (3, 10):
        session = held(coffee, village, datetime(2025, 3, day))
        for _ in range(3):
            attend(session, MemberFactory(household__village=village))
    with django_assert_num_queries(1):
        people = course_participants(coffee)
        assert [p.village.name for p in people] == ["Thôn 1"] * 6
