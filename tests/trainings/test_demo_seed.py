"""The demo trainings: ``manage.py seed_demo`` at a small size (600 households).

The command runs once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint on top of it. The commune's own figure (548 distinct
2025 participants in the coffee, pepper and durian courses at 8,500 households) is
checked on the plan, with a registry made up here, without the database.
"""

import random
import re
from collections import Counter, defaultdict
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from households import demo as registry_demo
from households.models import Commune, Household, Member, PovertyStatus, Village
from households.text import fold
from outreach.models import Notice, NoticeSource, NoticeStatus
from trainings.demo import (
    AGRI_TOPICS,
    OFFICER,
    DemoHousehold,
    DemoPerson,
    DemoVillage,
    participant_target,
    plan_trainings,
    support_for,
)
from trainings.models import (
    PLACE_HOLDING,
    Course,
    CourseKind,
    CourseTarget,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
)
from trainings.selectors import participant_counts
from trainings.services import support as service_support

SIZE = 600
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 29, 9, 15, tzinfo=HCM)
E = EnrolmentStatus


# --- The plan, without the database ------------------------------------------------------


def made_up_registry(total: int, *, people_per_household: int = 4, seed: int = 1):
    """Villages of the demo commune with ``total`` households in all, each with a head,
    a spouse and children, growing the crops of their kind of village."""
    rng = random.Random(seed)
    villages, households, people = [], [], []
    sizes = registry_demo.village_sizes(total)
    for pk, (spec, n) in enumerate(zip(registry_demo.VILLAGES, sizes, strict=True), 1):
        villages.append(
            DemoVillage(pk, spec.code, spec.name, spec.is_ethnic_minority, n)
        )
        profile = registry_demo.PROFILES[spec.profile]
        for i in range(n):
            household = pk * 10_000 + i
            crops = {registry_demo.pick(rng, profile.crops) for _ in range(2)}
            status = rng.choices(
                [PovertyStatus.POOR, PovertyStatus.NEAR_POOR, PovertyStatus.NONE],
                [6, 7, 87],
            )[0]
            households.append(
                DemoHousehold(household, pk, frozenset(crops), {2024: status})
            )
            ethnic = registry_demo.pick(rng, profile.ethnic)
            head = rng.randint(1950, 2000)
            family = [("head", head, "male"), ("spouse", head + 2, "female")]
            family += [("child", head + 24 + j, "female") for j in range(4)]
            for j, (relation, born, sex) in enumerate(family[:people_per_household]):
                people.append(
                    DemoPerson(household * 10 + j, household, pk,
                               f"Người {household} {j}", sex, born, relation, ethnic)
                )  # fmt: skip
    return villages, households, people


def make_plan(total: int = 8500, *, seed: int = 2025, **registry):
    villages, households, people = made_up_registry(total, **registry)
    buon_tieu = next(v.pk for v in villages if v.name == "Buôn Tiêu")
    plan = plan_trainings(
        random.Random(seed),
        villages,
        households,
        people,
        numbers=registry_demo.UniqueNumbers(),
        now=NOW,
        tz=HCM,
        officer_village=buon_tieu,
    )
    return plan, {h.pk: h for h in households}, {p.pk: p for p in people}, buon_tieu


@pytest.fixture(scope="module")
def default_plan():
    return make_plan()


def crop_rows(plan, statuses=None):
    topic = {c.key: c.topic for c in plan.courses}
    return [
        e
        for e in plan.enrolments
        if topic[plan.sessions[e.session].course] in AGRI_TOPICS
        and plan.sessions[e.session].starts_at.year == 2025
        and (statuses is None or e.status in statuses)
    ]


def test_the_commune_own_size_gives_548_participants_each_counted_once(default_plan):
    plan, households, people, _ = default_plan
    assert participant_target(8500) == 548
    assert plan.participants(year=2025, topics=AGRI_TOPICS) == 548
    # One course each: counted course by course, the figure is the same.
    by_course = defaultdict(set)
    for e in crop_rows(plan, {E.ATTENDED}):
        by_course[plan.sessions[e.session].course].add(e.person)
    assert sum(len(p) for p in by_course.values()) == 548
    assert len(by_course) == 6
    # Several sessions, counted once.
    sessions_of = Counter(e.person for e in crop_rows(plan, {E.ATTENDED}))
    assert sum(n >= 2 for n in sessions_of.values()) > 200
    # Growers of the crop, mostly of working age.
    crop = {"coffee": "coffee", "pepper": "pepper", "durian": "durian"}
    topic = {c.key: c.topic for c in plan.courses}
    members = [e for e in crop_rows(plan, {E.ATTENDED}) if e.member]
    growers = sum(
        crop[topic[plan.sessions[e.session].course]] in households[e.household].crops
        for e in members
    )
    assert growers / len(members) > 0.97
    working = sum(18 <= 2025 - people[e.member].birth_year <= 59 for e in members)
    assert 0.85 <= working / len(members) < 1


