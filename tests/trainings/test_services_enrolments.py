"""Enrolling registry members: capacity and the waiting list, enrolling twice,
withdrawing, attendance, the vocational support, and who may do what."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection
from django.utils import timezone

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    UserFactory,
    ede,
)
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    in_days,
)
from trainings.models import CourseKind, Enrolment, EnrolmentStatus, SessionStatus
from trainings.services import (
    attendance_mark,
    enrol_member,
    enrolment_withdraw,
)

pytestmark = pytest.mark.django_db

REGISTERED = EnrolmentStatus.REGISTERED
WAITLISTED = EnrolmentStatus.WAITLISTED


@pytest.fixture
def course(commune):
    return CourseFactory(commune=commune)


@pytest.fixture
def session(course, village):
    return SessionFactory(course=course, village=village, capacity=2)


def person(village, **kwargs):
    return MemberFactory(household__village=village, **kwargs)


def statuses(session):
    return dict(
        Enrolment.objects.filter(session=session).values_list("full_name", "status")
    )


# --- Capacity and the waiting list --------------------------------------------------


def test_enrolments_beyond_capacity_go_to_the_waiting_list(official, session, village):
    a, b, c = (person(village, full_name=n) for n in ("Lê Văn A", "Hà Thị B", "Y C"))
    assert enrol_member(actor=official, session=session, member=a).status == REGISTERED
    assert enrol_member(actor=official, session=session, member=b).status == REGISTERED
    third = enrol_member(actor=official, session=session, member=c)
    assert third.status == WAITLISTED
    assert third.household == c.household and third.village == village
    assert third.registered_by == official
    assert AuditEntry.objects.filter(object_id=third.pk, action="create").exists()


def test_attended_and_absent_people_hold_their_places(official, session, village):
    EnrolmentFactory(session=session, status=EnrolmentStatus.ATTENDED)
    EnrolmentFactory(session=session, status=EnrolmentStatus.ABSENT)
    EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    late = enrol_member(actor=official, session=session, member=person(village))
    assert late.status == WAITLISTED


def test_enrolling_the_same_person_twice_is_refused_with_a_clear_message(
    official, session, village
):
    member = person(village, full_name="Nguyễn Thị Hoa")
    enrol_member(actor=official, session=session, member=member)
    with pytest.raises(ValidationError) as exc:
        enrol_member(actor=official, session=session, member=member)
    assert exc.value.messages == [
        "Nguyễn Thị Hoa đã được ghi danh vào buổi này (đã đăng ký)."
    ]
    assert Enrolment.objects.filter(session=session).count() == 1


def test_a_race_past_the_check_becomes_the_constraints_message(
    official, session, village, monkeypatch
):
    """Were the check to miss a concurrent insert, the database constraint refuses the
    second row and the official reads the constraint's message."""
    member = person(village)
    EnrolmentFactory(session=session, member=member)
    from trainings.services import enrolments

    real_filter = Enrolment.objects.filter

    def blind_filter(*args, **kwargs):
        if kwargs.get("member") == member:
            return Enrolment.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(enrolments.Enrolment.objects, "filter", blind_filter)
    with pytest.raises(ValidationError) as exc:
        enrol_member(actor=official, session=session, member=member)
    assert exc.value.messages == ["Người này đã được ghi danh."]
    assert real_filter(session=session).count() == 1


def test_a_withdrawn_person_enrols_again_on_the_same_row_at_the_end_of_the_queue(
    official, session, village
):
    member = person(village)
    first = enrol_member(actor=official, session=session, member=member)
    enrolment_withdraw(actor=official, enrolment=first)
    EnrolmentFactory.create_batch(2, session=session)  # the places are taken meanwhile
    again = enrol_member(actor=official, session=session, member=member)
    assert again.pk == first.pk
    assert again.status == WAITLISTED
    assert again.withdrawn_at is None
    assert Enrolment.objects.filter(session=session, member=member).count() == 1


