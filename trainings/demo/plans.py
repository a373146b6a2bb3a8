"""What the demo plan is made of: planned courses, sessions and enrolments (plain values
the seeding writes as they are), the commune's figure and the vocational support."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from households.demo import DEFAULT_HOUSEHOLDS
from households.models import PovertyStatus
from households.text import fold

from ..models import EnrolmentStatus

PARTICIPANTS_2025 = 548  # "about 550" in the commune's report
AGRI_TOPICS = ("coffee", "pepper", "durian")
AGRI_YEAR = 2025
# Support for vocational trainees (Decision 46/2015/QĐ-TTg), VND.
SUPPORT_POOR_MINORITY = 4_000_000
SUPPORT_MINORITY_OR_POOR = 3_000_000
SUPPORT_NEAR_POOR = 2_500_000
SUPPORT_OTHER = 2_000_000


@dataclass(frozen=True)
class CoursePlan:
    key: str
    title: str
    topic: str
    kind: str
    organiser_kind: str
    organiser_name: str
    description: str
    target_villages: tuple[int, ...]
    target_groups: tuple[str, ...]
    loan_purpose: str
    created_at: datetime


@dataclass(frozen=True)
class SessionPlan:
    course: str  # CoursePlan.key
    starts_at: datetime
    ends_at: datetime
    village: int
    place: str
    capacity: int
    trainer: str
    status: str
    created_at: datetime
    by: str  # OFFICIAL or OFFICER: who marked its attendance
    # Upcoming: scheduled through the services, which write its reminders; one of them
    # is then cancelled (status cancelled, with this reason) through the services too.
    upcoming: bool = False
    cancel_reason: str = ""


@dataclass(frozen=True)
class EnrolmentPlan:
    session: int  # index in TrainingPlan.sessions
    full_name: str
    village: int
    status: str
    created_at: datetime
    by: str  # who registered them: OFFICIAL or OFFICER
    member: int | None = None  # None: a walk-in
    household: int | None = None
    birth_year: int | None = None  # a walk-in's
    phone: str = ""  # a walk-in's
    support_amount: int | None = None
    marked_at: datetime | None = None  # attendance, marked by the session's ``by``
    withdrawn_at: datetime | None = None

    @property
    def person(self) -> tuple:
        """Who this is, the way a course counts people once."""
        if self.member is not None:
            return ("member", self.member)
        return ("walk-in", fold(self.full_name), self.phone, self.birth_year)


@dataclass(frozen=True)
class TrainingPlan:
    courses: list[CoursePlan]
    sessions: list[SessionPlan]
    enrolments: list[EnrolmentPlan]

    def participants(self, *, year: int, topics: Iterable[str]) -> int:
        """Distinct people who attended a session that year of a course on the topics."""
        topic_of = {c.key: c.topic for c in self.courses}
        topics = set(topics)
        people = set()
        for e in self.enrolments:
            session = self.sessions[e.session]
            if (
                e.status == EnrolmentStatus.ATTENDED
                and session.starts_at.year == year
                and topic_of[session.course] in topics
            ):
                people.add(e.person)
        return len(people)


def participant_target(households: int) -> int:
    """Distinct 2025 participants in the crop courses for a commune this size: 548 at
    the commune's own 8,500 households, in proportion for another size."""
    return round(PARTICIPANTS_2025 * households / DEFAULT_HOUSEHOLDS)


def support_for(*, status: str, minority: bool) -> int:
    """A vocational trainee's support by their household's status and their own
    ethnicity, as ``trainings.services`` fixes it at enrolment."""
    if status == PovertyStatus.POOR:
        return SUPPORT_POOR_MINORITY if minority else SUPPORT_MINORITY_OR_POOR
    if minority:
        return SUPPORT_MINORITY_OR_POOR
    if status == PovertyStatus.NEAR_POOR:
        return SUPPORT_NEAR_POOR
    return SUPPORT_OTHER