def test_attendance_is_realistic_with_a_few_withdrawn_waitlisted_and_walk_ins(
    default_plan,
):
    plan = default_plan[0]
    statuses = Counter(e.status for e in crop_rows(plan))
    rate = statuses[E.ATTENDED] / (statuses[E.ATTENDED] + statuses[E.ABSENT])
    assert 0.85 <= rate <= 0.90
    assert 5 <= statuses[E.WITHDRAWN] <= 40
    assert statuses[E.WAITLISTED] == 4
    walk_ins = {e.person for e in crop_rows(plan) if e.member is None}
    assert 4 <= len(walk_ins) <= 12
    assert all(e.status == E.ATTENDED for e in crop_rows(plan) if e.member is None)
    # Nobody registered came to none of the sessions... except a few no-shows.
    came = {e.person for e in crop_rows(plan, {E.ATTENDED})}
    never = {e.person for e in crop_rows(plan, {E.ABSENT})} - came
    assert 0 < len(never) < 0.06 * len(came)


@pytest.mark.parametrize("households", [600, 20_000])
def test_the_figure_is_in_proportion_at_other_sizes(households):
    plan = make_plan(households)[0]
    expected = round(548 * households / 8500)
    assert participant_target(households) == expected
    assert plan.participants(year=2025, topics=AGRI_TOPICS) == expected


def test_a_registry_too_small_still_gives_the_figure_with_walk_ins():
    plan = make_plan(8500, people_per_household=0)[0]
    assert plan.participants(year=2025, topics=AGRI_TOPICS) == 548
    assert {e.member for e in crop_rows(plan)} == {None}


def test_the_plan_is_the_same_every_time(default_plan):
    plan = default_plan[0]
    assert make_plan()[0] == plan
    assert make_plan(seed=7)[0] != plan


def test_upcoming_sessions_in_the_next_days_one_cancelled_one_full(default_plan):
    plan, _, _, buon_tieu = default_plan
    upcoming = [s for s in plan.sessions if s.upcoming]
    today = NOW.date()
    assert len(upcoming) == 6
    assert all(2 <= (s.starts_at.date() - today).days <= 20 for s in upcoming)
    assert all(s.created_at < NOW for s in upcoming)
    assert buon_tieu in {s.village for s in upcoming}
    assert len({s.village for s in upcoming}) == 6
    cancelled = [s for s in upcoming if s.status == SessionStatus.CANCELLED]
    assert len(cancelled) == 1 and cancelled[0].cancel_reason
    for i, s in enumerate(plan.sessions):
        rows = sorted(
            (e for e in plan.enrolments if e.session == i), key=lambda e: e.created_at
        )
        assert all(e.created_at < (NOW if s.upcoming else s.starts_at) for e in rows
                   if e.member)  # fmt: skip
        if s.upcoming:
            assert rows and all(e.created_at > s.created_at for e in rows)
            waiting = [e.status == E.WAITLISTED for e in rows]
            # The first come hold the places, the rest wait.
            assert waiting == [n >= s.capacity for n in range(len(rows))]
    full = [s for s in upcoming if s.course == "coffee-fertiliser"]
    assert full[0].capacity == 40
    waiting = [e for e in plan.enrolments if plan.sessions[e.session] is full[0]]
    assert Counter(e.status for e in waiting)[E.WAITLISTED] == 3


def test_the_village_officer_acts_in_their_village_only(default_plan):
    plan, _, _, buon_tieu = default_plan
    for e in plan.enrolments:
        if e.member is not None:
            assert (e.by == OFFICER) == (e.village == buon_tieu)
    for s in plan.sessions:
        assert (s.by == OFFICER) == (s.village == buon_tieu)
    assert any(e.by == OFFICER for e in plan.enrolments)


def test_support_follows_the_levels_the_service_fixes():
    levels = {
        (PovertyStatus.POOR, True): service_support.POOR_ETHNIC_MINORITY,
        (PovertyStatus.POOR, False): service_support.ETHNIC_MINORITY_OR_POOR,
        (PovertyStatus.NEAR_POOR, True): service_support.ETHNIC_MINORITY_OR_POOR,
        (PovertyStatus.NEAR_POOR, False): service_support.NEAR_POOR,
        (PovertyStatus.NONE, True): service_support.ETHNIC_MINORITY_OR_POOR,
        (PovertyStatus.NONE, False): service_support.OTHER_RURAL_WORKER,
        ("", False): service_support.OTHER_RURAL_WORKER,
    }
    for (status, minority), amount in levels.items():
        assert support_for(status=status, minority=minority) == amount


