"""Session reminders through the notice service: created when a session is scheduled,
once; cancelled and replaced when it moves; cancelled with a notice to the villages when
the session is cancelled; in Vietnamese, naming nobody; delivered by the worker."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from outreach.models import (
    Delivery,
    DeliveryStatus,
    GroupChannel,
    Notice,
    NoticeSource,
    NoticeStatus,
)
from outreach.services import delivery_send, notice_dispatch_due
from tests.factories.outreach import VillageGroupFactory
from tests.factories.trainings import CourseFactory, SessionFactory
from trainings.services import (
    course_update,
    session_cancel,
    session_schedule,
    session_update,
)
from trainings.services.reminders import session_reminders_schedule

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday morning at the commune office
FRIDAY = datetime(2026, 3, 6, 8, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def _at_the_office():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grouped(village, other_village):
    for v in (village, other_village):
        VillageGroupFactory(village=v, channel=GroupChannel.CONSOLE)
    return village


@pytest.fixture
def course(commune):
    return CourseFactory(
        commune=commune,
        title="Trồng cà phê bền vững",
        organiser_name="Trung tâm Khuyến nông tỉnh Đắk Lắk",
        target_groups=["poor", "ethnic_minority"],
    )


def schedule(official, course, village, starts_at=FRIDAY, **kwargs):
    return session_schedule(
        actor=official,
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        village=village,
        place="Nhà văn hóa thôn 1",
        capacity=30,
        trainer="KS. Trần Văn Bình",
        **kwargs,
    )


def reminders(session, status=None):
    qs = Notice.objects.filter(source_key__startswith=f"training:{session.pk}:")
    if status:
        qs = qs.filter(status=status)
    return {n.source_key: n for n in qs}


def test_scheduling_creates_two_reminders_for_the_sessions_village(
    official, course, grouped, village
):
    session = schedule(official, course, village)
    notices = reminders(session)
    two_days = notices[f"training:{session.pk}:2days"]
    morning = notices[f"training:{session.pk}:morning"]
    assert len(notices) == 2
    assert two_days.scheduled_at == datetime(2026, 3, 4, 7, 30, tzinfo=VN)
    assert morning.scheduled_at == datetime(2026, 3, 6, 6, 30, tzinfo=VN)
    for notice in (two_days, morning):
        assert notice.source == NoticeSource.TRAINING_REMINDER
        assert notice.status == NoticeStatus.SCHEDULED
        assert list(notice.villages.all()) == [village]
    assert two_days.title == "Tập huấn ngày 06/03/2026: Trồng cà phê bền vững"
    assert morning.title == "Hôm nay lúc 08:00 tập huấn: Trồng cà phê bền vững"
    body = two_days.body
    assert "ngày 06/03/2026, từ 08:00 đến 11:00" in body
    assert "Địa điểm: Nhà văn hóa thôn 1, Thôn 1." in body
    assert "Đối tượng tham gia: đồng bào dân tộc thiểu số, hộ nghèo." in body
    assert "do Trung tâm Khuyến nông tỉnh Đắk Lắk tổ chức" in body
    assert "báo cán bộ thôn" in body
    assert "Trần Văn Bình" not in body  # no names in a village group


def test_reminders_go_to_the_courses_target_villages(
    official, commune, grouped, village, other_village
):
    course = CourseFactory(commune=commune, target_villages=[village, other_village])
    session = schedule(official, course, village)
    for notice in reminders(session).values():
        assert set(notice.villages.all()) == {village, other_village}
        assert "Mời tất cả bà con quan tâm đến dự." in notice.body


def test_reminders_whose_time_has_passed_are_skipped(
    official, course, grouped, village
):
    tomorrow = schedule(official, course, village, starts_at=NOW + timedelta(days=1))
    assert list(reminders(tomorrow)) == [f"training:{tomorrow.pk}:morning"]
    later_today = schedule(
        official, course, village, starts_at=NOW + timedelta(hours=2)
    )
    assert reminders(later_today) == {}


def test_scheduling_the_reminders_again_creates_no_duplicates(
    official, course, grouped, village
):
    session = schedule(official, course, village)
    assert session_reminders_schedule(session) == []
    assert len(reminders(session)) == 2


def test_a_village_without_a_group_gets_no_reminder_but_the_session_stands(
    official, course, village
):
    session = schedule(official, course, village)
    assert reminders(session) == {}
    assert session.pk is not None


def test_the_text_is_vietnamese_whatever_the_officials_language(
    official, course, grouped, village
):
    with translation.override("en"):
        session = schedule(official, course, village)
    notice = reminders(session)[f"training:{session.pk}:2days"]
    assert notice.title.startswith("Tập huấn ngày 06/03/2026")


# --- Cancelling ---------------------------------------------------------------------


def test_cancelling_cancels_unsent_reminders_and_tells_the_villages(
    official, course, grouped, village
):
    session = schedule(official, course, village)
    session_cancel(actor=official, session=session, reason="Giảng viên bị ốm")
    notices = reminders(session)
    assert notices[f"training:{session.pk}:2days"].status == NoticeStatus.CANCELLED
    assert notices[f"training:{session.pk}:morning"].status == NoticeStatus.CANCELLED
    told = notices[f"training:{session.pk}:cancelled"]
    assert told.status == NoticeStatus.SCHEDULED
    assert told.scheduled_at == NOW + timedelta(minutes=5)
    assert list(told.villages.all()) == [village]
    assert told.title == "Hủy buổi tập huấn: Trồng cà phê bền vững ngày 06/03/2026"
    assert "đã bị hủy" in told.body
    assert "Lý do: Giảng viên bị ốm" in told.body


def test_a_reminder_already_sent_stays_sent_when_the_session_is_cancelled(
    official, course, grouped, village
):
    session = schedule(official, course, village)
    with time_machine.travel(datetime(2026, 3, 4, 7, 31, tzinfo=VN), tick=False):
        assert notice_dispatch_due() == 1
        session_cancel(actor=official, session=session, reason="Mưa bão")
    notices = reminders(session)
    assert notices[f"training:{session.pk}:2days"].status == NoticeStatus.DISPATCHED
    assert notices[f"training:{session.pk}:morning"].status == NoticeStatus.CANCELLED
    assert notices[f"training:{session.pk}:cancelled"].status == NoticeStatus.SCHEDULED


# --- Moving ---------------------------------------------------------------------------


def test_moving_a_session_replaces_its_reminders(official, course, grouped, village):
    session = schedule(official, course, village)
    monday = datetime(2026, 3, 9, 14, 0, tzinfo=VN)
    session_update(
        actor=official,
        session=session,
        starts_at=monday,
        ends_at=monday + timedelta(hours=2),
    )
    live = reminders(session, NoticeStatus.SCHEDULED)
    assert set(live) == {
        f"training:{session.pk}:202603091400:2days",
        f"training:{session.pk}:202603091400:morning",
    }
    assert live[f"training:{session.pk}:202603091400:2days"].scheduled_at == datetime(
        2026, 3, 7, 7, 30, tzinfo=VN
    )
    assert (
        "ngày 09/03/2026, từ 14:00 đến 16:00"
        in live[f"training:{session.pk}:202603091400:morning"].body
    )
    assert len(reminders(session, NoticeStatus.CANCELLED)) == 2


def test_moving_away_and_back_again_still_reminds(official, course, grouped, village):
    session = schedule(official, course, village)
    for start in (FRIDAY + timedelta(days=3), FRIDAY, FRIDAY + timedelta(days=3)):
        session_update(
            actor=official,
            session=session,
            starts_at=start,
            ends_at=start + timedelta(hours=3),
        )
    live = reminders(session, NoticeStatus.SCHEDULED)
    assert set(live) == {
        f"training:{session.pk}:202603090800:2days:r2",
        f"training:{session.pk}:202603090800:morning:r2",
    }


def test_a_new_place_renews_the_text_but_a_new_capacity_does_not(
    official, course, grouped, village
):
    session = schedule(official, course, village)
    session_update(actor=official, session=session, capacity=40)
    assert len(reminders(session, NoticeStatus.SCHEDULED)) == 2
    assert len(reminders(session)) == 2
    session_update(actor=official, session=session, place="Hội trường UBND xã")
    live = reminders(session, NoticeStatus.SCHEDULED)
    assert len(live) == 2
    assert all("Hội trường UBND xã" in n.body for n in live.values())


def test_a_new_course_title_renews_the_coming_sessions_reminders(
    official, course, grouped, village, other_village
):
    session = schedule(official, course, village)
    course_update(
        actor=official,
        course=course,
        title="Cà phê bền vững – 4C",
        target_villages=[other_village],
    )
    live = reminders(session, NoticeStatus.SCHEDULED)
    assert len(live) == 2
    for notice in live.values():
        assert "Cà phê bền vững – 4C" in notice.title
        assert list(notice.villages.all()) == [other_village]


def test_a_session_written_directly_has_no_reminders_until_asked(grouped, course):
    session = SessionFactory(course=course, village=grouped, starts_at=FRIDAY)
    assert reminders(session) == {}
    assert len(session_reminders_schedule(session)) == 2


# --- Delivered like any notice ---------------------------------------------------------


def test_the_worker_delivers_the_reminder_to_the_village_group(
    official, course, grouped, village
):
    session = schedule(official, course, village)
    with time_machine.travel(datetime(2026, 3, 4, 7, 31, tzinfo=VN), tick=False):
        assert notice_dispatch_due() == 1
        delivery = Delivery.objects.get()
        assert delivery_send(delivery_id=delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.group.village == village
    assert "Tập huấn ngày 06/03/2026: Trồng cà phê bền vững" in delivery.text
    assert reminders(session)[f"training:{session.pk}:2days"].status == (
        NoticeStatus.DONE
    )
