"""The session screens through the test client: the upcoming sessions (the trainings
home) and their export, scheduling a session from its course with the reminders it
creates, editing (moving) and cancelling a session, each within the user's scope.

"Now" is pinned to Sunday 15/06/2025 09:30 in Asia/Ho_Chi_Minh. Pages are served in
Vietnamese; expected texts are looked up in the Vietnamese catalogue with ``vi()``.
"""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext
from openpyxl import load_workbook

from eakutur.audit.models import AuditEntry
from outreach.models import GroupChannel, Notice, NoticeStatus
from tests.factories import VillageFactory
from tests.factories.outreach import groups_for
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    local_datetime,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import Session, SessionStatus, Topic

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=HCM)
HOME = reverse("trainings:session_list")
EXPORT = reverse("trainings:session_export")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, month: int = 6, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def third_village(commune):
    return VillageFactory(commune=commune, code="T03", name="Thôn 3")


@pytest.fixture
def durian(commune, village, other_village):
    """A course for Thôn 1 and Buôn Tiêu (the officer's village and another)."""
    return CourseFactory(
        commune=commune,
        title="Trồng sầu riêng bền vững",
        topic=Topic.DURIAN,
        target_villages=[village, other_village],
    )


@pytest.fixture
def pepper_elsewhere(commune, third_village):
    """A course for Thôn 3 only: not the officer's."""
    return CourseFactory(
        commune=commune,
        title="Kỹ thuật trồng hồ tiêu",
        topic=Topic.PEPPER,
        target_villages=[third_village],
    )


def session_data(village, **overrides) -> dict:
    data = {
        "day": "20/06/2025",
        "start_time": "08:00",
        "end_time": "11:00",
        "village": village.pk,
        "place": "Nhà văn hóa thôn 1",
        "capacity": "30",
        "trainer": "Kỹ sư Lê Văn Tâm",
    }
    data.update(overrides)
    return data


def vi_n(singular: str, plural: str, n: int, **params) -> str:
    with translation.override("vi"):
        text = ngettext(singular, plural, n)
    return text % (params or {"n": n})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The upcoming sessions ----------------------------------------------------------------


def test_home_lists_the_next_30_days_by_date_with_places(
    official_client, durian, village, other_village
):
    soon = SessionFactory(
        course=durian, village=other_village, starts_at=at(17), place="Hội trường buôn"
    )
    first = SessionFactory(course=durian, village=village, starts_at=at(16, hour=7))
    EnrolmentFactory.create_batch(2, session=first)
    EnrolmentFactory(session=first, status="waitlisted")
    SessionFactory(course=durian, village=village, starts_at=at(16, month=7))  # day 31
    SessionFactory(course=durian, village=village, starts_at=at(14))  # yesterday

    response = official_client.get(HOME)

    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == [first.pk, soon.pk]
    page = text_of(response)
    assert page.index("16/06/2025") < page.index("17/06/2025")
    assert_shows(response, "Trồng sầu riêng bền vững", "Hội trường buôn", "Buôn Tiêu")
    assert 'data-places="2/30"' in page
    assert 'data-waiting="1"' in page
    assert_shows(
        response, vi("From %(start)s to %(end)s", start="15/06/2025", end="15/07/2025")
    )


def test_home_filters_by_village_topic_and_period(
    official_client, durian, pepper_elsewhere, village, other_village, third_village
):
    here = SessionFactory(course=durian, village=village, starts_at=at(18))
    there = SessionFactory(course=durian, village=other_village, starts_at=at(19))
    pepper = SessionFactory(
        course=pepper_elsewhere, village=third_village, starts_at=at(20)
    )
    late = SessionFactory(course=durian, village=village, starts_at=at(20, month=8))

    def listed(**params):
        response = official_client.get(HOME, params)
        assert response.status_code == 200
        return [s.pk for s in response.context["sessions"]]

    assert listed() == [here.pk, there.pk, pepper.pk]
    assert listed(village=other_village.pk) == [there.pk]
    assert listed(topic=Topic.PEPPER) == [pepper.pk]
    assert listed(start="01/08/2025", end="31/08/2025") == [late.pk]
    # A period the wrong way round is refused with a message, and the default is shown.
    response = official_client.get(HOME, {"start": "20/06/2025", "end": "01/06/2025"})
    assert_shows(response, vi("The end of the period is before its start."))
    assert [s.pk for s in response.context["sessions"]] == [pepper.pk]


