"""Writes the demo trainings of Xã Ea Ktur for ``manage.py seed_demo``: courses, their
sessions in the villages and who enrolled and came.

The plan comes from ``trainings.demo`` over what the registry holds (read here in three
queries), so the trainees are registered people who grow the crop. Deterministic
(``Random(2025)``, as of ``now``). Idempotent: written only when the commune has no
courses, in one transaction. Past sessions and all enrolments are written directly with
``bulk_create``: each row satisfies the models' constraints by construction, and demo
data writes no audit entries. The upcoming sessions are scheduled through
``trainings.services.session_schedule`` (so their reminders are the service's own
notices) and one of them is cancelled through ``session_cancel``.
"""

import random
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from households.demo import UniqueNumbers
from households.models import Commune, Household, Member, PovertyReview
from households.text import fold
from outreach.models import Notice, NoticeSource, NoticeStatus

from .demo import (
    AGRI_TOPICS,
    AGRI_YEAR,
    OFFICER,
    OFFICIAL,
    DemoHousehold,
    DemoPerson,
    DemoVillage,
    TrainingPlan,
    plan_trainings,
)
from .models import (
    Course,
    CourseTarget,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
)
from .selectors import participant_counts
from .services import session_cancel, session_schedule
from .services.reminders import CANCELLED

BATCH = 500


def _quiet(*args) -> None:
    pass


def demo_trainings_seed(
    commune: Commune,
    *,
    official,
    officer=None,
    now: datetime | None = None,
    say: Callable[[str], None] = _quiet,
) -> bool:
    """Add the demo trainings to ``commune`` when it has no courses; whether anything
    was written. ``official`` (the demo commune official) creates the courses, schedules
    the sessions and registers people; ``officer`` (the demo village officer) registers
    the people of their village and marks attendance there."""
    now = now or timezone.now()
    if official is None:
        say("No demo commune official: no trainings added.")
        return False
    if timezone.localdate(now).year <= AGRI_YEAR:
        say(f"The demo trainings are made for a date after {AGRI_YEAR}: none added.")
        return False
    with transaction.atomic():
        existing = Course.objects.filter(commune=commune).count()
        if existing:
            say(f"{commune} already has {existing:,} courses: no trainings added.")
            return False
        villages, households, people = _registry(commune)
        if not people:
            say(f"{commune} has no households: no trainings added.")
            return False
        officer_village = _officer_village(officer, villages)
        phones = Household.objects.exclude(phone="").values_list("phone", flat=True)
        plan = plan_trainings(
            random.Random(2025),  # noqa: S311 (demo data, reproducible on purpose)
            villages,
            households,
            people,
            numbers=UniqueNumbers(phones=phones),
            now=now,
            tz=timezone.get_current_timezone(),
            officer_village=officer_village,
        )
        say(
            f"Writing {len(plan.courses)} courses, {len(plan.sessions)} sessions and "
            f"{len(plan.enrolments):,} enrolments..."
        )
        _write(commune, plan, {OFFICIAL: official, OFFICER: officer or official})
    return True


def _registry(
    commune: Commune,
) -> tuple[list[DemoVillage], list[DemoHousehold], list[DemoPerson]]:
    active = Household.objects.filter(commune=commune, is_active=True)
    sizes = dict(active.values_list("village").annotate(n=Count("id")))
    villages = [
        DemoVillage(pk, code, name, minority, sizes.get(pk, 0))
        for pk, code, name, minority in commune.villages.order_by(
            "sort_order", "pk"
        ).values_list("pk", "code", "name", "is_ethnic_minority")
    ]
    statuses: dict[int, dict[int, str]] = {}
    for household_id, year, status in PovertyReview.objects.filter(
        household__commune=commune
    ).values_list("household_id", "year", "status"):
        statuses.setdefault(household_id, {})[year] = status
    households = [
        DemoHousehold(pk, village, frozenset(crops or ()), statuses.get(pk, {}))
        for pk, village, crops in active.order_by("pk").values_list(
            "pk", "village_id", "main_crops"
        )
    ]
    people = [
        DemoPerson(*row)
        for row in Member.objects.filter(
            household__commune=commune, household__is_active=True, is_active=True
        )
        .order_by("pk")
        .values_list(
            "pk",
            "household_id",
            "household__village_id",
            "full_name",
            "sex",
            "birth_year",
            "relation",
            "ethnic_group__code",
        )
    ]
    return villages, households, people


def _officer_village(officer, villages: list[DemoVillage]) -> int | None:
    if officer is None:
        return None
    theirs = set(officer.villages.values_list("pk", flat=True))
    return next((v.pk for v in villages if v.pk in theirs), None)


