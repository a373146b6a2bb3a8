"""The course screens through the test client: the list with its search, filters and
pagination, creating and editing a course (commune-wide roles only), the course's page
with its sessions and its people counted once, and the course list's export.

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
from openpyxl import load_workbook

from eakutur.audit.models import AuditEntry
from tests.factories import MemberFactory, VillageFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import (
    Course,
    CourseKind,
    EnrolmentStatus,
    OrganiserKind,
    SessionStatus,
    TargetGroup,
    Topic,
)

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=HCM)
LIST = reverse("trainings:course_list")
CREATE = reverse("trainings:course_create")
EXPORT = reverse("trainings:course_export")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, month: int = 6, hour: int = 8) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=HCM)


def detail(course) -> str:
    return reverse("trainings:course_detail", args=[course.pk])


@pytest.fixture
def third_village(commune):
    return VillageFactory(commune=commune, code="T03", name="Thôn 3")


@pytest.fixture
def coffee(commune, village, other_village):
    return CourseFactory(
        commune=commune,
        title="Cà phê bền vững theo 4C",
        topic=Topic.COFFEE,
        target_villages=[village, other_village],
        target_groups=[TargetGroup.POOR, TargetGroup.ETHNIC_MINORITY],
        loan_purpose="coffee",
        description="Cắt cành, tạo tán, bón phân.",
    )


@pytest.fixture
def pepper(commune, third_village):
    return CourseFactory(
        commune=commune,
        title="Kỹ thuật trồng hồ tiêu",
        topic=Topic.PEPPER,
        kind=CourseKind.VOCATIONAL,
        target_villages=[third_village],
    )


def course_data(villages=(), **overrides) -> dict:
    data = {
        "title": "  Trồng  sầu riêng  bền vững ",
        "topic": Topic.DURIAN,
        "kind": CourseKind.EXTENSION,
        "organiser_kind": OrganiserKind.EXTENSION_CENTRE,
        "organiser_name": "Trung tâm Khuyến nông tỉnh Đắk Lắk",
        "description": "Ghép cải tạo vườn.",
        "target_villages": [v.pk for v in villages],
        "target_groups": [TargetGroup.POOR, TargetGroup.WOMEN],
        "loan_purpose": "durian",
    }
    data.update(overrides)
    return data


# --- The list -------------------------------------------------------------------------------


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [c.title for c in response.context["courses"]]


def test_list_searches_folded_titles_and_filters(
    official_client, coffee, pepper, village, third_village
):
    old = CourseFactory(commune=coffee.commune, title="Chăn nuôi bò", topic="livestock")
    SessionFactory(course=old, village=village, starts_at=at(10, month=3))
    SessionFactory(course=coffee, village=village, starts_at=at(20))

    # A course with a coming session first, then the newest.
    assert listed(official_client) == [coffee.title, old.title, pepper.title]
    assert listed(official_client, q="ca phe") == [coffee.title]
    assert listed(official_client, q="HỒ TIÊU") == [pepper.title]
    assert listed(official_client, topic=Topic.PEPPER) == [pepper.title]
    assert listed(official_client, kind=CourseKind.VOCATIONAL) == [pepper.title]
    assert listed(official_client, village=third_village.pk) == [pepper.title]
    assert set(listed(official_client, year=2025)) == {coffee.title, old.title}
    assert listed(official_client, year=2024) == []
    response = official_client.get(LIST, {"q": "khong co"})
    assert_shows(
        response, vi("No course matches. Check the spelling, or clear the filters.")
    )


def test_list_shows_sessions_next_date_and_distinct_participants(
    official_client, coffee, village
):
    past = [
        SessionFactory(course=coffee, village=village, starts_at=at(d, month=5))
        for d in (5, 12)
    ]
    SessionFactory(course=coffee, village=village, starts_at=at(20, hour=7))
    SessionFactory(course=coffee, village=village, status=SessionStatus.CANCELLED)
    regular = MemberFactory(household__village=village)
    for session in past:  # one person at both sessions counts once
        EnrolmentFactory(
            session=session, member=regular, status=EnrolmentStatus.ATTENDED
        )
    EnrolmentFactory(session=past[0], status=EnrolmentStatus.ATTENDED)
    EnrolmentFactory(session=past[1], status=EnrolmentStatus.ABSENT)

    response = official_client.get(LIST)

    (row,) = response.context["courses"]
    assert (row.session_count, row.participants, row.enrolled) == (3, 2, 3)
    page = text_of(response)
    assert 'data-participants="2"' in page
    assert "20/06/2025 07:00" in page
    assert_shows(response, "Thôn 1, Buôn Tiêu")


def test_list_shows_the_years_people_trained_each_counted_once(
    official_client, coffee, pepper, village
):
    """The figure the commune reports ("about 550 farmers trained in durian, coffee and
    pepper in 2025"): a farmer at a coffee and a pepper course counts once."""
    farmer = MemberFactory(household__village=village)
    coffee_day = SessionFactory(course=coffee, village=village, starts_at=at(5, 5))
    pepper_day = SessionFactory(course=pepper, village=village, starts_at=at(6, 5))
    health = SessionFactory(
        course__commune=coffee.commune,
        course__topic=Topic.HEALTH_INSURANCE,
        village=village,
        starts_at=at(7, 5),
    )
    for session in (coffee_day, pepper_day, health):
        EnrolmentFactory(
            session=session, member=farmer, status=EnrolmentStatus.ATTENDED
        )
    EnrolmentFactory(session=health, status=EnrolmentStatus.ATTENDED)
    EnrolmentFactory(session=coffee_day, status=EnrolmentStatus.ABSENT)
    last_year = SessionFactory(
        course=coffee, village=village, starts_at=at(5, 5) - timedelta(days=365)
    )
    EnrolmentFactory(session=last_year, status=EnrolmentStatus.ATTENDED)

    response = official_client.get(LIST, {"year": "2025"})

    assert response.context["year_figures"] == {"year": 2025, "all": 2, "crops": 1}
    assert_shows(response, vi("Participants in %(year)s", year=2025))
    assert 'data-figure="crops">1<' in text_of(response)


def test_a_village_officer_sees_no_commune_figures(officer_client, coffee):
    response = officer_client.get(LIST)
    assert "year_figures" not in response.context


def test_list_is_paginated(official_client, commune):
    for n in range(27):
        CourseFactory(commune=commune, title=f"Lớp {n:02d}")
    first = official_client.get(LIST)
    second = official_client.get(LIST, {"page": 2})
    assert len(first.context["courses"]) == 25
    assert len(second.context["courses"]) == 2
    assert_shows(first, vi("Page %(n)s of %(total)s", n=1, total=2))


def test_officer_lists_courses_meant_for_their_village_or_the_commune(
    officer_client, coffee, pepper, commune
):
    everyone = CourseFactory(commune=commune, title="Bảo hiểm y tế cho mọi người")
    assert set(listed(officer_client)) == {coffee.title, everyone.title}
    assert officer_client.get(detail(pepper)).status_code == 404
    response = officer_client.get(LIST)
    assert CREATE not in text_of(response)


def test_list_query_count_does_not_grow(
    official_client, commune, village, django_assert_max_num_queries
):
    def populate(count):
        for _n in range(count):
            course = CourseFactory(commune=commune, target_villages=[village])
            session = SessionFactory(course=course, village=village, starts_at=at(20))
            EnrolmentFactory(session=session, status=EnrolmentStatus.ATTENDED)

    def queries():
        official_client.get(LIST)
        with CaptureQueriesContext(connection) as ctx:
            assert official_client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    populate(2)
    small = queries()
    populate(20)
    assert queries() == small
    # The list, and two queries for each of the year's two participant figures.
    with django_assert_max_num_queries(13):
        official_client.get(LIST)


# --- Creating and editing -------------------------------------------------------------------


def test_official_creates_a_course(official_client, village, other_village):
    response = official_client.post(
        CREATE, course_data([village, other_village]), follow=True
    )

    course = Course.objects.get()
    assert response.redirect_chain[-1][0] == detail(course)
    assert course.title == "Trồng sầu riêng bền vững"
    assert (course.topic, course.kind, course.loan_purpose) == (
        Topic.DURIAN,
        CourseKind.EXTENSION,
        "durian",
    )
    assert set(course.target_villages.all()) == {village, other_village}
    assert set(course.targets.values_list("group", flat=True)) == {"poor", "women"}
    assert course.created_by.username == "canbo"
    assert_shows(response, "Trồng sầu riêng bền vững", "Thôn 1, Buôn Tiêu")
    assert reverse("trainings:session_create", args=[course.pk]) in text_of(response)


def test_all_ethnic_minority_hamlets_adds_every_hamlet(
    official_client, commune, village, other_village
):
    hamlet = VillageFactory(commune=commune, code="B02", is_ethnic_minority=True)
    form = official_client.get(CREATE).context["form"]
    assert [label for label, _boxes in form.village_groups()] == [
        vi("Ethnic-minority hamlets"),
        vi("Other villages"),
    ]
    official_client.post(
        CREATE, course_data([village], all_minority_villages="on"), follow=True
    )
    course = Course.objects.get()
    assert set(course.target_villages.all()) == {village, other_village, hamlet}


def test_a_course_needs_a_title_and_a_topic(official_client):
    response = official_client.post(CREATE, course_data(title=" ", topic=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"title", "topic"}
    assert not Course.objects.exists()


def test_officer_cannot_create_or_edit_courses(officer_client, coffee, village):
    assert officer_client.get(CREATE).status_code == 403
    assert officer_client.post(CREATE, course_data([village])).status_code == 403
    edit = reverse("trainings:course_update", args=[coffee.pk])
    assert officer_client.get(edit).status_code == 403
    assert officer_client.post(edit, course_data([village])).status_code == 403
    assert Course.objects.count() == 1
    coffee.refresh_from_db()
    assert coffee.title == "Cà phê bền vững theo 4C"


def test_official_edits_a_course(official_client, coffee, village, third_village):
    edit = reverse("trainings:course_update", args=[coffee.pk])
    form = official_client.get(edit).context["form"]
    assert form["title"].value() == "Cà phê bền vững theo 4C"
    assert {int(v) for v in form["target_villages"].value()} == {
        v.pk for v in coffee.target_villages.all()
    }

    response = official_client.post(
        edit,
        course_data(
            [third_village],
            title="Cà phê bền vững theo 4C (khóa 2)",
            topic=Topic.COFFEE,
            target_groups=[TargetGroup.YOUTH],
            loan_purpose="",
        ),
        follow=True,
    )

    coffee.refresh_from_db()
    assert coffee.title == "Cà phê bền vững theo 4C (khóa 2)"
    assert list(coffee.target_villages.all()) == [third_village]
    assert list(coffee.targets.values_list("group", flat=True)) == ["youth"]
    assert coffee.loan_purpose == ""
    assert vi("The course was saved.") in [str(m) for m in response.context["messages"]]
    assert AuditEntry.objects.filter(object_id=coffee.pk).exists()


def test_another_communes_course_is_a_404(
    client_for, foreign_official, coffee, official
):
    client = client_for(foreign_official)
    for url in (
        detail(coffee),
        reverse("trainings:course_update", args=[coffee.pk]),
        reverse("trainings:session_create", args=[coffee.pk]),
    ):
        assert client.get(url).status_code == 404


# --- The course's page ---------------------------------------------------------------------


def test_course_page_shows_targets_sessions_places_and_people(
    official_client, coffee, village, other_village
):
    held = SessionFactory(
        course=coffee,
        village=village,
        starts_at=at(5, month=5),
        status=SessionStatus.HELD,
        capacity=2,
    )
    coming = SessionFactory(
        course=coffee, village=other_village, starts_at=at(20), capacity=2
    )
    regular = MemberFactory(household__village=village)
    EnrolmentFactory(session=held, member=regular, status=EnrolmentStatus.ATTENDED)
    EnrolmentFactory(session=held, status=EnrolmentStatus.ABSENT)
    EnrolmentFactory(session=coming, member=regular)
    EnrolmentFactory(session=coming)
    EnrolmentFactory.create_batch(2, session=coming, status=EnrolmentStatus.WAITLISTED)
    SessionFactory(course=coffee, village=village, status=SessionStatus.CANCELLED)

    response = official_client.get(detail(coffee))

    assert response.status_code == 200
    page = text_of(response)
    assert 'data-figure="participants">1<' in page
    # The regular counted once; the absent one and the waiting list count too.
    assert 'data-figure="enrolled">5<' in page
    assert 'data-figure="sessions">2<' in page
    assert 'data-figure="upcoming">1<' in page
    assert 'data-places="2/2"' in page
    assert 'data-waiting="2"' in page
    assert_shows(
        response,
        "Thôn 1, Buôn Tiêu",
        vi("Poor households"),
        "Cắt cành, tạo tán, bón phân.",
        vi("Schedule a session"),
        str(SessionStatus.CANCELLED.label),
    )
    # Scheduled sessions can be edited and cancelled; held and cancelled ones cannot.
    assert reverse("trainings:session_update", args=[coming.pk]) in page
    assert reverse("trainings:session_update", args=[held.pk]) not in page
    assert reverse("trainings:session_detail", args=[coming.pk]) in page


def test_officer_reads_the_course_page_without_planning_buttons(
    officer_client, coffee, village
):
    session = SessionFactory(course=coffee, village=village, starts_at=at(20))
    response = officer_client.get(detail(coffee))
    assert response.status_code == 200
    page = text_of(response)
    assert reverse("trainings:session_create", args=[coffee.pk]) not in page
    assert reverse("trainings:course_update", args=[coffee.pk]) not in page
    assert reverse("trainings:session_cancel", args=[session.pk]) not in page
    assert_not_shows(response, vi("Edit the course"))


# --- The export ----------------------------------------------------------------------------


def test_export_has_courses_with_people_and_their_sessions(
    official_client, coffee, pepper, village, third_village
):
    coffee.title = '=HYPERLINK("http://x","y")'
    coffee.save()
    session = SessionFactory(
        course=coffee, village=village, starts_at=at(5, month=5), place="@SUM(1)"
    )
    EnrolmentFactory.create_batch(3, session=session, status=EnrolmentStatus.ATTENDED)
    SessionFactory(course=pepper, village=third_village, starts_at=at(20))

    response = official_client.get(EXPORT, {"topic": Topic.COFFEE})

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    courses, sessions = book.worksheets
    rows = list(courses.iter_rows(values_only=True))
    assert len(rows) == 2
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values[vi("Course")] == '\'=HYPERLINK("http://x","y")'
    assert values[vi("Target villages")] == "Thôn 1, Buôn Tiêu"
    assert values[vi("Sessions")] == 1
    assert values[vi("Participants")] == 3
    session_rows = list(sessions.iter_rows(values_only=True))
    assert len(session_rows) == 2  # the header and the coffee session only
    session_values = dict(zip(session_rows[0], session_rows[1], strict=True))
    assert session_values[vi("Place")] == "'@SUM(1)"
    assert session_values[vi("Places taken")] == 3


def test_officer_export_holds_only_courses_they_may_see(officer_client, coffee, pepper):
    response = officer_client.get(EXPORT)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    titles = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [coffee.title]