def test_officer_sees_sessions_of_their_village_and_courses_meant_for_it(
    officer_client, durian, pepper_elsewhere, village, other_village, third_village
):
    mine = SessionFactory(course=durian, village=village, starts_at=at(18))
    for_me_elsewhere = SessionFactory(
        course=durian, village=other_village, starts_at=at(19)
    )
    not_mine = SessionFactory(
        course=pepper_elsewhere, village=third_village, starts_at=at(20)
    )

    response = officer_client.get(HOME)

    listed = [s.pk for s in response.context["sessions"]]
    assert listed == [mine.pk, for_me_elsewhere.pk]
    assert_not_shows(response, "Kỹ thuật trồng hồ tiêu")
    # Another village's session the officer may not see is a 404 on every screen.
    for name in ("trainings:session_update", "trainings:session_cancel"):
        assert officer_client.get(reverse(name, args=[not_mine.pk])).status_code == 404
    # A village filter outside the officer's villages is refused, not obeyed.
    response = officer_client.get(HOME, {"village": third_village.pk})
    assert [s.pk for s in response.context["sessions"]] == listed


def test_export_lists_the_filtered_sessions_and_keeps_formulas_as_text(
    official_client, durian, village, other_village
):
    SessionFactory(
        course=durian,
        village=village,
        starts_at=at(18, hour=14),
        place='=HYPERLINK("http://x","y")',
        trainer="+SUM(A1)",
        capacity=25,
    )
    SessionFactory(course=durian, village=other_village, starts_at=at(19))

    response = official_client.get(EXPORT, {"village": village.pk})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one session of Thôn 1
    header, row = rows
    values = dict(zip(header, row, strict=True))
    assert values[vi("Course")] == "Trồng sầu riêng bền vững"
    assert values[vi("Village")] == "Thôn 1"
    assert values[vi("Place")] == '\'=HYPERLINK("http://x","y")'
    assert values[vi("Trainer")] == "'+SUM(A1)"
    assert values[vi("Places")] == 25
    assert values[vi("Date")].date() == at(18).date()
    assert values[vi("Starts")].strftime("%H:%M") == "14:00"


# --- Scheduling ----------------------------------------------------------------------------


def test_official_schedules_a_session_and_is_told_about_the_reminders(
    official_client, durian, village, other_village
):
    groups_for([village, other_village], channel=GroupChannel.CONSOLE)
    url = reverse("trainings:session_create", args=[durian.pk])
    page = official_client.get(url)
    assert page.status_code == 200
    assert_shows(page, "Thôn 1, Buôn Tiêu")

    response = official_client.post(url, session_data(village), follow=True)

    session = Session.objects.get()
    assert (session.starts_at, session.ends_at) == (at(20), at(20, hour=11))
    assert (session.village, session.capacity, session.created_by.username) == (
        village,
        30,
        "canbo",
    )
    assert response.redirect_chain[-1][0] == reverse(
        "trainings:course_detail", args=[durian.pk]
    )
    notices = Notice.objects.filter(source_key__startswith=f"training:{session.pk}:")
    assert notices.count() == 2
    (message,) = messages_of(response)
    assert vi("The session of %(date)s is scheduled.", date="20/06/2025") in message
    assert "Thôn 1, Buôn Tiêu" in message
    # Two days before at 07:30, and on the morning at 06:30.
    assert vi("%(time)s on %(date)s", time="07:30", date="18/06/2025") in message
    assert vi("%(time)s on %(date)s", time="06:30", date="20/06/2025") in message


def test_scheduling_names_the_villages_without_a_group(
    official_client, durian, village
):
    groups_for([village], channel=GroupChannel.CONSOLE)  # Buôn Tiêu has no group
    url = reverse("trainings:session_create", args=[durian.pk])
    response = official_client.post(url, session_data(village), follow=True)
    (message,) = messages_of(response)
    assert (
        vi(
            "%(villages)s: no active notice group, so no reminder.",
            villages="Buôn Tiêu",
        )
        in message
    )


def test_end_before_start_is_refused_in_vietnamese_and_nothing_is_saved(
    official_client, durian, village
):
    url = reverse("trainings:session_create", args=[durian.pk])
    entries = AuditEntry.objects.count()

    response = official_client.post(
        url, session_data(village, start_time="14:00", end_time="13:30")
    )

    assert response.status_code == 200
    error = vi("The session must end after it starts.")
    assert error != "The session must end after it starts."  # really Vietnamese
    assert error in response.context["form"].errors["end_time"]
    assert_shows(response, error)
    assert not Session.objects.exists()
    assert not Notice.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_time_that_has_passed_is_refused_on_the_date(
    official_client, durian, village
):
    url = reverse("trainings:session_create", args=[durian.pk])
    response = official_client.post(url, session_data(village, day="14/06/2025"))
    assert response.status_code == 200
    assert response.context["form"].errors["day"]
    assert not Session.objects.exists()


