"""The attendance sheet through the test client: ticking who came and saving once, the
"everyone came" shortcut, the refusals (before the session starts, cancelled: a clear
message and nothing saved), who may mark it, and its query count at two sizes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eakutur.accounts.models import Role
from tests.factories import HouseholdFactory, MemberFactory, UserFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import Enrolment, EnrolmentStatus, Session, SessionStatus


@pytest.fixture
def course(commune, village, other_village):
    return CourseFactory(
        commune=commune,
        title="Trồng sầu riêng",
        target_villages=[village, other_village],
    )


def started_session(course, village, **kwargs) -> Session:
    """A session that began an hour ago."""
    start = timezone.now() - timedelta(hours=1)
    return SessionFactory(
        course=course,
        village=village,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        **kwargs,
    )


def person(session, name: str, **kwargs) -> Enrolment:
    household = HouseholdFactory(village=session.village)
    member = MemberFactory(household=household, full_name=name)
    return EnrolmentFactory(session=session, member=member, **kwargs)


def sheet(session) -> str:
    return reverse("trainings:attendance_sheet", args=[session.pk])


def statuses(session) -> dict[str, str]:
    return dict(
        Enrolment.objects.filter(session=session).values_list("full_name", "status")
    )


@pytest.fixture
def held_today(course, village):
    session = started_session(course, village)
    person(session, "Nguyễn Văn An")
    person(session, "Trần Thị Bình")
    person(session, "Lê Văn Cường")
    return session


def test_officer_ticks_who_came_and_saves_once(officer_client, held_today):
    came = Enrolment.objects.filter(full_name__in=["Nguyễn Văn An", "Lê Văn Cường"])
    page = officer_client.get(sheet(held_today))
    assert page.status_code == 200
    assert text_of(page).count('name="came"') == 3

    response = officer_client.post(
        sheet(held_today), {"came": [e.pk for e in came]}, follow=True
    )

    assert statuses(held_today) == {
        "Nguyễn Văn An": "attended",
        "Trần Thị Bình": "absent",
        "Lê Văn Cường": "attended",
    }
    held_today.refresh_from_db()
    assert held_today.status == SessionStatus.HELD
    assert response.redirect_chain[-1][0].startswith(
        reverse("trainings:session_detail", args=[held_today.pk])
    )
    assert_shows(
        response,
        vi("Attendance saved: %(came)s came, %(absent)s absent.", came=2, absent=1),
        vi("held"),
    )
    page = text_of(response)
    assert 'data-count="attended">2<' in page
    assert 'data-count="absent">1<' in page


def test_marks_can_be_corrected_and_the_sheet_shows_them(officer_client, held_today):
    an = Enrolment.objects.get(full_name="Nguyễn Văn An")
    officer_client.post(sheet(held_today), {"came": [an.pk]})
    page = text_of(officer_client.get(sheet(held_today)))
    assert (
        f'value="{an.pk}" id="came-{an.pk}" autocomplete="off" data-holding checked'
        in page
    )
    officer_client.post(sheet(held_today), {"came": []})
    assert set(statuses(held_today).values()) == {"absent"}


def test_everyone_came_ticks_everyone_who_holds_a_place(officer_client, held_today):
    waiting = person(held_today, "Y Bhim Niê", status=EnrolmentStatus.WAITLISTED)
    page = text_of(officer_client.get(sheet(held_today) + "?everyone=1"))
    assert page.count("data-holding checked") == 3
    assert f'id="came-{waiting.pk}" autocomplete="off" checked' not in page
    assert_shows(officer_client.get(sheet(held_today)), vi("Everyone came"))


def test_waitlisted_people_who_came_are_marked_the_others_stay_waiting(
    officer_client, held_today
):
    came = person(held_today, "Y Bhim Niê", status=EnrolmentStatus.WAITLISTED)
    person(held_today, "H'Linh Knul", status=EnrolmentStatus.WAITLISTED)
    officer_client.post(sheet(held_today), {"came": [came.pk]})
    assert statuses(held_today)["Y Bhim Niê"] == "attended"
    assert statuses(held_today)["H'Linh Knul"] == "waitlisted"
    assert statuses(held_today)["Nguyễn Văn An"] == "absent"


def test_attendance_before_the_session_starts_is_refused_and_nothing_saved(
    officer_client, course, village
):
    future = SessionFactory(course=course, village=village)  # in three days
    enrolment = person(future, "Nguyễn Văn An")

    page = officer_client.get(sheet(future))
    assert page.status_code == 200
    start = timezone.localtime(future.starts_at)
    assert_shows(
        page,
        vi(
            "Attendance can be marked once the session has started (%(when)s).",
            when=start.strftime("%d/%m/%Y %H:%M"),
        ),
    )
    assert_not_shows(page, vi("Save attendance"))

    response = officer_client.post(sheet(future), {"came": [enrolment.pk]})
    assert response.status_code == 200
    assert_shows(
        response,
        vi("Nothing was saved."),
        vi("This session has not started yet: attendance is marked once it has."),
    )
    enrolment.refresh_from_db()
    future.refresh_from_db()
    assert (enrolment.status, future.status) == ("registered", "scheduled")


def test_attendance_of_a_cancelled_session_is_refused(officer_client, course, village):
    cancelled = started_session(course, village, status=SessionStatus.CANCELLED)
    enrolment = person(cancelled, "Nguyễn Văn An")

    assert_shows(
        officer_client.get(sheet(cancelled)),
        vi("This session was cancelled: there is no attendance to mark."),
    )
    response = officer_client.post(sheet(cancelled), {"came": [enrolment.pk]})
    assert_shows(
        response, vi("This session is cancelled: there is no attendance to mark.")
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.REGISTERED


def test_a_tick_for_someone_not_on_the_sheet_is_refused(
    officer_client, held_today, course, village
):
    stranger = person(started_session(course, village), "Người khác")
    response = officer_client.post(sheet(held_today), {"came": [stranger.pk]})
    assert_shows(
        response,
        vi("Nothing was saved."),
        vi("The list changed while you were marking it; check it and save again."),
    )
    assert set(statuses(held_today).values()) == {"registered"}


def test_officer_of_another_village_may_see_but_not_mark(
    client_for, commune, other_village, held_today
):
    # The course targets both villages, so the other officer sees the session.
    neighbour = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=commune, villages=[other_village]
    )
    client = client_for(neighbour)
    page = client.get(reverse("trainings:session_detail", args=[held_today.pk]))
    assert page.status_code == 200
    assert sheet(held_today) not in text_of(page)
    assert client.get(sheet(held_today)).status_code == 403
    an = Enrolment.objects.get(full_name="Nguyễn Văn An")
    assert client.post(sheet(held_today), {"came": [an.pk]}).status_code == 403
    assert set(statuses(held_today).values()) == {"registered"}


def test_a_session_the_officer_cannot_see_is_not_found(
    officer_client, commune, other_village
):
    hidden = started_session(
        CourseFactory(commune=commune, target_villages=[other_village]), other_village
    )
    enrolment = person(hidden, "Y Bhim Niê")
    assert officer_client.get(sheet(hidden)).status_code == 404
    assert (
        officer_client.post(sheet(hidden), {"came": [enrolment.pk]}).status_code == 404
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.REGISTERED


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_attendance_sheet_query_count_does_not_grow(
    client, course, village, commune, django_assert_max_num_queries
):
    client.force_login(
        UserFactory(role=Role.VILLAGE_OFFICER, commune=commune, villages=[village])
    )
    session = started_session(course, village, capacity=40)
    for n in range(2):
        person(session, f"Người {n}")
    small = _queries(client, sheet(session))
    for n in range(2, 30):
        person(session, f"Người {n}", status="attended" if n % 2 else "registered")
    for n in range(4):
        EnrolmentFactory(session=session, member=None, full_name=f"Khách {n}")
    person(session, "Chờ", status="waitlisted")
    large = _queries(client, sheet(session))
    assert small == large
    with django_assert_max_num_queries(small):
        client.get(sheet(session))
