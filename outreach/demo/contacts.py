"""A year of outreach contacts up to ``today``.

Village-wide: a village meeting every month (with how many came), announcements on the
loudspeaker and posts in the village Zalo group. Household by household: visits and
phone calls, mostly to poor and near-poor households and in the ethnic-minority
hamlets, yet not everyone is reached, and a few villages' teams are much less active,
so the coverage page has gaps to show. Interested households get a follow-up date; the
older ones were done, the recent ones are still open (some overdue), and the demo
village officer's village always has a few of each. Apart from these, a dozen residents'
requests sent from the public portal in the last weeks (``plan_resident_requests``), a
few still waiting for a call. Pure functions over a seeded ``random.Random``.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from households.demo import family_name, person_name, pick
from households.models import PovertyStatus

from ..models import ContactChannel, ContactOutcome, ContactTopicChoice
from . import words
from .registry import ESCAPED, OFFICER, OFFICIAL, DemoHousehold, DemoVillage
from .teams import MemberPlan, TeamPlan

C, OC, T = ContactChannel, ContactOutcome, ContactTopicChoice
DAYS = 365  # the contacts cover the last year
RECENT = 1.4  # > 1: more visits in recent months, as the teams got going
# (chance of being reached at all in the year, (fewest, most) contacts if reached),
# before the village team's activity; "other" is every status not named.
REACH = {
    PovertyStatus.POOR: (0.92, (3, 7)),
    PovertyStatus.NEAR_POOR: (0.88, (3, 6)),
    "escaped": (0.65, (1, 3)),
    "other_minority": (0.5, (1, 2)),
    "other": (0.32, (1, 2)),
}
OUTCOMES = {  # (channel, listed) -> outcome weights
    (C.DOOR_TO_DOOR, True): {OC.INFORMED: 45, OC.INTERESTED: 28, OC.HELPED: 10,
                             OC.DECLINED: 5, OC.NOT_REACHED: 12},
    (C.DOOR_TO_DOOR, False): {OC.INFORMED: 60, OC.INTERESTED: 15, OC.HELPED: 5,
                              OC.DECLINED: 10, OC.NOT_REACHED: 10},
    (C.PHONE, True): {OC.INFORMED: 45, OC.INTERESTED: 22, OC.HELPED: 5, OC.DECLINED: 5,
                      OC.NOT_REACHED: 23},
    (C.PHONE, False): {OC.INFORMED: 55, OC.INTERESTED: 12, OC.HELPED: 3, OC.DECLINED: 10,
                       OC.NOT_REACHED: 20},
}  # fmt: skip
TOPICS = {  # listed -> topic weights
    True: {T.LOANS: 35, T.HEALTH_INSURANCE: 25, T.TRAININGS: 15, T.VOCATIONAL: 12,
           T.JOBS: 10, T.LAND: 3, T.LEGAL_AID: 3},
    False: {T.TRAININGS: 30, T.HEALTH_INSURANCE: 20, T.LOANS: 15, T.LAND: 10,
            T.JOBS: 10, T.VOCATIONAL: 8, T.LEGAL_AID: 7},
}  # fmt: skip
VILLAGE_TOPICS = {T.LOANS: 25, T.TRAININGS: 25, T.HEALTH_INSURANCE: 20, T.JOBS: 10,
                  T.VOCATIONAL: 10, T.LAND: 5, T.LEGAL_AID: 5}  # fmt: skip
FOLLOW_UP_CHANCE = {OC.INTERESTED: 0.7, OC.HELPED: 0.3, OC.NOT_REACHED: 0.4,
                    OC.INFORMED: 0.05, OC.DECLINED: 0.0}  # fmt: skip
OFFICER_OPEN = 3  # at least this many overdue, and as many upcoming, for the officer
REQUESTS = 12  # residents' requests from the public portal
REQUEST_DAYS = 30  # sent in the last month
REQUEST_OPEN_DAYS = 7  # the ones of the last week still wait for a call
OFFICER_REQUESTS = 3  # of which in the officer's village, two of them open
REQUEST_OPEN_ELSEWHERE = 3  # open ones in the other villages
REQUEST_TOPICS = {T.LOANS: 35, T.TRAININGS: 30, T.HEALTH_INSURANCE: 15,
                  T.VOCATIONAL: 10, T.JOBS: 10}  # fmt: skip


@dataclass
class ContactPlan:
    village: int
    household: int | None
    channel: str
    contacted_on: date
    topics: tuple[str, ...]
    outcome: str = OC.INFORMED
    note: str = ""
    people_count: int | None = None
    by: str | None = OFFICIAL  # None: a resident's request, nobody logged it
    member: tuple[int, int] | None = None  # MemberPlan.key
    follow_up_on: date | None = None
    follow_up_done_at: datetime | None = None
    follow_up_note: str = ""
    done_by: str | None = None  # who closed the follow-up, if not ``by``
    requester_name: str = ""
    requester_phone: str = ""


def plan_contacts(
    rng: random.Random,
    villages: Sequence[DemoVillage],
    households: Sequence[DemoHousehold],
    teams: Sequence[TeamPlan],
    *,
    today: date,
    tz: tzinfo,
    officer_village: int | None = None,
) -> list[ContactPlan]:
    """The contacts of the year up to ``today``. In ``officer_village`` the demo
    village officer logs them; elsewhere the demo commune official does."""
    start = today - timedelta(days=DAYS - 1)
    team_of = {t.village: t for t in teams}
    by_pk = {v.pk: v for v in villages}
    activity = {
        v.pk: 1.0
        if v.pk == officer_village
        else rng.uniform(0.75, 1.0)
        if rng.random() < 0.85
        else rng.uniform(0.3, 0.5)  # a team that hardly goes out
        for v in villages
    }
    plans: list[ContactPlan] = []
    for village in villages:
        plans += _village_wide(rng, village, team_of[village.pk], activity[village.pk],
                               start=start, today=today, officer_village=officer_village)  # fmt: skip
    for household in households:
        village = by_pk[household.village]
        chance, (fewest, most) = REACH[_reach_group(household, village)]
        if rng.random() >= chance * activity[village.pk]:
            continue
        for _ in range(rng.randint(fewest, most)):
            day = today - timedelta(days=int(DAYS * rng.random() ** RECENT))
            plans.append(_household_contact(rng, household, village, team_of[village.pk],
                                            day, officer_village=officer_village))  # fmt: skip
    for plan in plans:
        _close_follow_up(rng, plan, today=today, tz=tz)
    if officer_village is not None:
        plans += _officer_open_follow_ups(
            rng, plans, by_pk[officer_village], team_of[officer_village],
            [h for h in households if h.village == officer_village], today=today,
        )  # fmt: skip
    plans.sort(key=lambda p: (p.contacted_on, p.village, p.household or 0))
    return plans


def _reach_group(household: DemoHousehold, village: DemoVillage) -> str:
    if household.listed:
        return household.status
    if household.status in ESCAPED:
        return "escaped"
    return "other_minority" if village.is_ethnic_minority else "other"


def _who(rng, team: TeamPlan, day: date, village: int, officer_village, *, helper=0.75):
    """(by, member key): who logged it and which team member made it, if not them."""
    on_team = team.on(day)
    if village == officer_village:
        others = [m for m in on_team if not m.is_officer]
        if others and rng.random() < 0.6:
            return OFFICER, rng.choice(others).key
        return OFFICER, None  # the officer went himself
    if on_team and rng.random() < helper:
        return OFFICIAL, rng.choice(on_team).key
    return OFFICIAL, None


def _topics(rng, weights: dict, most: int) -> tuple[str, ...]:
    count = 1 if most == 1 else rng.choices(range(1, most + 1), [65, 30, 5][:most])[0]
    chosen: list[str] = []
    while len(chosen) < count:
        topic = pick(rng, weights)
        if topic not in chosen:
            chosen.append(topic)
    return tuple(t for t in T.values if t in chosen)  # in the list's order


def _household_contact(rng, household, village, team, day, *, officer_village):
    phone_share = 0.25 if village.is_ethnic_minority else 0.45
    channel = (
        C.PHONE if household.phone_ok and rng.random() < phone_share else C.DOOR_TO_DOOR
    )
    outcome = pick(rng, OUTCOMES[channel, household.listed])
    topics = _topics(rng, TOPICS[household.listed], 3)
    by, member = _who(rng, team, day, village.pk, officer_village)
    note = ""
    if outcome in words.OUTCOME_NOTES:
        if outcome == OC.NOT_REACHED or rng.random() < 0.5:
            note = rng.choice(words.OUTCOME_NOTES[outcome])
    elif rng.random() < 0.35:
        note = rng.choice(words.HOUSEHOLD_NOTES[topics[0]])
    follow_up = None
    if rng.random() < FOLLOW_UP_CHANCE[outcome]:
        follow_up = day + timedelta(days=rng.randint(3, 14))
    return ContactPlan(
        village=village.pk, household=household.pk, channel=channel, contacted_on=day,
        topics=topics, outcome=outcome, note=note, by=by, member=member,
        follow_up_on=follow_up,
    )  # fmt: skip


def _months(start: date, today: date):
    year, month = start.year, start.month
    while (year, month) <= (today.year, today.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _leader_on(team: TeamPlan, day: date) -> MemberPlan | None:
    return next((m for m in team.on(day) if m.role == "leader"), None)


def _village_wide(rng, village, team, activity, *, start, today, officer_village):
    """Monthly meetings, loudspeaker announcements and Zalo group posts."""
    plans = []
    meeting_day = rng.randint(3, 25)
    kind = village.kind_word
    for year, month in _months(start, today):
        first = date(year, month, 1)
        day = first + timedelta(days=meeting_day - 1 + rng.randint(-2, 2))
        if start <= day <= today and rng.random() < (0.97 if activity > 0.6 else 0.85):
            topics = _topics(rng, VILLAGE_TOPICS, 3)
            if len(topics) == 1:
                topics = _topics(rng, VILLAGE_TOPICS, 2) + topics
                topics = tuple(t for t in T.values if t in topics)
            leader = _leader_on(team, day)
            by = OFFICER if village.pk == officer_village else OFFICIAL
            plans.append(ContactPlan(
                village=village.pk, household=None, channel=C.MEETING, contacted_on=day,
                topics=topics,
                people_count=max(5, round(village.households * rng.uniform(0.3, 0.6))),
                note=words.MEETING.format(
                    kind=kind, month=first,
                    phrases=", ".join(words.TOPIC_PHRASES[t] for t in topics),
                ),
                by=by,
                member=None if leader is None or leader.is_officer else leader.key,
            ))  # fmt: skip
        announcements = round(rng.choice((1, 1, 2, 2, 3)) * activity)
        posts = round(rng.randint(1, 3 if village.is_ethnic_minority else 4) * activity)
        for channel, count, text in (
            (C.LOUDSPEAKER, announcements, words.LOUDSPEAKER),
            (C.ZALO_GROUP, posts, words.ZALO_POST),
        ):
            for _ in range(count):
                day = first + timedelta(days=rng.randint(0, 27))
                if not start <= day <= today:
                    continue
                topics = _topics(rng, VILLAGE_TOPICS, 1)
                by, member = _who(rng, team, day, village.pk, officer_village,
                                  helper=0.8)  # fmt: skip
                plans.append(ContactPlan(
                    village=village.pk, household=None, channel=channel,
                    contacted_on=day, topics=topics,
                    note=text.format(kind=kind, phrase=words.TOPIC_PHRASES[topics[0]]),
                    by=by, member=member,
                ))  # fmt: skip
    return plans


def _officer_open_follow_ups(rng, plans, village, team, households, *, today):
    """Top the officer's open follow-ups up to ``OFFICER_OPEN`` overdue and as many
    upcoming, so their follow-up list has something to show."""
    if not households:
        return []
    mine = [
        p
        for p in plans
        if p.village == village.pk and p.follow_up_on and not p.follow_up_done_at
    ]
    overdue = sum(p.follow_up_on < today for p in mine)
    upcoming = sum(p.follow_up_on >= today for p in mine)
    listed = [h for h in households if h.listed] or list(households)
    extra = []
    for _ in range(max(OFFICER_OPEN - overdue, 0)):
        day = today - timedelta(days=rng.randint(8, 20))
        follow_up = today - timedelta(days=rng.randint(1, 6))
        extra.append((day, follow_up))
    for _ in range(max(OFFICER_OPEN - upcoming, 0)):
        day = today - timedelta(days=rng.randint(0, 6))
        extra.append((day, today + timedelta(days=rng.randint(1, 10))))
    out = []
    for day, follow_up in extra:
        household = rng.choice(listed)
        topics = _topics(rng, TOPICS[True], 2)
        _by, member = _who(rng, team, day, village.pk, village.pk)
        out.append(ContactPlan(
            village=village.pk, household=household.pk, channel=C.DOOR_TO_DOOR,
            contacted_on=day, topics=topics, outcome=OC.INTERESTED,
            note=rng.choice(words.HOUSEHOLD_NOTES[topics[0]]), by=OFFICER,
            member=member, follow_up_on=follow_up,
        ))  # fmt: skip
    return out


def _close_follow_up(rng, plan: ContactPlan, *, today: date, tz: tzinfo) -> None:
    """Every follow-up due more than a month ago was done, most of this month's, about
    half of last week's; none of the ones still to come."""
    due = plan.follow_up_on
    if due is None or due >= today:
        return
    age = (today - due).days
    if rng.random() >= (1 if age > 30 else 0.93 if age > 7 else 0.5):
        return
    done_on = min(due + timedelta(days=rng.randint(0, 3)), today - timedelta(days=1))
    at = time(rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
    plan.follow_up_done_at = datetime.combine(done_on, at, tzinfo=tz)
    plan.follow_up_note = (
        words.REACHED_AGAIN
        if plan.outcome == OC.NOT_REACHED
        else words.FOLLOW_UP_NOTES[plan.topics[0]]
    )


# --- Residents' requests -----------------------------------------------------------------


def plan_resident_requests(
    rng: random.Random,
    villages: Sequence[DemoVillage],
    households: Sequence[DemoHousehold],
    *,
    numbers,
    today: date,
    tz: tzinfo,
    officer_village: int | None = None,
) -> list[ContactPlan]:
    """``REQUESTS`` requests sent from the public portal in the last month, as the
    service records them: due the day they were sent, the ones of the last week still
    open, the older ones called back. ``OFFICER_REQUESTS`` of them in the officer's
    village (two open: today's and yesterday's). ``numbers`` hands out the phones."""
    if not villages:
        return []
    by_pk = {v.pk: v for v in villages}
    others = [v for v in villages if v.pk != officer_village] or list(villages)
    # A few of the last week, still open; the rest older, called back.
    days = [
        rng.randint(0, REQUEST_OPEN_DAYS - 1)
        if n < REQUEST_OPEN_ELSEWHERE
        else rng.randint(REQUEST_OPEN_DAYS, REQUEST_DAYS - 1)
        for n in range(REQUESTS)
    ]
    where = [rng.choice(others).pk for _ in days]
    if officer_village is not None:
        days[-OFFICER_REQUESTS:] = [REQUEST_DAYS - 10, 1, 0]
        where[-OFFICER_REQUESTS:] = [officer_village] * OFFICER_REQUESTS
    of_village: dict[int, list[DemoHousehold]] = {}
    for household in households:
        of_village.setdefault(household.village, []).append(household)
    plans = []
    for ago, pk in zip(days, where, strict=True):
        village = by_pk[pk]
        plans.append(_request(rng, village, of_village.get(pk, []), numbers,
                              today - timedelta(days=ago), today=today, tz=tz,
                              officer_village=officer_village))  # fmt: skip
    return plans


def _request(rng, village, households, numbers, day, *, today, tz, officer_village):
    topic = pick(rng, REQUEST_TOPICS)
    household = rng.choice(households) if households and rng.random() < 0.5 else None
    ethnic = "12" if village.is_ethnic_minority and rng.random() < 0.8 else "01"
    sex = rng.choice(("male", "female"))
    name = person_name(
        rng, ethnic, sex, family_name(rng, ethnic), rng.randint(1960, 2004)
    )
    # A household with a phone is called on its own number; anyone else gave theirs.
    phone = "" if household is not None and household.phone_ok else numbers.phone(rng)
    plan = ContactPlan(
        village=village.pk, household=household.pk if household else None,
        channel=C.RESIDENT_REQUEST, contacted_on=day, topics=(topic,),
        outcome=OC.INTERESTED,
        note=words.REQUEST_WORDS_PREFIX + rng.choice(words.REQUEST_WORDS[topic]),
        by=None, follow_up_on=day, requester_name=name, requester_phone=phone,
    )  # fmt: skip
    if (today - day).days >= REQUEST_OPEN_DAYS:
        done_on = min(
            day + timedelta(days=rng.randint(0, 3)), today - timedelta(days=1)
        )
        at = time(rng.randint(7, 16), rng.choice((0, 15, 30, 45)))
        plan.follow_up_done_at = datetime.combine(done_on, at, tzinfo=tz)
        plan.follow_up_note = words.REQUEST_DONE_NOTE
        plan.done_by = OFFICER if village.pk == officer_village else OFFICIAL
    return plan