def test_officer_cannot_schedule_or_create_courses(
    officer_client, durian, pepper_elsewhere, village
):
    url = reverse("trainings:session_create", args=[durian.pk])
    assert officer_client.get(url).status_code == 403
    assert officer_client.post(url, session_data(village)).status_code == 403
    # A course the officer may not see at all is a 404, not a 403.
    hidden = reverse("trainings:session_create", args=[pepper_elsewhere.pk])
    assert officer_client.get(hidden).status_code == 404
    assert not Session.objects.exists()
    # The course page offers no scheduling to the officer.
    page = officer_client.get(reverse("trainings:course_detail", args=[durian.pk]))
    assert page.status_code == 200
    assert url not in text_of(page)


# --- Editing ----------------------------------------------------------------------------------


def test_capacity_below_the_places_taken_is_refused_on_the_field(
    official_client, durian, village
):
    session = SessionFactory(
        course=durian, village=village, starts_at=at(20), ends_at=at(20, hour=11)
    )
    EnrolmentFactory.create_batch(3, session=session)
    url = reverse("trainings:session_update", args=[session.pk])
    before = Session.objects.filter(pk=session.pk).values().get()

    response = official_client.post(
        url, session_data(village, capacity="2", place="Trường tiểu học")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["capacity"]
    expected = vi_n(
        "%(held)s person holds a place: the capacity cannot be below that. "
        "Withdraw enrolments first.",
        "%(held)s people hold a place: the capacity cannot be below that. "
        "Withdraw enrolments first.",
        3,
        held=3,
    )
    assert errors == [expected]
    assert "Withdraw" not in expected  # really Vietnamese
    assert Session.objects.filter(pk=session.pk).values().get() == before


def test_moving_a_session_renews_its_reminders_and_says_so(
    official_client, official, durian, village, other_village
):
    from trainings.services import session_schedule

    groups_for([village, other_village], channel=GroupChannel.CONSOLE)
    session = session_schedule(
        actor=official,
        course=durian,
        starts_at=at(20),
        ends_at=at(20, hour=11),
        village=village,
        place="Nhà văn hóa",
        capacity=30,
    )
    url = reverse("trainings:session_update", args=[session.pk])
    form = official_client.get(url).context["form"]
    assert form.initial["day"].strftime("%d/%m/%Y") == "20/06/2025"

    response = official_client.post(
        url, session_data(village, day="25/06/2025", place="Nhà văn hóa"), follow=True
    )

    session.refresh_from_db()
    assert session.starts_at == at(25)
    pending = Notice.objects.filter(
        source_key__startswith=f"training:{session.pk}:",
        status=NoticeStatus.SCHEDULED,
    )
    assert sorted(timezone.localtime(n.scheduled_at) for n in pending) == [
        at(23, hour=7, minute=30),
        at(25, hour=6, minute=30),
    ]
    (message,) = messages_of(response)
    assert vi("%(time)s on %(date)s", time="07:30", date="23/06/2025") in message


def test_saving_without_changes_changes_nothing(official_client, durian, village):
    session = SessionFactory(
        course=durian,
        village=village,
        starts_at=at(20),
        ends_at=at(20, hour=11),
        place="Nhà văn hóa thôn 1",
        capacity=30,
        trainer="Kỹ sư Lê Văn Tâm",
    )
    entries = AuditEntry.objects.count()
    url = reverse("trainings:session_update", args=[session.pk])
    response = official_client.post(url, session_data(village), follow=True)
    assert messages_of(response) == [vi("Nothing was changed.")]
    assert AuditEntry.objects.count() == entries


def test_officer_cannot_edit_a_session_of_their_village(
    officer_client, durian, village
):
    session = SessionFactory(course=durian, village=village, starts_at=at(20))
    url = reverse("trainings:session_update", args=[session.pk])
    assert officer_client.get(url).status_code == 403
    response = officer_client.post(url, session_data(village, capacity="5"))
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.capacity == 30


# --- Cancelling -----------------------------------------------------------------------------


@pytest.fixture
def scheduled(official, durian, village, other_village):
    from trainings.services import session_schedule

    groups_for([village, other_village], channel=GroupChannel.CONSOLE)
    return session_schedule(
        actor=official,
        course=durian,
        starts_at=at(20),
        ends_at=at(20, hour=11),
        village=village,
        place="Nhà văn hóa",
        capacity=30,
    )


def test_cancel_page_says_the_villages_are_told_and_reminders_withdrawn(
    official_client, scheduled
):
    response = official_client.get(
        reverse("trainings:session_cancel", args=[scheduled.pk])
    )
    assert response.status_code == 200
    explanation = response.context["explanation"]
    assert "Thôn 1, Buôn Tiêu" in explanation
    assert_shows(response, explanation, "18/06/2025 07:30", "20/06/2025 06:30")


def test_cancelling_with_a_reason_withdraws_the_reminders(official_client, scheduled):
    url = reverse("trainings:session_cancel", args=[scheduled.pk])
    response = official_client.post(url, {"reason": "Mưa lớn, đường ngập"}, follow=True)

    scheduled.refresh_from_db()
    assert scheduled.status == SessionStatus.CANCELLED
    assert scheduled.cancel_reason == "Mưa lớn, đường ngập"
    reminders = Notice.objects.filter(
        source_key__startswith=f"training:{scheduled.pk}:"
    )
    assert {n.source_key.rsplit(":", 1)[1]: n.status for n in reminders} == {
        "2days": NoticeStatus.CANCELLED,
        "morning": NoticeStatus.CANCELLED,
        "cancelled": NoticeStatus.SCHEDULED,
    }
    (message,) = messages_of(response)
    assert vi("The session is cancelled.") in message
    assert "09:35" in message  # the villages are told five minutes later
    # The course page shows it cancelled, with no edit or cancel button.
    assert_shows(response, "Mưa lớn, đường ngập")
    assert url not in text_of(response)


def test_cancelling_without_a_reason_changes_nothing(official_client, scheduled):
    url = reverse("trainings:session_cancel", args=[scheduled.pk])
    response = official_client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        vi("Say why the session is cancelled.")
    ]
    scheduled.refresh_from_db()
    assert scheduled.status == SessionStatus.SCHEDULED
    assert not Notice.objects.filter(status=NoticeStatus.CANCELLED).exists()


