"""Counting people, not rows.

A person is a member of the registry (``member_id``) or, for a walk-in not matched yet,
the walk-in's name, phone and birth year (``name_folded``, ``phone``, ``birth_year``:
the fields of the walk-in unique constraint). A person counts once per course however
many of its sessions they attended, and once in a total over several courses.

"Participants" are people with an ATTENDED enrolment; "enrolled" people have an
enrolment that is not withdrawn, in a session that is not cancelled.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from households.models import Commune, Village

from ..models import Course, Enrolment, EnrolmentStatus, Session, SessionStatus


def person_key(member_id, name_folded: str, phone: str, birth_year) -> tuple:
    """Who an enrolment is, for counting: the member, else the walk-in's details."""
    if member_id is not None:
        return ("member", member_id)
    return ("walk-in", name_folded, phone, birth_year)


@dataclass
class Participant:
    """One person who attended a course, with the sessions they attended."""

    full_name: str
    village: Village
    member_id: int | None
    household_id: int | None
    birth_year: int | None
    phone: str
    sessions: list[Session] = field(default_factory=list)
    # The vocational support fixed at enrolment (the highest, if it differed).
    support_amount: int | None = None

    @property
    def is_walk_in(self) -> bool:
        return self.member_id is None


def course_participants(course: Course) -> list[Participant]:
    """The distinct people who attended at least one session of the course, by name,
    each with the sessions they attended in date order. One query."""
    rows = (
        Enrolment.objects.filter(
            session__course=course, status=EnrolmentStatus.ATTENDED
        )
        .select_related("session", "village")
        .order_by("session__starts_at", "session_id", "pk")
    )
    people: dict[tuple, Participant] = {}
    for row in rows:
        key = person_key(row.member_id, row.name_folded, row.phone, row.birth_year)
        person = people.get(key)
        if person is None:
            person = people[key] = Participant(
                full_name=row.full_name,
                village=row.village,
                member_id=row.member_id,
                household_id=row.household_id,
                birth_year=row.birth_year,
                phone=row.phone,
            )
        if row.session not in person.sessions:
            person.sessions.append(row.session)
        if row.support_amount is not None:
            person.support_amount = max(person.support_amount or 0, row.support_amount)
    return sorted(
        people.values(), key=lambda p: (p.full_name.casefold(), p.member_id or 0)
    )


@dataclass
class ParticipantCounts:
    """Distinct people. ``participants`` and ``enrolled`` count a person once over all
    the courses counted; the ``by_*`` figures count participants once per course, topic
    or village (so their sum may exceed ``participants``)."""

    participants: int = 0
    enrolled: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)
    by_village: dict[int, int] = field(default_factory=dict)
    by_course: dict[int, int] = field(default_factory=dict)
    enrolled_by_course: dict[int, int] = field(default_factory=dict)


def participant_counts(
    *,
    commune: Commune,
    year: int | None = None,
    topics: Iterable[str] | None = None,
    courses: Iterable | None = None,
) -> ParticipantCounts:
    """Distinct participants and enrolled people of the commune's courses, for sessions
    starting in ``year`` (local time) and courses of ``topics`` / ``courses`` (Course
    objects or pks) when given. One query per figure family (two in all)."""
    qs = Enrolment.objects.filter(session__course__commune=commune)
    if year:
        qs = qs.filter(session__starts_at__year=int(year))
    if topics is not None:
        qs = qs.filter(session__course__topic__in=list(topics))
    if courses is not None:
        qs = qs.filter(session__course__in=[getattr(c, "pk", c) for c in courses])
    columns = (
        "member_id",
        "name_folded",
        "phone",
        "birth_year",
        "session__course_id",
        "session__course__topic",
        "village_id",
    )
    counts = ParticipantCounts()

    attended: dict[object, set] = defaultdict(set)
    for member_id, name, phone, born, course_id, topic, village_id in (
        qs.filter(status=EnrolmentStatus.ATTENDED).values_list(*columns).order_by()
    ):
        person = person_key(member_id, name, phone, born)
        attended["all"].add(person)
        attended[("topic", topic)].add(person)
        attended[("village", village_id)].add(person)
        attended[("course", course_id)].add(person)
    enrolled: dict[object, set] = defaultdict(set)
    for member_id, name, phone, born, course_id, _topic, _village in (
        qs.exclude(status=EnrolmentStatus.WITHDRAWN)
        .exclude(session__status=SessionStatus.CANCELLED)
        .values_list(*columns)
        .order_by()
    ):
        person = person_key(member_id, name, phone, born)
        enrolled["all"].add(person)
        enrolled[("course", course_id)].add(person)

    counts.participants = len(attended.pop("all", ()))
    counts.enrolled = len(enrolled.pop("all", ()))
    for (kind, value), people in attended.items():
        getattr(counts, f"by_{kind}")[value] = len(people)
    for (_kind, course_id), people in enrolled.items():
        counts.enrolled_by_course[course_id] = len(people)
    return counts