def test_withdrawing_moves_the_first_of_the_waiting_list_up(official, session, village):
    holders = [
        enrol_member(actor=official, session=session, member=person(village))
        for _ in range(2)
    ]
    first_waiting = enrol_member(
        actor=official,
        session=session,
        member=person(village, full_name="Đinh Văn Sau"),
    )
    second_waiting = enrol_member(
        actor=official,
        session=session,
        member=person(village, full_name="An Văn Trước"),
    )
    enrolment_withdraw(actor=official, enrolment=holders[0])
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    holders[0].refresh_from_db()
    assert holders[0].status == EnrolmentStatus.WITHDRAWN
    assert holders[0].withdrawn_at is not None
    # First come, first served: not by name.
    assert first_waiting.status == REGISTERED
    assert second_waiting.status == WAITLISTED
    assert AuditEntry.objects.filter(
        object_id=first_waiting.pk, note="Đã chuyển lên từ danh sách chờ."
    ).exists()


def test_a_waitlisted_person_withdrawing_moves_nobody_up(official, session, village):
    for _ in range(2):
        enrol_member(actor=official, session=session, member=person(village))
    waiting = [
        enrol_member(actor=official, session=session, member=person(village))
        for _ in range(2)
    ]
    enrolment_withdraw(actor=official, enrolment=waiting[1])
    waiting[0].refresh_from_db()
    assert waiting[0].status == WAITLISTED


def test_withdrawing_twice_or_after_attendance_is_refused(official, session):
    gone = EnrolmentFactory(session=session, status=EnrolmentStatus.WITHDRAWN)
    came = EnrolmentFactory(session=session, status=EnrolmentStatus.ATTENDED)
    with pytest.raises(ValidationError, match="đã rút tên"):
        enrolment_withdraw(actor=official, enrolment=gone)
    with pytest.raises(ValidationError, match="đã được điểm danh"):
        enrolment_withdraw(actor=official, enrolment=came)
    came.refresh_from_db()
    assert came.status == EnrolmentStatus.ATTENDED


def test_a_cancelled_session_takes_no_enrolments(official, course, village):
    session = SessionFactory(
        course=course, village=village, status=SessionStatus.CANCELLED
    )
    with pytest.raises(ValidationError, match="đã bị hủy"):
        enrol_member(actor=official, session=session, member=person(village))
    assert not Enrolment.objects.filter(session=session).exists()


def test_an_archived_household_or_removed_member_cannot_be_enrolled(
    official, session, village
):
    household = HouseholdFactory(
        village=village, is_active=False, archived_reason="Chuyển đi nơi khác"
    )
    member = household.members.get()
    with pytest.raises(ValidationError, match="không còn trong sổ"):
        enrol_member(actor=official, session=session, member=member)


# --- Two officials, one last place ----------------------------------------------------


def _waiting_like_a_file_database(call):
    """Run ``call``; on SQLite, retry it while the table is locked.

    SQLite's in-memory test database is shared between connections through a shared
    cache, where a writer finding the table locked fails at once instead of waiting for
    the busy timeout as the file database of ``make run`` does (20 s). Retrying stands in
    for that wait. On PostgreSQL (CI) nothing is retried: the second transaction waits on
    the session's row lock, which is what this test is about.
    """
    deadline = time.monotonic() + 20
    while True:
        try:
            return call()
        except OperationalError as exc:
            locked = "locked" in str(exc) and connection.vendor == "sqlite"
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


# Threads use their own database connections: the test cannot hide in a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officials_enrolling_the_last_place_at_once_cannot_both_get_it(
    commune, village, monkeypatch
):
    # Counting the places takes a while: without the session lock both officials
    # would count the free place before either took it.
    from trainings.services import _common

    count = _common.places_held
    monkeypatch.setattr(
        _common, "places_held", lambda session: (count(session), time.sleep(0.2))[0]
    )
    official = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune)
    other = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune)
    session = SessionFactory(course=CourseFactory(commune=commune), village=village)
    session.capacity = 1
    session.save()
    members = [person(village), person(village)]
    start = threading.Barrier(2)
    results: list = []

    def enrol(actor, member):
        try:
            start.wait()
            results.append(
                _waiting_like_a_file_database(
                    lambda: enrol_member(actor=actor, session=session, member=member)
                )
            )
        except Exception as exc:  # collected so the assertion shows it
            results.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=enrol, args=(actor, member))
        for actor, member in zip((official, other), members, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(isinstance(r, Enrolment) for r in results), results
    assert sorted(r.status for r in results) == [REGISTERED, WAITLISTED]
    assert session.enrolments.filter(status=REGISTERED).count() == 1


# --- Attendance -------------------------------------------------------------------------


@pytest.fixture
def started(course, village):
    return SessionFactory(
        course=course,
        village=village,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=2),
    )


