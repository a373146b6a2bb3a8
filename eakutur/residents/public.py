"""What anyone may read without signing in: the notices officials sent out, the training
sessions ahead (with places left, never who enrolled) and the program guides.

Each read is a fixed number of queries whatever the number of rows, and is scoped to
the commune the portal serves.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import groupby

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from households.models import Commune, Village
from households.text import trim_decimal
from loans.models import LoanProgram
from loans.selectors import programs_open
from outreach.models import Audience, Notice, NoticeSource, NoticeStatus
from trainings.models import Course, CourseKind, Session, SessionStatus
from trainings.selectors import courses_meant_for, with_counts

from .models import GuideKind, ProgramGuide

CALENDAR_DAYS = 60
UPCOMING_SHOWN = 5  # sessions or notices a short list shows before "see all"
# Statuses of a notice that has gone out to the villages' groups.
SENT_STATUSES = (NoticeStatus.DISPATCHED, NoticeStatus.DONE)
KIND_ORDER = (
    GuideKind.LOAN,
    GuideKind.HEALTH,
    GuideKind.VOCATIONAL,
    GuideKind.TRAINING,
)
# The topic the request page is asked about for each kind of program.
REQUEST_TOPICS = {
    GuideKind.LOAN: "loans",
    GuideKind.HEALTH: "health_insurance",
    GuideKind.VOCATIONAL: "vocational",
    GuideKind.TRAINING: "trainings",
}
# The courses whose sessions a program page lists.
GUIDE_COURSE_KINDS = {
    GuideKind.TRAINING: CourseKind.EXTENSION,
    GuideKind.VOCATIONAL: CourseKind.VOCATIONAL,
}


# --- Notices ---------------------------------------------------------------------------


def public_notices(commune: Commune | None, village: Village | None = None):
    """Notices an official wrote that were sent out, newest first; with a village, only
    those whose audience includes it. Automatic reminders are about one household's
    loan or one session, not news, so they never show."""
    if commune is None:
        return Notice.objects.none()
    qs = Notice.objects.filter(
        commune=commune, status__in=SENT_STATUSES, source=NoticeSource.MANUAL
    )
    if village is not None:
        qs = qs.filter(_reaches(village))
    return qs.order_by(F("dispatched_at").desc(nulls_last=True), "-pk")


def _reaches(village: Village) -> Q:
    chosen_it = Notice.villages.through.objects.filter(village_id=village.pk).values(
        "notice_id"
    )
    reaches = Q(audience=Audience.ALL_VILLAGES) | Q(
        audience=Audience.CHOSEN_VILLAGES, pk__in=chosen_it
    )
    if village.is_ethnic_minority:
        reaches |= Q(audience=Audience.ETHNIC_MINORITY_VILLAGES)
    return reaches


# --- Training sessions -----------------------------------------------------------------


def public_sessions(
    commune: Commune | None,
    village: Village | None = None,
    *,
    days: int = CALENDAR_DAYS,
    course_kind: str | None = None,
) -> QuerySet[Session]:
    """Sessions from today for ``days`` days, by start time, each with its course and
    village and ``places_left``. With a village: those held in it or of a course meant
    for it (one that targets it, or one for the whole commune). Cancelled sessions are
    kept: a villager who heard of one learns it is off."""
    if commune is None:
        return Session.objects.none()
    today = timezone.localdate()
    qs = Session.objects.filter(
        course__commune=commune,
        starts_at__gte=_start_of(today),
        starts_at__lt=_start_of(today + timedelta(days=days)),
    )
    if village is not None:
        meant_for_it = Course.objects.filter(courses_meant_for([village.pk]))
        qs = qs.filter(Q(village=village) | Q(course__in=meant_for_it.values("pk")))
    if course_kind:
        qs = qs.filter(course__kind=course_kind)
    return (
        with_counts(qs)
        .annotate(places_left=Greatest(F("capacity") - F("places_held"), Value(0)))
        .select_related("course", "village")
        .order_by("starts_at", "pk")
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def is_open_for_requests(session: Session, now: datetime | None = None) -> bool:
    """A resident may still ask to join: scheduled and not started yet."""
    now = now or timezone.now()
    return session.status == SessionStatus.SCHEDULED and session.starts_at > now


@dataclass(frozen=True)
class SessionDay:
    day: date
    sessions: list[Session]


def with_request_state(sessions) -> list[Session]:
    """The sessions as a list, each with ``open_for_requests`` for the page's link."""
    now = timezone.now()
    rows = list(sessions)
    for session in rows:
        session.open_for_requests = is_open_for_requests(session, now)
    return rows


def by_day(sessions) -> list[SessionDay]:
    """Sessions (already in start order) grouped by their local start date."""
    rows = with_request_state(sessions)
    return [
        SessionDay(day=day, sessions=list(group))
        for day, group in groupby(
            rows, key=lambda s: timezone.localtime(s.starts_at).date()
        )
    ]


# --- Programs --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicProgram:
    """A published guide, with its open loan program for a loan."""

    guide: ProgramGuide
    program: LoanProgram | None = None

    @property
    def code(self) -> str:
        return self.guide.code

    @property
    def kind(self) -> str:
        return self.guide.kind

    @property
    def title(self) -> str:
        return self.guide.title

    @property
    def request_topic(self) -> str:
        return REQUEST_TOPICS.get(self.guide.kind, "")

    @property
    def rate(self) -> Decimal | None:
        """The yearly rate without trailing zeros (6.60 reads "6,6")."""
        if self.program is None:
            return None
        return trim_decimal(self.program.annual_rate)

    @property
    def term_years(self) -> int | None:
        """The longest term in whole years, when it is a whole number of years."""
        months = self.program.max_term_months if self.program else None
        return months // 12 if months and months % 12 == 0 else None


def public_programs() -> list[PublicProgram]:
    """Every published guide in reading order (2 queries). A loan guide shows only while
    its loan program is open: a retired program takes no applications."""
    programs = {p.code: p for p in programs_open()}
    return [
        PublicProgram(guide, programs.get(guide.code))
        for guide in ProgramGuide.objects.published()
        if guide.kind != GuideKind.LOAN or guide.code in programs
    ]


def programs_by_kind(programs: list[PublicProgram]) -> list[tuple[str, list]]:
    """(kind label, programs) in the order loans, health, vocational, trainings."""
    groups = [
        (kind.label, [p for p in programs if p.kind == kind]) for kind in KIND_ORDER
    ]
    return [(label, members) for label, members in groups if members]


def public_program(code: str) -> PublicProgram | None:
    """The published program with ``code``, or None (unknown, hidden or retired)."""
    guide = ProgramGuide.objects.published().filter(code=code).first()
    if guide is None:
        return None
    if guide.kind != GuideKind.LOAN:
        return PublicProgram(guide)
    program = programs_open().filter(code=code).first()
    return PublicProgram(guide, program) if program else None


def sessions_for_program(
    program: PublicProgram, commune: Commune | None, village: Village | None
) -> list[Session] | None:
    """The next sessions of the courses a training program runs (None: the program
    runs none)."""
    kind = GUIDE_COURSE_KINDS.get(program.kind)
    if kind is None:
        return None
    upcoming = public_sessions(commune, village, course_kind=kind).exclude(
        status=SessionStatus.CANCELLED
    )
    return with_request_state(upcoming[:UPCOMING_SHOWN])
