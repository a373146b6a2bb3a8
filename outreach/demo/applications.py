"""Online public-service applications the digital teams helped households file, from
January 2025 up to ``today``: VNeID accounts and health insurance cards above all, then
birth and residence registrations, social allowances and a few others. Poor and
near-poor households and the ethnic-minority hamlets are helped most. The older ones
have their result; the recent ones are still open, with a date to check on them. Pure
functions over a seeded ``random.Random``.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from households.demo import DEFAULT_HOUSEHOLDS, pick

from ..models import ApplicationStatus, PublicService
from . import words
from .registry import ESCAPED, OFFICER, OFFICIAL, DemoHousehold, DemoVillage
from .teams import TeamPlan

S = PublicService
APPLICATIONS = 320  # at the commune's own size
FIRST_DAY = date(2025, 1, 1)
SERVICES = {S.VNEID: 30, S.HEALTH_INSURANCE: 24, S.BIRTH_REGISTRATION: 10,
            S.RESIDENCE: 10, S.SOCIAL_ALLOWANCE: 8, S.LAND: 4, S.DEATH_REGISTRATION: 3,
            S.CRIMINAL_RECORD: 3, S.BUSINESS: 2, S.OTHER: 6}  # fmt: skip
# (fewest, most) days until the result.
DAYS_TO_RESULT = {S.VNEID: (5, 15), S.HEALTH_INSURANCE: (3, 10),
                  S.BIRTH_REGISTRATION: (1, 5), S.RESIDENCE: (5, 10),
                  S.SOCIAL_ALLOWANCE: (20, 45), S.LAND: (30, 90),
                  S.DEATH_REGISTRATION: (1, 3), S.CRIMINAL_RECORD: (7, 15),
                  S.BUSINESS: (3, 7), S.OTHER: (3, 10)}  # fmt: skip
# An illustrative reference number in the shape of the national public-service portal's
# codes (agency code, filing day, serial of the day); the real codes differ by agency.
REFERENCE = "G22.99-{day:%y%m%d}-{serial:04d}"
RECENT = 1.3


@dataclass(frozen=True)
class ApplicationPlan:
    household: int
    village: int
    service: str
    service_detail: str
    filed_on: date
    reference_number: str
    status: str
    member: tuple[int, int] | None  # MemberPlan.key
    by: str
    follow_up_on: date | None
    note: str


def application_count(households: int) -> int:
    return round(APPLICATIONS * households / DEFAULT_HOUSEHOLDS)


def plan_applications(
    rng: random.Random,
    villages: Sequence[DemoVillage],
    households: Sequence[DemoHousehold],
    teams: Sequence[TeamPlan],
    *,
    today: date,
    officer_village: int | None = None,
) -> list[ApplicationPlan]:
    if not households:
        return []
    first = FIRST_DAY if today > FIRST_DAY else today - timedelta(days=365)
    minority = {v.pk for v in villages if v.is_ethnic_minority}
    team_of = {t.village: t for t in teams}
    weights = [
        (3 if h.listed else 2 if h.status in ESCAPED else 1)
        * (1.5 if h.village in minority else 1)
        for h in households
    ]
    count = application_count(len(households))
    chosen = rng.choices(households, weights=weights, k=count)
    span = (today - first).days
    # More in recent months, as more people learnt the teams could help.
    days = sorted(_weekday(today - timedelta(days=int(span * rng.random() ** RECENT)))
                  for _ in chosen)  # fmt: skip
    serials: dict[date, int] = {}
    plans = []
    for household, filed_on in zip(chosen, days, strict=True):
        service = pick(rng, SERVICES)
        if filed_on not in serials:  # the portal's serial of the day so far
            serials[filed_on] = rng.randint(1, 60)
        serials[filed_on] += 1
        reference = REFERENCE.format(day=filed_on, serial=serials[filed_on])
        status, follow_up, note = _progress(rng, service, filed_on, today)
        helpers = team_of[household.village].on(filed_on)
        member = (
            rng.choices(helpers, [2 if m.is_youth_union else 1 for m in helpers])[0]
            if helpers
            else None
        )
        plans.append(ApplicationPlan(
            household=household.pk, village=household.village, service=service,
            service_detail=rng.choice(words.OTHER_SERVICES) if service == S.OTHER else "",
            filed_on=filed_on, reference_number=reference, status=status,
            member=member.key if member else None,
            by=OFFICER if household.village == officer_village else OFFICIAL,
            follow_up_on=follow_up, note=note,
        ))  # fmt: skip
    return plans


def _weekday(day: date) -> date:
    """Applications are filed on working days: a weekend becomes the Friday before."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def _progress(rng, service: str, filed_on: date, today: date):
    """(status, follow-up date, note) as of ``today``."""
    note = rng.choice(words.APPLICATION_NOTES[service])
    result_on = filed_on + timedelta(days=rng.randint(*DAYS_TO_RESULT[service]))
    if result_on <= today:
        roll = rng.random()
        if roll < 0.05:
            return ApplicationStatus.REJECTED, None, words.REJECTED_NOTE
        if roll < 0.85 or filed_on < today - timedelta(days=120):
            return ApplicationStatus.DONE, None, note
        # Late: waiting for papers, or for the agency; the follow-up date has passed.
        if roll < 0.93:
            return ApplicationStatus.NEEDS_MORE, result_on, words.NEEDS_MORE_NOTE
        return ApplicationStatus.PROCESSING, result_on, note
    if (today - filed_on).days <= 1:
        return ApplicationStatus.FILED, result_on, note
    if rng.random() < 0.2:
        return ApplicationStatus.NEEDS_MORE, result_on, words.NEEDS_MORE_NOTE
    return ApplicationStatus.PROCESSING, result_on, note