# --- The seeded commune ------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of one seed run; the data lives until the module's tests are done."""
    md5 = override_settings(PASSWORD_HASHERS=[FAST_HASHER])
    with django_db_blocker.unblock(), transaction.atomic(), md5:
        out = StringIO()
        call_command("seed_demo", households=SIZE, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def commune(seeded, db):
    return Commune.objects.get(code="EAKTUR")


def _counts() -> dict[str, int]:
    return {
        "courses": Course.objects.count(),
        "targets": CourseTarget.objects.count(),
        "sessions": Session.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "notices": Notice.objects.count(),
    }


def test_the_summary_gives_the_participants_the_pages_show(commune, seeded):
    expected = participant_target(SIZE)
    assert expected == 39
    counts = participant_counts(commune=commune, year=2025, topics=AGRI_TOPICS)
    assert counts.participants == expected
    # The same with plain queries: distinct members plus distinct walk-ins.
    attended = Enrolment.objects.filter(
        status=E.ATTENDED,
        session__course__topic__in=AGRI_TOPICS,
        session__starts_at__year=2025,
    )
    members = attended.exclude(member=None).values("member").distinct().count()
    walk_ins = (
        attended.filter(member=None)
        .values("name_folded", "phone", "birth_year")
        .distinct()
        .count()
    )
    assert members + walk_ins == expected
    assert f"{expected} distinct 2025 participants in durian, coffee and pepper" in (
        seeded
    )
    match = re.search(r"Trainings: (\d+) courses, (\d+) sessions", seeded)
    assert match.groups() == (
        str(Course.objects.count()),
        str(Session.objects.count()),
    )
    marked = Enrolment.objects.filter(status__in=(E.ATTENDED, E.ABSENT)).count()
    rate = Enrolment.objects.filter(status=E.ATTENDED).count() / marked
    assert f"attendance {100 * rate:.0f}%" in seeded
    assert 0.85 <= rate <= 0.95


def test_every_row_satisfies_the_models(commune):
    for course in Course.objects.all():
        course.full_clean()
        assert course.title_folded == fold(course.title)
    for session in Session.objects.all():
        session.full_clean()
    for enrolment in Enrolment.objects.select_related("member", "household"):
        enrolment.full_clean()
        assert enrolment.name_folded == fold(enrolment.full_name)
        if enrolment.member:
            assert enrolment.member.household_id == enrolment.household_id
            assert enrolment.household.village_id == enrolment.village_id
            assert enrolment.member.full_name == enrolment.full_name


def test_sessions_are_consistent_with_their_enrolments(commune):
    now = timezone.now()
    sessions = Session.objects.annotate(
        holding=Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING)),
        waiting=Count("enrolments", filter=Q(enrolments__status=E.WAITLISTED)),
        marked=Count("enrolments", filter=Q(enrolments__status__in=(E.ATTENDED, E.ABSENT))),
        unmarked=Count("enrolments", filter=Q(enrolments__status=E.REGISTERED)),
    )  # fmt: skip
    for s in sessions:
        assert s.holding <= s.capacity
        if s.waiting:
            assert s.holding == s.capacity  # the waiting list only when full
        if s.status == SessionStatus.HELD:
            assert s.ends_at < now and s.marked and not s.unmarked
        else:
            assert s.starts_at > now and not s.marked
    held = Session.objects.filter(status=SessionStatus.HELD)
    assert held.filter(starts_at__year=2025).count() > 0.8 * held.count()
    marked = Enrolment.objects.filter(status__in=(E.ATTENDED, E.ABSENT))
    assert not marked.filter(
        Q(attendance_marked_by=None) | Q(attendance_marked_at=None)
    ).exists()
    for e in Enrolment.objects.filter(status=E.WITHDRAWN).select_related("session"):
        assert e.created_at < e.withdrawn_at < e.session.starts_at
    for e in Enrolment.objects.exclude(member=None).select_related("session"):
        assert e.created_at <= min(e.session.starts_at, now)


def test_walk_ins_are_not_in_the_registry(commune):
    walk_ins = Enrolment.objects.filter(member=None)
    assert 1 <= walk_ins.count() <= 5
    assert not walk_ins.exclude(household=None).exists()
    names = set(Member.objects.values_list("name_folded", flat=True))
    phones = set(Household.objects.values_list("phone", flat=True))
    for walk_in in walk_ins:
        assert walk_in.name_folded not in names
        assert walk_in.phone == "" or walk_in.phone not in phones
        assert walk_in.birth_year


