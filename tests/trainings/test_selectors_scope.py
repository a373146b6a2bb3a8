"""Who sees which courses and sessions: the commune for commune-wide roles; for a village
officer the sessions held in their villages and those of courses meant for them; nothing
of another commune (a 404)."""

import pytest
from django.http import Http404

from tests.factories import VillageFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.selectors import (
    course_get_for,
    courses_for,
    session_get_for,
    sessions_for,
    trainings_of_household,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(commune, village, other_village, foreign_village):
    third = VillageFactory(commune=commune, code="T03", name="Thôn 3")
    for_them = CourseFactory(
        commune=commune, title="Cho Buôn Tiêu", target_villages=[other_village]
    )
    for_us = CourseFactory(
        commune=commune, title="Cho Thôn 1", target_villages=[village]
    )
    for_all = CourseFactory(commune=commune, title="Cho cả xã")
    foreign = CourseFactory(commune=foreign_village.commune, title="Xã khác")
    return {
        "held_here": SessionFactory(course=for_them, village=village),
        "theirs": SessionFactory(course=for_them, village=other_village),
        "meant_for_us": SessionFactory(course=for_us, village=third),
        "whole_commune": SessionFactory(course=for_all, village=third),
        "foreign": SessionFactory(course=foreign, village=foreign_village),
        "courses": {
            "for_them": for_them,
            "for_us": for_us,
            "for_all": for_all,
            "foreign": foreign,
        },
    }


def test_a_commune_official_sees_every_session_of_the_commune(official, world):
    seen = set(sessions_for(official))
    assert seen == {
        world[k] for k in ("held_here", "theirs", "meant_for_us", "whole_commune")
    }


def test_a_village_officer_sees_what_is_held_in_or_meant_for_their_village(
    officer, world
):
    seen = set(sessions_for(officer))
    assert seen == {world[k] for k in ("held_here", "meant_for_us", "whole_commune")}
    titles = set(courses_for(officer).values_list("title", flat=True))
    assert titles == {"Cho Buôn Tiêu", "Cho Thôn 1", "Cho cả xã"}


def test_another_villages_session_and_another_communes_course_are_404(
    officer, official, world
):
    with pytest.raises(Http404):
        session_get_for(officer, world["theirs"].pk)
    with pytest.raises(Http404):
        session_get_for(official, world["foreign"].pk)
    with pytest.raises(Http404):
        course_get_for(official, world["courses"]["foreign"].pk)
    with pytest.raises(Http404):
        session_get_for(official, "not-a-number")
    assert session_get_for(officer, world["held_here"].pk) == world["held_here"]


def test_the_other_communes_official_sees_none_of_ours(foreign_official, world):
    assert list(sessions_for(foreign_official)) == [world["foreign"]]


def test_signed_out_and_deactivated_users_see_nothing(world, officer):
    from django.contrib.auth.models import AnonymousUser

    assert not sessions_for(AnonymousUser()).exists()
    officer.is_active = False
    assert not sessions_for(officer).exists()
    assert not courses_for(officer).exists()


def test_a_households_trainings_are_shown_only_to_who_sees_the_household(
    officer, official, commune, other_village
):
    session = SessionFactory(
        course=CourseFactory(commune=commune), village=other_village
    )
    enrolment = EnrolmentFactory(session=session)
    household = enrolment.household
    assert list(trainings_of_household(household, official)) == [enrolment]
    assert list(trainings_of_household(household, officer)) == []


def test_the_lists_and_the_calendar_follow_the_same_scope(officer, world):
    from datetime import timedelta

    from django.utils import timezone

    from trainings.selectors import (
        calendar_month_for,
        course_list_for,
        upcoming_sessions_for,
    )

    today = timezone.localdate()
    upcoming = set(
        upcoming_sessions_for(officer, start=today, end=today + timedelta(days=10))
    )
    assert upcoming == {
        world[k] for k in ("held_here", "meant_for_us", "whole_commune")
    }
    day = world["theirs"].starts_at.astimezone(timezone.get_current_timezone())
    weeks = calendar_month_for(officer, year=day.year, month=day.month)
    in_calendar = {s for week in weeks for d in week for s in d.sessions}
    assert world["theirs"] not in in_calendar
    assert world["held_here"] in in_calendar
    titles = {c.title for c in course_list_for(officer, {})}
    assert titles == {"Cho Buôn Tiêu", "Cho Thôn 1", "Cho cả xã"}
