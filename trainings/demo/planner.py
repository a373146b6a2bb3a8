"""The tools the demo schedule is built with: choosing trainees from the registry,
holding a class (sessions, registrations, attendance), walk-ins, upcoming sessions.

A ``Planner`` keeps the plan being built and the registry it draws from; every choice
comes from its seeded ``random.Random``, in a fixed order, so the plan is the same for
the same registry and the same ``now``.
"""

import math
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from households.demo import DEFAULT_HOUSEHOLDS, UniqueNumbers, family_name, person_name
from households.models import PovertyStatus
from households.text import fold

from ..models import CourseKind, EnrolmentStatus, SessionStatus
from . import catalogue as cat
from .plans import (
    SUPPORT_OTHER,
    CoursePlan,
    EnrolmentPlan,
    SessionPlan,
    participant_target,
    support_for,
)
from .registry import OFFICER, OFFICIAL, DemoHousehold, DemoPerson, DemoVillage

ATTEND_SHARE = 0.91  # a registered trainee comes to a given session
OLDER_SHARE = 0.08  # trainees over working age
WORKING_AGE = (18, 59)
OLDEST = 72
LISTED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)

Slot = tuple[datetime, datetime, str]  # a session's start, end and place


def weekday(day: date) -> date:
    """The day, or the Monday after when it is a Sunday (trainings run Monday–Saturday)."""
    return day + timedelta(days=1) if day.weekday() == 6 else day