def test_crop_courses_recommend_loans_and_the_hamlets_have_their_own(commune):
    crop = Course.objects.filter(topic__in=AGRI_TOPICS)
    assert not crop.filter(loan_purpose="").exists()
    assert set(crop.values_list("topic", "loan_purpose")) == {
        ("coffee", "coffee"),
        ("pepper", "pepper"),
        ("durian", "durian"),
    }
    hamlets = Course.objects.get(targets__group="ethnic_minority", topic="coffee")
    buon = set(
        Village.objects.filter(is_ethnic_minority=True).values_list("pk", flat=True)
    )
    assert set(hamlets.target_villages.values_list("pk", flat=True)) == buon
    assert set(hamlets.targets.values_list("group", flat=True)) == {
        "poor",
        "near_poor",
        "ethnic_minority",
    }
    assert set(
        hamlets.sessions.values_list("village__is_ethnic_minority", flat=True)
    ) == {True}
    assert Course.objects.filter(kind=CourseKind.VOCATIONAL).count() == 2
    assert set(Course.objects.values_list("topic", flat=True)) >= {
        "coffee", "pepper", "durian", "trade", "health_insurance", "land_policy",
        "digital",
    }  # fmt: skip


def test_vocational_trainees_have_their_support(commune):
    rows = Enrolment.objects.filter(session__course__kind=CourseKind.VOCATIONAL)
    assert rows.exists()
    assert not rows.filter(support_amount=None).exists()
    assert (
        not Enrolment.objects.exclude(session__course__kind=CourseKind.VOCATIONAL)
        .exclude(support_amount=None)
        .exists()
    )
    upcoming = rows.filter(session__starts_at__gt=timezone.now()).select_related(
        "session__course", "member__household", "member__ethnic_group"
    )
    assert upcoming.exists()
    for row in upcoming:  # as the service would fix it today
        expected = service_support.vocational_support(
            course=row.session.course, member=row.member
        )
        assert row.support_amount == expected


def test_upcoming_sessions_have_their_reminders_and_one_was_cancelled(commune):
    now = timezone.now()
    today = timezone.localdate()
    upcoming = Session.objects.filter(starts_at__gt=now).select_related("village")
    assert upcoming.count() == 6
    for session in upcoming:
        days = (timezone.localtime(session.starts_at).date() - today).days
        assert 2 <= days <= 20
        assert session.enrolments.exists()
    assert "Buôn Tiêu" in {s.village.name for s in upcoming}
    reminders = Notice.objects.filter(source=NoticeSource.TRAINING_REMINDER)
    for session in upcoming.filter(status=SessionStatus.SCHEDULED):
        mine = reminders.filter(source_key__startswith=f"training:{session.pk}:")
        keys = set(mine.values_list("source_key", flat=True))
        assert keys and keys <= {
            f"training:{session.pk}:2days",
            f"training:{session.pk}:morning",
        }
        assert set(mine.values_list("status", flat=True)) == {NoticeStatus.SCHEDULED}
        targets = list(session.course.target_villages.all()) or [session.village]
        for notice in mine:
            assert set(notice.villages.all()) <= set(targets)
            assert now < notice.scheduled_at < session.starts_at
    cancelled = upcoming.get(status=SessionStatus.CANCELLED)
    assert cancelled.cancel_reason and cancelled.cancelled_at
    theirs = reminders.filter(source_key__startswith=f"training:{cancelled.pk}:")
    assert set(theirs.values_list("status", flat=True)) == {
        NoticeStatus.CANCELLED,
        NoticeStatus.SCHEDULED,
    }
    told = theirs.get(source_key=f"training:{cancelled.pk}:cancelled")
    assert told.status == NoticeStatus.SCHEDULED
    assert cancelled.cancel_reason in told.body
    full = upcoming.get(course__title__startswith="Bón phân")
    statuses = Counter(full.enrolments.values_list("status", flat=True))
    assert statuses[E.REGISTERED] == full.capacity
    assert statuses[E.WAITLISTED] == 3


def test_the_village_officer_registered_and_marked_in_buon_tieu(commune):
    officer = Enrolment.objects.filter(registered_by__username="thonbuontieu")
    assert officer.exists()
    assert set(officer.values_list("village__name", flat=True)) == {"Buôn Tiêu"}
    marked = Enrolment.objects.filter(attendance_marked_by__username="thonbuontieu")
    assert set(marked.values_list("session__village__name", flat=True)) == {"Buôn Tiêu"}
    others = Enrolment.objects.exclude(village__name="Buôn Tiêu").exclude(member=None)
    assert set(others.values_list("registered_by__username", flat=True)) == {"canbo"}


def test_running_it_again_adds_nothing(commune):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", households=SIZE, stdout=out)
    assert _counts() == before
    assert f"already has {before['courses']} courses" in out.getvalue()