def _write(commune: Commune, plan: TrainingPlan, users: dict) -> None:
    official = users[OFFICIAL]
    courses = [
        Course(
            commune=commune,
            title=c.title,
            title_folded=fold(c.title)[:200],
            topic=c.topic,
            kind=c.kind,
            organiser_kind=c.organiser_kind,
            organiser_name=c.organiser_name,
            description=c.description,
            loan_purpose=c.loan_purpose,
            created_by=official,
        )
        for c in plan.courses
    ]
    Course.objects.bulk_create(courses)
    for row, c in zip(courses, plan.courses, strict=True):
        row.created_at = row.updated_at = c.created_at
    Course.objects.bulk_update(courses, ["created_at", "updated_at"])
    course_of = {c.key: row for row, c in zip(courses, plan.courses, strict=True)}
    through = Course.target_villages.through
    through.objects.bulk_create(
        through(course_id=course_of[c.key].pk, village_id=village)
        for c in plan.courses
        for village in c.target_villages
    )
    CourseTarget.objects.bulk_create(
        CourseTarget(course=course_of[c.key], group=group)
        for c in plan.courses
        for group in c.target_groups
    )

    # Past sessions as they were; the upcoming ones through the service.
    sessions: list[Session | None] = [None] * len(plan.sessions)
    past = [i for i, s in enumerate(plan.sessions) if not s.upcoming]
    last_marked = {}
    for e in plan.enrolments:
        if e.marked_at is not None:
            last_marked[e.session] = max(
                e.marked_at, last_marked.get(e.session, e.marked_at)
            )
    rows = [
        Session(
            course=course_of[s.course],
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            village_id=s.village,
            place=s.place,
            capacity=s.capacity,
            trainer=s.trainer,
            status=s.status,
            created_by=official,
        )
        for s in (plan.sessions[i] for i in past)
    ]
    Session.objects.bulk_create(rows, batch_size=BATCH)
    for i, row in zip(past, rows, strict=True):
        sessions[i] = row
        row.created_at = plan.sessions[i].created_at
        row.updated_at = last_marked.get(i, row.created_at)
    Session.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=BATCH)
    villages = {v.pk: v for v in commune.villages.all()}
    for i, s in enumerate(plan.sessions):
        if s.upcoming:
            session = session_schedule(
                actor=official,
                course=course_of[s.course],
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                village=villages[s.village],
                place=s.place,
                capacity=s.capacity,
                trainer=s.trainer,
            )
            # Scheduled a week or so ago: people have enrolled since.
            Session.objects.filter(pk=session.pk).update(
                created_at=s.created_at, updated_at=s.created_at
            )
            sessions[i] = session

    enrolments = [
        Enrolment(
            session=sessions[e.session],
            member_id=e.member,
            household_id=e.household,
            full_name=e.full_name,
            name_folded=fold(e.full_name)[:100],
            birth_year=e.birth_year,
            phone=e.phone,
            village_id=e.village,
            status=e.status,
            support_amount=e.support_amount,
            registered_by=users[e.by],
            attendance_marked_by=(
                users[plan.sessions[e.session].by] if e.marked_at else None
            ),
            attendance_marked_at=e.marked_at,
            withdrawn_at=e.withdrawn_at,
        )
        for e in plan.enrolments
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    for row, e in zip(enrolments, plan.enrolments, strict=True):
        row.created_at = e.created_at
    Enrolment.objects.bulk_update(enrolments, ["created_at"], batch_size=BATCH)

    for i, s in enumerate(plan.sessions):
        if s.upcoming and s.cancel_reason:
            session_cancel(actor=official, session=sessions[i], reason=s.cancel_reason)


# --- The summary -------------------------------------------------------------------------


class TrainingCounts(NamedTuple):
    """What the commune's trainings hold, for the command's summary."""

    courses: int
    sessions: int
    held: int
    cancelled: int
    participants: (
        int  # distinct 2025 participants in the coffee, pepper, durian courses
    )
    attended: int  # enrolments marked attended
    absent: int
    upcoming: int  # scheduled sessions still to come
    reminders: int  # session reminders waiting to go out
    cancelled_reminders: int  # those of the cancelled session
    cancellation_notices: int  # telling the villages a session is cancelled


def demo_trainings_counts(
    commune: Commune, *, now: datetime | None = None
) -> TrainingCounts:
    now = now or timezone.now()
    sessions = Session.objects.filter(course__commune=commune).aggregate(
        all=Count("pk"),
        held=Count("pk", filter=Q(status=SessionStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
        upcoming=Count(
            "pk", filter=Q(status=SessionStatus.SCHEDULED, starts_at__gt=now)
        ),
    )
    marks = Enrolment.objects.filter(session__course__commune=commune).aggregate(
        attended=Count("pk", filter=Q(status=EnrolmentStatus.ATTENDED)),
        absent=Count("pk", filter=Q(status=EnrolmentStatus.ABSENT)),
    )
    notices = Notice.objects.filter(
        commune=commune, source=NoticeSource.TRAINING_REMINDER
    )
    told = Q(source_key__endswith=f":{CANCELLED}")
    reminders = notices.exclude(told)
    return TrainingCounts(
        courses=Course.objects.filter(commune=commune).count(),
        sessions=sessions["all"],
        held=sessions["held"],
        cancelled=sessions["cancelled"],
        participants=participant_counts(
            commune=commune, year=AGRI_YEAR, topics=AGRI_TOPICS
        ).participants,
        attended=marks["attended"],
        absent=marks["absent"],
        upcoming=sessions["upcoming"],
        reminders=reminders.filter(status=NoticeStatus.SCHEDULED).count(),
        cancelled_reminders=reminders.filter(status=NoticeStatus.CANCELLED).count(),
        cancellation_notices=notices.filter(told).count(),
    )