def test_attendance_marks_who_came_and_makes_the_session_held(official, started):
    came, missed, waiting = (
        EnrolmentFactory(session=started),
        EnrolmentFactory(session=started),
        EnrolmentFactory(session=started, status=WAITLISTED),
    )
    changed = attendance_mark(
        actor=official,
        session=started,
        attended=[came.pk, waiting.pk],
        absent=[missed.pk],
    )
    assert changed == 3
    for enrolment in (came, missed, waiting):
        enrolment.refresh_from_db()
    assert came.status == waiting.status == EnrolmentStatus.ATTENDED
    assert missed.status == EnrolmentStatus.ABSENT
    assert came.attendance_marked_by == official
    assert came.attendance_marked_at is not None
    started.refresh_from_db()
    assert started.status == SessionStatus.HELD


def test_attendance_can_be_corrected_and_counts_only_changes(official, started):
    came = EnrolmentFactory(session=started)
    other = EnrolmentFactory(session=started)
    attendance_mark(actor=official, session=started, attended=[came.pk, other.pk])
    assert (
        attendance_mark(
            actor=official, session=started, attended=[came.pk], absent=[other.pk]
        )
        == 1
    )
    other.refresh_from_db()
    assert other.status == EnrolmentStatus.ABSENT


def test_attendance_for_a_session_not_yet_started_is_refused(official, session):
    enrolment = EnrolmentFactory(session=session)
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        attendance_mark(actor=official, session=session, attended=[enrolment.pk])
    enrolment.refresh_from_db()
    session.refresh_from_db()
    assert enrolment.status == REGISTERED
    assert session.status == SessionStatus.SCHEDULED


def test_attendance_for_a_cancelled_session_is_refused(official, course, village):
    session = SessionFactory(
        course=course,
        village=village,
        starts_at=in_days(-1),
        status=SessionStatus.CANCELLED,
    )
    enrolment = EnrolmentFactory(session=session)
    with pytest.raises(ValidationError, match="đã bị hủy"):
        attendance_mark(actor=official, session=session, attended=[enrolment.pk])
    enrolment.refresh_from_db()
    assert enrolment.status == REGISTERED


def test_attendance_refuses_strangers_withdrawn_people_and_both_marks(
    official, started, course, village
):
    here = EnrolmentFactory(session=started)
    gone = EnrolmentFactory(session=started, status=EnrolmentStatus.WITHDRAWN)
    elsewhere = EnrolmentFactory(session=SessionFactory(course=course, village=village))
    with pytest.raises(ValidationError, match="không ghi danh"):
        attendance_mark(actor=official, session=started, attended=[elsewhere.pk])
    with pytest.raises(ValidationError, match="đã rút tên"):
        attendance_mark(actor=official, session=started, attended=[gone.pk])
    with pytest.raises(ValidationError, match="vừa có mặt vừa vắng"):
        attendance_mark(
            actor=official, session=started, attended=[here.pk], absent=[here.pk]
        )
    here.refresh_from_db()
    started.refresh_from_db()
    assert here.status == REGISTERED
    assert started.status == SessionStatus.SCHEDULED


# --- Who may do what ----------------------------------------------------------------------


def test_a_village_officer_enrols_people_of_their_village_only(
    officer, session, village, other_village
):
    mine = enrol_member(actor=officer, session=session, member=person(village))
    assert mine.registered_by == officer
    with pytest.raises(PermissionDenied):
        enrol_member(actor=officer, session=session, member=person(other_village))


