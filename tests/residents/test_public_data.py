"""What the public pages read: the trainings calendar (the village's sessions, places
left, cancelled ones struck through, never a participant) and the notices (only those an
official sent out, to the village's audience), with the same number of queries for a
little data and a lot."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from eakutur.residents.views._common import VILLAGE_COOKIE
from outreach.models import Audience, NoticeSource, NoticeStatus
from tests.factories import VillageFactory
from tests.factories.outreach import NoticeFactory, TeamMemberFactory
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    in_days,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import EnrolmentStatus, SessionStatus

pytestmark = pytest.mark.django_db

HOME = reverse("residents:home")
CALENDAR = reverse("residents:calendar")
NEWS = reverse("residents:notice_list")


def places_left(n: int) -> str:
    with translation.override("vi"):
        return ngettext("%(n)s place left", "%(n)s places left", n) % {"n": n}


def notice_url(notice) -> str:
    return reverse("residents:notice_detail", args=[notice.pk])


def sent_notice(commune, **kwargs):
    kwargs.setdefault("status", NoticeStatus.DONE)
    kwargs.setdefault("dispatched_at", timezone.now())
    return NoticeFactory(commune=commune, **kwargs)


@pytest.fixture
def third_village(commune):
    return VillageFactory(commune=commune, code="T03", name="Thôn 3")


@pytest.fixture
def in_village(client, village):
    client.cookies[VILLAGE_COOKIE] = str(village.pk)
    return client


# --- Calendar ------------------------------------------------------------------------------


def test_calendar_shows_the_villages_sessions_and_those_meant_for_it(
    in_village, commune, village, other_village, third_village
):
    held_here = CourseFactory(commune=commune, title="Cà phê tại thôn 1")
    meant_for_us = CourseFactory(
        commune=commune, title="Sầu riêng cho thôn 1", target_villages=[village]
    )
    theirs = CourseFactory(
        commune=commune, title="Hồ tiêu buôn Tiêu", target_villages=[other_village]
    )
    whole_commune = CourseFactory(commune=commune, title="Bảo hiểm y tế toàn xã")
    SessionFactory(course=held_here, village=village, starts_at=in_days(2))
    SessionFactory(course=meant_for_us, village=third_village, starts_at=in_days(3))
    SessionFactory(course=theirs, village=other_village, starts_at=in_days(4))
    SessionFactory(course=whole_commune, village=third_village, starts_at=in_days(5))

    response = in_village.get(CALENDAR)

    assert response.status_code == 200
    assert_shows(
        response,
        vi("Trainings calendar"),
        "Cà phê tại thôn 1",
        "Sầu riêng cho thôn 1",
        "Thôn 3",  # where the session meant for Thôn 1 is held
        "Bảo hiểm y tế toàn xã",
        vi("See every village"),
    )
    assert_not_shows(response, "Hồ tiêu buôn Tiêu")

    everyone = in_village.get(CALENDAR, {"all": "1"})
    assert_shows(everyone, "Hồ tiêu buôn Tiêu", vi("Showing: every village"))


def test_calendar_keeps_to_the_next_sixty_days(in_village, commune, village):
    course = CourseFactory(commune=commune, title="Lớp", target_villages=[village])
    SessionFactory(
        course=course, village=village, starts_at=in_days(-1), trainer="Hôm qua"
    )
    SessionFactory(
        course=course, village=village, starts_at=in_days(59), trainer="Sắp tới"
    )
    SessionFactory(
        course=course, village=village, starts_at=in_days(61), trainer="Quá xa"
    )

    response = in_village.get(CALENDAR)

    assert_shows(response, "Sắp tới")
    assert_not_shows(response, "Hôm qua", "Quá xa")


def test_calendar_strikes_a_cancelled_session_with_its_reason(
    in_village, commune, village
):
    course = CourseFactory(
        commune=commune, title="Chăn nuôi bò", target_villages=[village]
    )
    session = SessionFactory(
        course=course,
        village=village,
        status=SessionStatus.CANCELLED,
        cancel_reason="Giảng viên bị ốm",
    )

    response = in_village.get(CALENDAR)

    page = text_of(response)
    assert '<p class="session-title cancelled">Chăn nuôi bò</p>' in page
    assert_shows(response, vi("Cancelled"), "Giảng viên bị ốm")
    assert f"session={session.pk}" not in page  # no sign-up for a cancelled session


def test_calendar_shows_places_left_and_never_a_participant(
    in_village, commune, village
):
    course = CourseFactory(commune=commune, title="Cà phê", target_villages=[village])
    session = SessionFactory(course=course, village=village, capacity=10)
    EnrolmentFactory(session=session, member__full_name="Y Moan Êban")
    EnrolmentFactory(session=session, member=None, full_name="H'Lan Niê")
    EnrolmentFactory(
        session=session,
        member=None,
        full_name="Ksor Ngăn",
        status=EnrolmentStatus.WITHDRAWN,
    )
    EnrolmentFactory(
        session=session,
        member=None,
        full_name="Rơ Lan",
        status=EnrolmentStatus.WAITLISTED,
    )

    response = in_village.get(CALENDAR)

    assert_shows(
        response,
        places_left(8),
        f"{reverse('residents:request')}?topic=trainings&session={session.pk}",
    )
    assert_not_shows(response, "Y Moan Êban", "H'Lan Niê", "Ksor Ngăn", "Rơ Lan")


def test_a_full_session_offers_the_waiting_list(in_village, commune, village):
    course = CourseFactory(commune=commune, target_villages=[village])
    session = SessionFactory(course=course, village=village, capacity=1)
    EnrolmentFactory(session=session)

    response = in_village.get(CALENDAR)

    assert_shows(response, vi("Full: you can ask for a place on the waiting list."))


def test_calendar_without_a_village_shows_all_and_offers_the_picker(
    client, commune, village, other_village
):
    theirs = CourseFactory(
        commune=commune, title="Hồ tiêu buôn Tiêu", target_villages=[other_village]
    )
    SessionFactory(course=theirs, village=other_village)

    response = client.get(CALENDAR)

    assert_shows(response, "Hồ tiêu buôn Tiêu", vi("Choose a village"))


def test_an_empty_calendar_says_so(in_village, commune):
    response = in_village.get(CALENDAR)

    assert_shows(
        response, vi("No training is planned for your village in the coming weeks.")
    )


# --- Notices -------------------------------------------------------------------------------


@pytest.fixture
def not_public(commune, village):
    """Notices that never went out as news: a draft, a cancelled one, a loan reminder."""
    return [
        NoticeFactory(
            commune=commune,
            title="Bản nháp họp thôn",
            status=NoticeStatus.DRAFT,
            scheduled_at=None,
            approved_by=None,
            approved_at=None,
        ),
        NoticeFactory(
            commune=commune,
            title="Thông báo đã hủy",
            status=NoticeStatus.CANCELLED,
            cancelled_at=timezone.now(),
            cancel_reason="Đổi ngày",
        ),
        sent_notice(
            commune,
            title="Nhắc trả nợ vay",
            source=NoticeSource.LOAN_REMINDER,
            source_key="loan:1:2025-10-15",
            approved_by=None,
        ),
        sent_notice(
            commune,
            title="Nhắc buổi tập huấn",
            source=NoticeSource.TRAINING_REMINDER,
            source_key="session:1:2025-10-15",
            approved_by=None,
        ),
    ]


def test_only_notices_an_official_sent_out_are_public(client, commune, not_public):
    public = sent_notice(commune, title="Lịch tiêm chủng tháng 10")

    listed = client.get(NEWS)

    assert_shows(listed, "Lịch tiêm chủng tháng 10")
    assert_not_shows(listed, *[n.title for n in not_public])
    assert client.get(notice_url(public)).status_code == 200
    for notice in not_public:
        assert client.get(notice_url(notice)).status_code == 404, notice.title
    assert (
        client.get(reverse("residents:notice_detail", args=[999999])).status_code == 404
    )


def test_a_notice_for_chosen_villages_shows_only_there(
    client, commune, village, other_village
):
    sent_notice(
        commune,
        title="Họp dân buôn Tiêu",
        audience=Audience.CHOSEN_VILLAGES,
        villages=[other_village],
    )
    sent_notice(commune, title="Thông báo cả xã")

    client.cookies[VILLAGE_COOKIE] = str(village.pk)
    mine = client.get(NEWS)
    client.cookies[VILLAGE_COOKIE] = str(other_village.pk)
    theirs = client.get(NEWS)

    assert_shows(mine, "Thông báo cả xã")
    assert_not_shows(mine, "Họp dân buôn Tiêu")
    assert_shows(theirs, "Thông báo cả xã", "Họp dân buôn Tiêu")
    assert_shows(client.get(NEWS, {"all": "1"}), "Họp dân buôn Tiêu")


def test_a_notice_for_ethnic_minority_villages_shows_in_a_buon(
    client, commune, village, other_village
):
    sent_notice(
        commune,
        title="Hỗ trợ đồng bào dân tộc",
        audience=Audience.ETHNIC_MINORITY_VILLAGES,
    )

    client.cookies[VILLAGE_COOKIE] = str(other_village.pk)  # Buôn Tiêu
    assert_shows(client.get(NEWS), "Hỗ trợ đồng bào dân tộc")
    client.cookies[VILLAGE_COOKIE] = str(village.pk)
    assert_not_shows(client.get(NEWS), "Hỗ trợ đồng bào dân tộc")


def test_notices_are_newest_first_and_paginated(client, commune):
    now = timezone.now()
    for n in range(25):
        sent_notice(
            commune, title=f"Tin số {n:02d}", dispatched_at=now - timedelta(days=n)
        )

    first = text_of(client.get(NEWS))
    second = client.get(NEWS, {"page": 2})

    assert first.index("Tin số 00") < first.index("Tin số 19")
    assert "Tin số 20" not in first
    assert_shows(
        second, "Tin số 24", vi("Page %(number)s of %(total)s", number=2, total=2)
    )
    assert client.get(NEWS, {"page": "xyz"}).status_code == 200


def test_a_notice_page_shows_the_text_and_the_second_language(client, commune):
    notice = sent_notice(
        commune,
        title="Họp thôn về nước sạch",
        body="Dòng một.\nDòng hai.",
        second_language="Ê Đê",
        body_second="Klei mơ-ar kơ êa doh",
        dispatched_at=timezone.make_aware(timezone.datetime(2025, 10, 3, 9, 0)),
    )

    response = client.get(notice_url(notice))

    assert_shows(
        response,
        "Họp thôn về nước sạch",
        vi("Sent on %(date)s", date="03/10/2025"),
        "Dòng một.<br>Dòng hai.",
        "Đọc bằng tiếng Ê Đê",
        "Klei mơ-ar kơ êa doh",
    )


def test_no_notice_yet_says_so(client, commune):
    assert_shows(client.get(NEWS), vi("No notice has been sent yet."))


# --- Query counts --------------------------------------------------------------------------


def _fill(commune, village, other_village, size: int) -> None:
    """``size`` sessions with enrolments, notices of each audience and team members."""
    course = CourseFactory(commune=commune, target_villages=[village, other_village])
    for n in range(size):
        session = SessionFactory(
            course=course,
            village=village if n % 2 else other_village,
            starts_at=in_days(1 + n),
        )
        EnrolmentFactory(session=session)
        sent_notice(commune, title=f"Chung {n}")
        sent_notice(
            commune,
            title=f"Riêng {n}",
            audience=Audience.CHOSEN_VILLAGES,
            villages=[village, other_village],
        )
        TeamMemberFactory(team__village=village)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [HOME, CALENDAR, NEWS, f"{CALENDAR}?all=1"])
def test_public_pages_take_the_same_queries_for_more_data(
    in_village, commune, village, other_village, url, django_assert_max_num_queries
):
    _fill(commune, village, other_village, 2)
    few = _queries(in_village, url)
    _fill(commune, village, other_village, 12)
    many = _queries(in_village, url)

    assert few == many
    with django_assert_max_num_queries(6):
        in_village.get(url)


def test_a_notice_page_takes_a_fixed_number_of_queries(
    in_village, commune, django_assert_max_num_queries
):
    notice = sent_notice(commune, second_language="Ê Đê", body_second="Klei")

    with django_assert_max_num_queries(2):
        assert in_village.get(notice_url(notice)).status_code == 200