def test_a_cancelled_session_cannot_be_cancelled_or_edited_again(
    official_client, durian, village
):
    session = SessionFactory(
        course=durian, village=village, status=SessionStatus.CANCELLED
    )
    for name, text, form_id in [
        ("trainings:session_cancel", "This session is already cancelled.", "cancel"),
        (
            "trainings:session_update",
            "A cancelled session cannot be changed.",
            "session",
        ),
    ]:
        response = official_client.get(reverse(name, args=[session.pk]))
        assert response.status_code == 200
        assert_shows(response, vi(text))
        assert f'id="{form_id}-form"' not in text_of(response)


def test_officer_cannot_cancel(officer_client, durian, village):
    session = SessionFactory(course=durian, village=village)
    url = reverse("trainings:session_cancel", args=[session.pk])
    assert officer_client.post(url, {"reason": "Thử"}).status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


# --- Query counts -------------------------------------------------------------------------------


def populate(course, villages, count, start_day=0):
    for n in range(count):
        session = SessionFactory(
            course=course,
            village=villages[n % len(villages)],
            starts_at=local_datetime(
                NOW.date() + timedelta(days=1 + (start_day + n) % 28), 7 + n % 8
            ),
        )
        EnrolmentFactory(session=session)
        if n % 3 == 0:
            EnrolmentFactory(session=session, status="waitlisted")


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm the session and the content types
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# On SQLite: the session and the user, the count and the page of sessions with their
# counts, the village choices.
MAX_HOME = 5


@pytest.mark.parametrize(
    ("who", "params"),
    [("official", {}), ("official", {"topic": "durian"}), ("officer", {})],
)
def test_home_runs_the_same_queries_for_few_and_many_sessions(
    client_for,
    official,
    officer,
    commune,
    village,
    other_village,
    who,
    params,
    django_assert_max_num_queries,
):
    client = client_for(official if who == "official" else officer)
    course = CourseFactory(commune=commune, topic=Topic.DURIAN)
    populate(course, [village, other_village], 2)
    small = queries(client, HOME, params)
    populate(
        CourseFactory(commune=commune, topic=Topic.DURIAN),
        [village, other_village, VillageFactory(commune=commune)],
        40,
        start_day=5,
    )
    large = queries(client, HOME, params)
    assert small == large, f"{small} queries with 2 sessions, {large} with 42"
    with django_assert_max_num_queries(MAX_HOME):
        client.get(HOME, params)