def test_a_village_officer_cannot_enrol_into_a_session_they_cannot_see(
    officer, commune, village, other_village
):
    # Held in the other village, for the other village only.
    hidden = SessionFactory(
        course=CourseFactory(commune=commune, target_villages=[other_village]),
        village=other_village,
    )
    with pytest.raises(PermissionDenied):
        enrol_member(actor=officer, session=hidden, member=person(village))
    assert not Enrolment.objects.filter(session=hidden).exists()


def test_an_officer_enrols_their_people_into_a_session_meant_for_them_elsewhere(
    officer, commune, village, other_village
):
    elsewhere = SessionFactory(
        course=CourseFactory(commune=commune, target_villages=[village]),
        village=other_village,
    )
    enrolment = enrol_member(actor=officer, session=elsewhere, member=person(village))
    assert enrolment.status == REGISTERED


def test_a_village_officer_marks_attendance_only_where_the_session_is_held(
    officer, commune, village, other_village
):
    past = {
        "starts_at": timezone.now() - timedelta(hours=2),
        "ends_at": timezone.now() - timedelta(hours=1),
    }
    course = CourseFactory(commune=commune)
    here = SessionFactory(course=course, village=village, **past)
    there = SessionFactory(course=course, village=other_village, **past)
    mine = EnrolmentFactory(session=here)
    theirs = EnrolmentFactory(session=there)
    assert attendance_mark(actor=officer, session=here, attended=[mine.pk]) == 1
    with pytest.raises(PermissionDenied):
        attendance_mark(actor=officer, session=there, attended=[theirs.pk])
    theirs.refresh_from_db()
    assert theirs.status == REGISTERED


def test_an_officer_cannot_withdraw_another_villages_person(
    officer, commune, other_village
):
    session = SessionFactory(
        course=CourseFactory(commune=commune), village=other_village
    )
    theirs = EnrolmentFactory(session=session)
    with pytest.raises(PermissionDenied):
        enrolment_withdraw(actor=officer, enrolment=theirs)


def test_officials_of_another_commune_reach_nothing(foreign_official, session, village):
    enrolment = EnrolmentFactory(session=session)
    with pytest.raises(PermissionDenied):
        enrol_member(actor=foreign_official, session=session, member=person(village))
    with pytest.raises(PermissionDenied):
        enrolment_withdraw(actor=foreign_official, enrolment=enrolment)


# --- Vocational support (Decision 46/2015/QĐ-TTg) --------------------------------------


@pytest.mark.parametrize(
    ("status", "minority", "amount"),
    [
        ("poor", True, 4_000_000),
        ("poor", False, 3_000_000),
        ("", True, 3_000_000),
        ("near_poor", False, 2_500_000),
        ("near_poor", True, 3_000_000),
        ("average", False, 2_000_000),
        ("", False, 2_000_000),
    ],
)
def test_vocational_courses_fix_the_support_by_the_households_situation(
    official, commune, village, status, minority, amount
):
    course = CourseFactory(commune=commune, kind=CourseKind.VOCATIONAL)
    session = SessionFactory(course=course, village=village)
    household = HouseholdFactory(village=village)
    if status:
        PovertyReviewFactory(household=household, status=status)
        household.current_status = status
        household.save()
    member = MemberFactory(
        household=household, **({"ethnic_group": ede()} if minority else {})
    )
    enrolment = enrol_member(actor=official, session=session, member=member)
    assert enrolment.support_amount == amount


def test_other_courses_pay_no_support(official, session, village):
    enrolment = enrol_member(actor=official, session=session, member=person(village))
    assert enrolment.support_amount is None


def test_the_enrolment_row_cannot_hold_the_same_member_twice(session, village):
    """The database backstop the service's message stands in front of."""
    member = person(village)
    EnrolmentFactory(session=session, member=member)
    with pytest.raises(IntegrityError):
        EnrolmentFactory(session=session, member=member)