class Planner:
    def __init__(
        self,
        rng: random.Random,
        villages: Sequence[DemoVillage],
        households: Sequence[DemoHousehold],
        people: Sequence[DemoPerson],
        *,
        numbers: UniqueNumbers,
        now: datetime,
        tz: tzinfo,
        officer_village: int | None,
    ) -> None:
        self.rng, self.numbers, self.now, self.tz = rng, numbers, now, tz
        self.today = now.astimezone(tz).date()
        self.villages = list(villages)
        self.village = {v.pk: v for v in self.villages}
        self.by_code = {v.code: v for v in self.villages}
        self.households = {h.pk: h for h in households}
        self.people_of: dict[int, list[DemoPerson]] = {v.pk: [] for v in self.villages}
        for person in people:
            self.people_of.setdefault(person.village, []).append(person)
        self.officer_village = officer_village
        self.taken_names = {fold(p.full_name) for p in people}
        total = sum(v.households for v in self.villages)
        self.scale = total / DEFAULT_HOUSEHOLDS
        self.target = participant_target(total)
        self.courses: list[CoursePlan] = []
        self.sessions: list[SessionPlan] = []
        self.enrolments: list[EnrolmentPlan] = []

    # --- small things --------------------------------------------------------------------

    def at(self, day: date, hm: tuple[int, int]) -> datetime:
        return datetime.combine(day, time(*hm), tzinfo=self.tz)

    def office_hours(self, day: date) -> datetime:
        """A moment in office hours that day."""
        return self.at(day, (self.rng.randint(8, 16), self.rng.randrange(0, 60, 5)))

    def scaled(self, n: int, minimum: int = 1) -> int:
        """``n`` at the commune's own size, in proportion for this one."""
        return max(minimum, round(n * self.scale))

    def by(self, village: int) -> str:
        """The village officer acts in their own village, the commune official
        everywhere else."""
        return OFFICER if village == self.officer_village else OFFICIAL

    def find_village(self, code: str) -> DemoVillage:
        """The village with this code, else one of the same kind (thôn T…, buôn B…)."""
        if code in self.by_code:
            return self.by_code[code]
        minority = code.startswith("B")
        fits = [v for v in self.villages if v.is_ethnic_minority == minority]
        fits = fits or self.villages
        return fits[sum(map(ord, code)) % len(fits)]

    def nearby(self, village: int, *, minority_only: bool = False) -> list[int]:
        """Villages by distance in the commune's order, the village itself first and
        those of its kind before the others."""
        index = {v.pk: i for i, v in enumerate(self.villages)}
        here = self.village[village]
        ordered = sorted(
            self.villages,
            key=lambda v: (
                v.is_ethnic_minority != here.is_ethnic_minority,
                abs(index[v.pk] - index[village]),
                index[v.pk],
            ),
        )
        return [v.pk for v in ordered if v.is_ethnic_minority or not minority_only]

    def spread(self, village: int) -> list[int]:
        """The village, then the others in a shuffled order."""
        others = [v.pk for v in self.villages if v.pk != village]
        self.rng.shuffle(others)
        return [village, *others]

    def grows(self, crop: str) -> Callable[[DemoPerson], bool]:
        def fits(p: DemoPerson) -> bool:
            household = self.households.get(p.household)
            return household is not None and crop in household.crops

        return fits

    def listed_first(self, day: date) -> Callable[[DemoPerson], float]:
        """Poor and near-poor households (on the list in force that day) first, and the
        head or spouse before the others of a household."""

        def rank(p: DemoPerson) -> int:
            household = self.households.get(p.household)
            listed = household is not None and household.status_on(day) in LISTED
            return (0 if listed else 2) + heads_first(p)

        return rank

    def course(self, spec: cat.CourseSpec, created_at: datetime) -> CoursePlan:
        targets = ()
        if spec.for_minority_villages:
            targets = tuple(v.pk for v in self.villages if v.is_ethnic_minority)
        plan = CoursePlan(
            key=spec.key,
            title=spec.title,
            topic=spec.topic,
            kind=spec.kind,
            organiser_kind=spec.organiser_kind,
            organiser_name=spec.organiser_name,
            description=spec.description,
            target_villages=targets,
            target_groups=tuple(spec.target_groups),
            loan_purpose=spec.loan_purpose,
            created_at=created_at,
        )
        self.courses.append(plan)
        return plan

    # --- people --------------------------------------------------------------------------

    def pick_people(
        self,
        n: int,
        *,
        villages: Sequence[int],
        year: int,
        used: set[int],
        fits: Callable[[DemoPerson], bool] = lambda p: True,
        rank: Callable[[DemoPerson], float] = lambda p: 0,
        ages: tuple[int, int] = WORKING_AGE,
        older_share: float = OLDER_SHARE,
        oldest: int = OLDEST,
        pooled: bool = False,
    ) -> list[DemoPerson]:
        """Up to ``n`` people not in ``used`` (whom they join), village by village (or
        from all ``villages`` at once when ``pooled``): those who ``fits`` first, then
        anyone of age; the lowest ``rank`` first, one per household before a second;
        about ``older_share`` of them above ``ages`` (up to ``oldest``), the others
        within ``ages`` (ages in ``year``)."""
        older = round(n * older_share)
        chosen: list[DemoPerson] = []
        homes: set[int] = set()
        groups = [list(villages)] if pooled else [[v] for v in villages]
        for strict in (True, False):
            for group_villages in groups:
                if len(chosen) >= n:
                    break
                young, old = [], []
                for p in (p for v in group_villages for p in self.people_of.get(v, ())):
                    if p.pk in used or (strict and not fits(p)):
                        continue
                    age = p.age_in(year)
                    if ages[0] <= age <= ages[1]:
                        young.append(p)
                    elif ages[1] < age <= oldest:
                        old.append(p)
                for group in (young, old):
                    self.rng.shuffle(group)
                    group.sort(key=rank)
                have_old = sum(p.age_in(year) > ages[1] for p in chosen)
                for group, limit in ((old, older - have_old), (young, n), (old, n)):
                    taken = 0
                    for second in (False, True):  # one per household first
                        for p in group:
                            if len(chosen) >= n or taken >= limit:
                                break
                            if p.pk in used or (p.household in homes) != second:
                                continue
                            chosen.append(p)
                            used.add(p.pk)
                            homes.add(p.household)
                            taken += 1
            if len(chosen) >= n:
                break
        return chosen

    def walk_in(self, village: DemoVillage, year: int) -> tuple[str, int, str]:
        """Someone not in the registry: name (no registered person's), birth year and
        phone (not a registered one, or none)."""
        ethnic = "12" if village.is_ethnic_minority else "01"
        for _ in range(50):
            sex = "male" if self.rng.random() < 0.6 else "female"
            born = year - self.rng.randint(20, 55)
            family = family_name(self.rng, ethnic)
            name = person_name(self.rng, ethnic, sex, family, born)
            if fold(name) not in self.taken_names:
                break
        self.taken_names.add(fold(name))
        phone = self.numbers.phone(self.rng) if self.rng.random() < 0.6 else ""
        return name, born, phone

    def enrol(
        self,
        session: int,
        p: DemoPerson,
        created_at: datetime,
        *,
        status: str,
        support: bool = False,
        marked_at: datetime | None = None,
        withdrawn_at: datetime | None = None,
    ) -> None:
        """A member's enrolment, registered by the village officer for the people of
        their village and by the commune official for everyone else. The support of a
        vocational course follows the poverty list in force on the day they enrol."""
        household = self.households.get(p.household)
        amount = None
        if support:
            status_then = household.status_on(created_at.date()) if household else ""
            amount = support_for(status=status_then, minority=p.minority)
        marked = status in (EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT)
        self.enrolments.append(
            EnrolmentPlan(
                session=session,
                full_name=p.full_name,
                village=p.village,
                status=status,
                created_at=created_at,
                by=self.by(p.village),
                member=p.pk,
                household=p.household,
                support_amount=amount,
                marked_at=marked_at if marked else None,
                withdrawn_at=withdrawn_at,
            )
        )

    # --- sessions ------------------------------------------------------------------------

    def hold_class(
        self,
        course: CoursePlan,
        village: DemoVillage,
        slots: Sequence[Slot],
        *,
        trainer: str,
        trainees: Sequence[DemoPerson],
        no_shows: Sequence[DemoPerson] = (),
        withdrawn: Sequence[DemoPerson] = (),
        waitlisted: Sequence[DemoPerson] = (),
        walk_ins: int = 0,
        attend: float = ATTEND_SHARE,
    ) -> None:
        """A class held in the past in ``village``: its sessions, everyone registered
        for each, attendance marked after each. ``trainees`` come to a session with
        ``attend`` probability and to one at least, ``no_shows`` to none; ``withdrawn``
        people withdrew before the first session; ``waitlisted`` people queued for the
        first session, which was full; ``walk_ins`` people came to a session without
        registering (unknown to the registry)."""
        rng, by = self.rng, self.by(village.pk)
        support = course.kind == CourseKind.VOCATIONAL
        first = slots[0][0]
        scheduled = max(
            self.office_hours(first.date() - timedelta(days=rng.randint(14, 28))),
            course.created_at + timedelta(hours=2),
        )
        registered = {}
        for p in (*trainees, *no_shows, *withdrawn):
            days = max((first.date() - scheduled.date()).days - 1, 0)
            day = scheduled.date() + timedelta(days=rng.randint(0, days))
            registered[p.pk] = max(self.office_hours(day), scheduled)
        came = {p.pk: [rng.random() < attend for _ in slots] for p in trainees}
        for p in trainees:
            if not any(came[p.pk]):
                came[p.pk][rng.randrange(len(slots))] = True
        walkers = [rng.randrange(len(slots)) for _ in range(walk_ins)]
        for i, (starts, ends, place) in enumerate(slots):
            holding = len(trainees) + len(no_shows) + walkers.count(i)
            full = i == 0 and bool(waitlisted)
            capacity = holding if full else 5 * math.ceil((holding + 3) / 5)
            self.sessions.append(
                SessionPlan(
                    course=course.key,
                    starts_at=starts,
                    ends_at=ends,
                    village=village.pk,
                    place=place,
                    capacity=max(capacity, 1),
                    trainer=trainer,
                    status=SessionStatus.HELD,
                    created_at=scheduled,
                    by=by,
                )
            )
            index = len(self.sessions) - 1
            marked = ends + timedelta(minutes=rng.randint(10, 90))
            for p in (*trainees, *no_shows):
                attended = p.pk in came and came[p.pk][i]
                status = (
                    EnrolmentStatus.ATTENDED if attended else EnrolmentStatus.ABSENT
                )
                self.enrol(index, p, registered[p.pk], status=status, marked_at=marked,
                           support=support)  # fmt: skip
            for p in withdrawn:
                since = registered[p.pk]
                left = since + (first - since) * rng.uniform(0.2, 0.9)
                self.enrol(index, p, since, status=EnrolmentStatus.WITHDRAWN,
                           withdrawn_at=left, support=support)  # fmt: skip
            if full:
                last = max(registered.values(), default=scheduled)
                for n, p in enumerate(waitlisted, start=1):
                    self.enrol(index, p, last + timedelta(hours=n), support=support,
                               status=EnrolmentStatus.WAITLISTED)  # fmt: skip
            for _ in range(walkers.count(i)):
                name, born, phone = self.walk_in(village, starts.year)
                self.enrolments.append(
                    EnrolmentPlan(
                        session=index,
                        full_name=name,
                        village=village.pk,
                        status=EnrolmentStatus.ATTENDED,
                        created_at=starts + timedelta(minutes=rng.randint(5, 40)),
                        by=by,
                        birth_year=born,
                        phone=phone,
                        support_amount=SUPPORT_OTHER if support else None,
                        marked_at=marked,
                    )
                )

    def upcoming_session(
        self,
        course: CoursePlan,
        village: DemoVillage,
        day: date,
        hours: tuple[tuple[int, int], tuple[int, int]],
        *,
        trainer: str,
        capacity: int,
        enrolled: int,
        who: dict,
        place: str = "",
        cancel_reason: str = "",
    ) -> None:
        """A session to come, scheduled a week or so ago, with ``enrolled`` people
        registered since (beyond ``capacity``, on the waiting list); ``who`` narrows
        them (``pick_people``'s keywords). The services write it and its reminders."""
        rng = self.rng
        scheduled = self.now - timedelta(
            days=rng.randint(6, 10), hours=rng.randint(0, 6)
        )
        if capacity < enrolled <= capacity + 1:
            enrolled = capacity  # a waiting list of one looks like a slip
        self.sessions.append(
            SessionPlan(
                course=course.key,
                starts_at=self.at(day, hours[0]),
                ends_at=self.at(day, hours[1]),
                village=village.pk,
                place=place or village.meeting_place,
                capacity=capacity,
                trainer=trainer,
                status=SessionStatus.CANCELLED
                if cancel_reason
                else SessionStatus.SCHEDULED,
                created_at=scheduled,
                by=self.by(village.pk),
                upcoming=True,
                cancel_reason=cancel_reason,
            )
        )
        index = len(self.sessions) - 1
        defaults = {
            "villages": self.nearby(village.pk),
            "rank": heads_first,
            "ages": (18, 65),
            "older_share": 0.1,
        }
        people = self.pick_people(
            enrolled, year=day.year, used=set(), **{**defaults, **who}
        )
        span = (self.now - scheduled).total_seconds()
        moments = sorted(
            scheduled + timedelta(seconds=rng.uniform(0.05, 0.95) * span)
            for _ in people
        )
        support = course.kind == CourseKind.VOCATIONAL
        for n, (p, moment) in enumerate(zip(people, moments, strict=True)):
            status = (
                EnrolmentStatus.REGISTERED
                if n < capacity
                else EnrolmentStatus.WAITLISTED
            )
            self.enrol(index, p, moment, status=status, support=support)


def heads_first(p: DemoPerson) -> int:
    return 0 if p.relation in ("head", "spouse") else 1
