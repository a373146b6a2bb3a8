"""Courses and sessions: who plans them, the dates a session may have, capacity, and
cancelling."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eakutur.audit.models import AuditEntry
from tests.factories import VillageFactory
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    in_days,
)
from trainings.models import (
    Course,
    CourseKind,
    EnrolmentStatus,
    OrganiserKind,
    Session,
    SessionStatus,
    Topic,
)
from trainings.services import (
    course_create,
    course_update,
    session_cancel,
    session_schedule,
    session_update,
)

pytestmark = pytest.mark.django_db


# --- Courses -------------------------------------------------------------------------


def create_course(actor, **kwargs):
    kwargs.setdefault("title", "  Trồng sầu riêng   bền vững ")
    return course_create(
        actor=actor,
        topic=Topic.DURIAN,
        kind=CourseKind.EXTENSION,
        organiser_kind=OrganiserKind.EXTENSION_CENTRE,
        **kwargs,
    )


def test_an_official_creates_a_course_for_villages_and_groups(
    official, commune, village, other_village
):
    course = create_course(
        official,
        target_villages=[other_village, village],
        target_groups=["poor", "women"],
        loan_purpose="durian",
    )
    assert course.commune == commune
    assert course.title == "Trồng sầu riêng bền vững"
    assert course.created_by == official
    assert set(course.target_villages.all()) == {village, other_village}
    assert sorted(course.targets.values_list("group", flat=True)) == ["poor", "women"]
    entry = AuditEntry.objects.get(object_id=course.pk, action="create")
    assert entry.changes["target_groups"] == [None, ["hộ nghèo", "phụ nữ"]]


def test_only_commune_officials_create_courses(officer):
    with pytest.raises(PermissionDenied):
        create_course(officer)
    assert not Course.objects.exists()


def test_a_course_cannot_target_another_communes_village(official, foreign_village):
    with pytest.raises(ValidationError) as exc:
        create_course(official, target_villages=[foreign_village])
    assert exc.value.message_dict == {
        "target_villages": ["Hãy chọn các thôn/buôn của xã."]
    }
    assert not Course.objects.exists()


def test_unknown_target_groups_and_choices_are_refused(official):
    with pytest.raises(ValidationError) as exc:
        create_course(official, target_groups=["elders"])
    assert "target_groups" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        create_course(official, loan_purpose="spaceship")
    assert "loan_purpose" in exc.value.message_dict


def test_updating_a_course_replaces_its_lists_and_records_the_change(
    official, commune, village, other_village
):
    course = CourseFactory(
        commune=commune, target_villages=[village], target_groups=["poor"]
    )
    course_update(
        actor=official,
        course=course,
        title="Cà phê bền vững 2025",
        target_villages=[other_village],
        target_groups=["youth", "poor"],
    )
    course.refresh_from_db()
    assert course.title == "Cà phê bền vững 2025"
    assert course.title_folded == "ca phe ben vung 2025"
    assert list(course.target_villages.all()) == [other_village]
    assert sorted(course.targets.values_list("group", flat=True)) == ["poor", "youth"]
    changes = {}
    for entry in AuditEntry.objects.filter(object_id=course.pk, action="update"):
        changes.update(entry.changes)
    assert changes["title"][1] == "Cà phê bền vững 2025"
    assert changes["target_villages"] == [["Thôn 1"], ["Buôn Tiêu"]]


def test_course_update_refuses_an_officer_and_another_commune(
    officer, foreign_official, commune
):
    course = CourseFactory(commune=commune, title="Hồ tiêu")
    for actor in (officer, foreign_official):
        with pytest.raises(PermissionDenied):
            course_update(actor=actor, course=course, title="Đổi tên")
    course.refresh_from_db()
    assert course.title == "Hồ tiêu"


# --- Scheduling ----------------------------------------------------------------------


@pytest.fixture
def course(commune):
    return CourseFactory(commune=commune)


def schedule(actor, course, village, **kwargs):
    kwargs.setdefault("starts_at", in_days(5))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + timedelta(hours=3))
    kwargs.setdefault("capacity", 30)
    return session_schedule(
        actor=actor,
        course=course,
        village=village,
        place="Nhà văn hóa thôn 1",
        trainer="KS. Trần Văn Bình",
        **kwargs,
    )


def test_an_official_schedules_a_session(official, course, village):
    session = schedule(official, course, village)
    assert session.status == SessionStatus.SCHEDULED
    assert session.created_by == official
    assert AuditEntry.objects.filter(object_id=session.pk, action="create").exists()


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field", "message"),
    [
        (
            in_days(5, 10),
            in_days(5, 9),
            "ends_at",
            "Buổi tập huấn phải kết thúc sau giờ bắt đầu.",
        ),
        (
            in_days(5, 10),
            in_days(5, 10),
            "ends_at",
            "Buổi tập huấn phải kết thúc sau giờ bắt đầu.",
        ),
        (
            in_days(-1),
            in_days(-1, 11),
            "starts_at",
            "Thời điểm này đã qua; chỉ lên lịch buổi tập huấn cho thời gian sắp tới.",
        ),
        (
            timezone.make_aware(datetime(1999, 12, 31, 8)),
            timezone.make_aware(datetime(1999, 12, 31, 11)),
            "starts_at",
            "Không nhận ngày trước 01/01/2000; hãy kiểm tra lại năm.",
        ),
    ],
)
def test_impossible_times_are_refused_and_nothing_is_saved(
    official, course, village, starts_at, ends_at, field, message
):
    with pytest.raises(ValidationError) as exc:
        schedule(official, course, village, starts_at=starts_at, ends_at=ends_at)
    assert exc.value.message_dict == {field: [message]}
    assert not Session.objects.exists()


def test_a_session_needs_a_place_and_at_least_one_seat(official, course, village):
    with pytest.raises(ValidationError) as exc:
        schedule(official, course, village, capacity=0)
    assert "Buổi tập huấn phải có ít nhất một chỗ." in exc.value.messages
    assert not Session.objects.exists()


def test_only_commune_officials_schedule_in_their_commune(
    officer, foreign_official, official, course, village, foreign_village
):
    with pytest.raises(PermissionDenied):
        schedule(officer, course, village)
    with pytest.raises(PermissionDenied):
        schedule(foreign_official, course, foreign_village)
    with pytest.raises(ValidationError) as exc:
        schedule(official, course, foreign_village)
    assert exc.value.message_dict == {"village": ["Hãy chọn một thôn/buôn của xã."]}
    assert not Session.objects.exists()


# --- Changing a session -------------------------------------------------------------------


@pytest.fixture
def session(course, village):
    return SessionFactory(course=course, village=village, capacity=3)


def test_capacity_below_the_places_held_is_refused(official, session):
    EnrolmentFactory.create_batch(2, session=session)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    with pytest.raises(ValidationError) as exc:
        session_update(actor=official, session=session, capacity=1)
    assert exc.value.message_dict == {
        "capacity": [
            "Đã có 2 người giữ chỗ: số chỗ không được ít hơn con số này. "
            "Hãy rút tên bớt trước."
        ]
    }
    session.refresh_from_db()
    assert session.capacity == 3
    session_update(actor=official, session=session, capacity=2)  # exactly full is fine
    session.refresh_from_db()
    assert session.capacity == 2


def test_more_places_move_the_waiting_list_up(official, session):
    EnrolmentFactory.create_batch(3, session=session)
    first, second = EnrolmentFactory.create_batch(
        2, session=session, status=EnrolmentStatus.WAITLISTED
    )
    session_update(actor=official, session=session, capacity=4)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrolmentStatus.REGISTERED
    assert second.status == EnrolmentStatus.WAITLISTED


def test_a_session_moves_to_a_new_time_and_place(official, session, other_village):
    starts = in_days(10, 14)
    session_update(
        actor=official,
        session=session,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        village=other_village,
        place="Hội trường buôn",
    )
    session.refresh_from_db()
    assert (session.starts_at, session.village, session.place) == (
        starts,
        other_village,
        "Hội trường buôn",
    )
    entry = AuditEntry.objects.get(object_id=session.pk, action="update")
    assert set(entry.changes) == {"starts_at", "ends_at", "village", "place"}


def test_moving_into_the_past_or_ending_before_the_start_is_refused(official, session):
    with pytest.raises(ValidationError) as exc:
        session_update(
            actor=official,
            session=session,
            starts_at=in_days(-2),
            ends_at=in_days(-2, 11),
        )
    assert list(exc.value.message_dict) == ["starts_at"]
    with pytest.raises(ValidationError) as exc:
        session_update(
            actor=official, session=session, ends_at=session.starts_at - timedelta(1)
        )
    assert list(exc.value.message_dict) == ["ends_at"]
    old = session.starts_at
    session.refresh_from_db()
    assert session.starts_at == old


def test_a_held_session_cannot_move_but_its_trainer_can_be_corrected(
    official, course, village
):
    held = SessionFactory(
        course=course,
        village=village,
        starts_at=in_days(-3),
        status=SessionStatus.HELD,
    )
    with pytest.raises(ValidationError, match="không thể dời lịch"):
        session_update(
            actor=official,
            session=held,
            starts_at=in_days(4),
            ends_at=in_days(4, 11),
        )
    session_update(actor=official, session=held, trainer="ThS. Y Kông Niê")
    held.refresh_from_db()
    assert held.trainer == "ThS. Y Kông Niê"


def test_a_cancelled_session_cannot_be_changed(official, course, village):
    cancelled = SessionFactory(
        course=course, village=village, status=SessionStatus.CANCELLED
    )
    with pytest.raises(ValidationError, match="Không thể sửa buổi tập huấn đã bị hủy"):
        session_update(actor=official, session=cancelled, place="Chỗ khác")


def test_only_commune_officials_change_sessions(officer, session):
    with pytest.raises(PermissionDenied):
        session_update(actor=officer, session=session, capacity=50)


# --- Cancelling -------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_keeps_the_enrolments(official, session):
    enrolment = EnrolmentFactory(session=session)
    with pytest.raises(ValidationError) as exc:
        session_cancel(actor=official, session=session, reason="   ")
    assert exc.value.message_dict == {"reason": ["Hãy ghi lý do hủy buổi tập huấn."]}
    session_cancel(actor=official, session=session, reason="Giảng viên bị ốm")
    session.refresh_from_db()
    enrolment.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancel_reason == "Giảng viên bị ốm"
    assert session.cancelled_at is not None
    assert enrolment.status == EnrolmentStatus.REGISTERED


def test_a_held_or_cancelled_session_cannot_be_cancelled(official, course, village):
    held = SessionFactory(
        course=course, village=village, starts_at=in_days(-1), status="held"
    )
    with pytest.raises(ValidationError, match="đã diễn ra"):
        session_cancel(actor=official, session=held, reason="Nhầm")
    cancelled = SessionFactory(course=course, village=village, status="cancelled")
    with pytest.raises(ValidationError, match="đã bị hủy trước đó"):
        session_cancel(actor=official, session=cancelled, reason="Lần nữa")


def test_only_commune_officials_cancel(officer, session):
    with pytest.raises(PermissionDenied):
        session_cancel(actor=officer, session=session, reason="Mưa")
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_another_communes_village_is_not_a_place_to_move_to(official, session, commune):
    elsewhere = VillageFactory()
    with pytest.raises(ValidationError) as exc:
        session_update(actor=official, session=session, village=elsewhere)
    assert list(exc.value.message_dict) == ["village"]
