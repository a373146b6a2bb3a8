"""A large commune for the dashboard benchmark, built fast with ``bulk_create``.

``build_large_commune(households=N)`` writes, in one transaction and with no services
(no audit entries, no notices sent), a commune of the 46 demo villages (14 of them
ethnic-minority hamlets) with, at N = 50,000:

- N households (heads' ethnic groups drawn from the demo villages' profiles: about 38%
  ethnic minority; 2025 status about 5% poor and 6% near-poor; 1% never reviewed, 0.5%
  archived), 2 to 4 members each, the 2024 and 2025 reviews;
- 4×N loans over the loan programs of the catalogue: 95% disbursed between 1/1/2024 and
  31/12/2025 (most of those due by the end of 2025 are settled, the rest overdue), the
  others applied or rejected; about 0.75 repayment rows per loan;
- 2×N contacts over the 365 days ending at min(today, 31/12/2025) (so that the 2025
  dashboards' 90-day windows fall on them): household visits and calls (12% "not
  reached"), residents' requests and village-wide meetings and announcements;
- a digital team per village (6 current members, some former), assisted applications
  (6% of N) filed in 2024-2025;
- 20 courses over the training topics, N/125 sessions in 2024-2025 with about 50
  attended enrolments each (20,000 at N = 50,000), walk-ins among them;
- a Zalo group per village, SMS lists and relays in some, N/250 notices dispatched in
  2024-2025 with their deliveries (mostly sent, some failed or waiting).

Fields that ``save()`` computes (folded names, search columns) are set by hand.
Deterministic (``random.Random(seed)``). Savings-group memberships and contact topics
beyond one per contact are not written: the dashboard does not read them.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as day_time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from eakutur.accounts.models import Role
from households import demo
from households.models import (
    Commune,
    EthnicGroup,
    Household,
    Member,
    PovertyReview,
    PovertyStandard,
    Village,
)
from households.text import fold
from loans.interest import add_months
from loans.models import Loan, LoanProgram, Repayment, SavingsGroup
from outreach.models import (
    AssistedApplication,
    Contact,
    ContactTopic,
    Delivery,
    DigitalTeam,
    Notice,
    TeamMember,
    VillageGroup,
)
from trainings.models import Course, Enrolment, Session

BATCH = 2000
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2025, 12, 31)
COMMUNE = {"code": "EAKTUR", "name": "Xã Ea Ktur", "province": "Đắk Lắk"}
LOW = ("poor", "near_poor")


@dataclass
class LargeCommune:
    commune: Commune
    official: object  # the commune official the benchmark signs in as
    villages: list[Village]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class _Home:
    pk: int
    village_id: int
    status: str  # the 2025 status, "" if never reviewed
    is_active: bool
    before: str | None  # the 2024 status, None if never reviewed


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time(hour, minute)))


def _bulk(model, rows: list, counts: dict) -> list:
    model.objects.bulk_create(rows, batch_size=BATCH)
    counts[model.__name__] = len(rows)
    return rows


def build_large_commune(
    *, households: int = 50_000, seed: int = 2025, say=lambda text: None
) -> LargeCommune:
    """Write the commune (the database must hold no commune with its code)."""
    rng = random.Random(seed)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    with transaction.atomic():
        commune = Commune.objects.create(**COMMUNE, is_urban=False)
        villages = _villages(commune)
        official = _official(commune)
        say(f"households and members ({households:,})")
        homes, people = _households(rng, commune, villages, households, counts)
        _reviews(rng, homes, official, counts)
        say(f"loans ({4 * households:,}) and repayments")
        _loans(rng, commune, villages, homes, official, counts)
        say(f"contacts ({2 * households:,})")
        _contacts(rng, commune, homes, villages, official, 2 * households, counts)
        members = _teams(rng, villages, counts)
        _applications(rng, homes, members, official, households * 6 // 100, counts)
        say("trainings")
        _trainings(rng, commune, villages, people, official, households, counts)
        say("notices and deliveries")
        _notices(rng, commune, villages, official, max(10, households // 250), counts)
    with connection.cursor() as cursor:  # fresh statistics for both query planners
        cursor.execute("ANALYZE")
    return LargeCommune(
        commune, official, villages, counts, time.perf_counter() - started
    )


# --- Places and people -------------------------------------------------------------------


def _villages(commune: Commune) -> list[Village]:
    return Village.objects.bulk_create(
        Village(
            commune=commune,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            is_ethnic_minority=spec.is_ethnic_minority,
            sort_order=order,
        )
        for order, spec in enumerate(demo.VILLAGES, start=1)
    )


def _official(commune: Commune):
    user = get_user_model()(
        username="bench-dashboard",
        full_name="Cán bộ đo hiệu năng",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
    )
    user.set_unusable_password()
    user.save()
    return user


def _status(rng, rates: tuple[float, float], average_share: float, before: str) -> str:
    """A review status from the village's (poor, near-poor) rates; a household that
    leaves the list has escaped."""
    poor, near = rates
    draw = rng.random()
    if draw < poor:
        return "poor"
    if draw < poor + near:
        return "near_poor"
    if before == "poor":
        return "escaped_poor"
    if before == "near_poor":
        return "escaped_near_poor"
    return "average" if rng.random() < average_share else "none"


def _households(rng, commune, villages, total, counts):
    """Households and members; returns the households and, per village, the people
    (member pk, household pk, name) the trainings draw from."""
    ethnic = dict(EthnicGroup.objects.values_list("code", "pk"))
    rows, plans = [], []
    sizes = demo.village_sizes(total)
    number = 0
    for spec, village, n in zip(demo.VILLAGES, villages, sizes, strict=True):
        profile = demo.PROFILES[spec.profile]
        rates = spec.rates or profile.rates
        for _ in range(n):
            number += 1
            code = demo.pick(rng, profile.ethnic)
            family = demo.family_name(rng, code)
            head = demo.person_name(rng, code, "male", family, 1975)
            reviewed = rng.random() >= 0.01
            before = _status(rng, rates[2024], profile.average_share, "")
            status = _status(rng, rates[2025], profile.average_share, before)
            active = rng.random() >= 0.005
            household = Household(
                commune=commune,
                village=village,
                code=f"HB{number:06d}",
                head_name=head,
                phone=f"09{number:08d}" if rng.random() < 0.6 else "",
                ethnic_group_id=ethnic[code],
                current_status=status if reviewed else "",
                current_review_year=2025 if reviewed else None,
                is_active=active,
                archived_reason="" if active else "Chuyển đi nơi khác",
            )
            household.refresh_search_text()
            rows.append(household)
            plans.append((code, family, before if reviewed else None))
    _bulk(Household, rows, counts)
    homes, members = [], []
    for household, (code, family, before) in zip(rows, plans, strict=True):
        homes.append(
            _Home(
                household.pk,
                household.village_id,
                household.current_status,
                household.is_active,
                before,
            )
        )
        members.append(_member(household, household.head_name, "head", ethnic[code]))
        for _ in range(rng.randint(1, 3)):
            sex = rng.choice(("male", "female"))
            born = rng.randint(1950, 2015)
            name = demo.person_name(rng, code, sex, family, born)
            members.append(_member(household, name, "child", ethnic[code], sex, born))
    _bulk(Member, members, counts)
    people = defaultdict(list)
    for member in members:
        people[member.household.village_id].append(
            (member.pk, member.household_id, member.full_name)
        )
    return homes, people


def _member(household, name, relation, ethnic_id, sex="male", born=1975) -> Member:
    return Member(
        household=household,
        full_name=name,
        name_folded=fold(name)[:100],
        sex=sex,
        birth_year=born,
        relation=relation,
        ethnic_group_id=ethnic_id,
    )


def _reviews(rng, homes, official, counts) -> None:
    standards = {
        year: PovertyStandard.objects.get(first_year__lte=year, last_year__gte=year)
        for year in demo.REVIEW_YEARS
    }
    rows = []
    for home in homes:
        if home.before is None:
            continue  # never reviewed
        for year, status in ((2024, home.before), (2025, home.status)):
            rows.append(
                PovertyReview(
                    household_id=home.pk,
                    year=year,
                    standard=standards[year],
                    income_per_person=rng.randrange(800_000, 4_000_000, 50_000),
                    proposed_status=status,
                    status=status,
                    recorded_by=official,
                )
            )
    _bulk(PovertyReview, rows, counts)


# --- Loans -------------------------------------------------------------------------------

# The programs a household of each status borrows from (codes of the catalogue).
PROGRAMS_FOR = {
    "poor": ("HO_NGHEO", "HO_NGHEO", "NUOC_SACH", "ND28_NHA_O", "HSSV"),
    "near_poor": ("HO_CAN_NGHEO", "HO_CAN_NGHEO", "NUOC_SACH", "HSSV"),
    "escaped_poor": ("HO_MOI_THOAT_NGHEO", "SXKD_VKK"),
    "escaped_near_poor": ("HO_MOI_THOAT_NGHEO", "SXKD_VKK"),
}
OTHER_PROGRAMS = ("SXKD_VKK", "SXKD_VKK", "VIEC_LAM", "NUOC_SACH", "HSSV")
TERMS = (12, 12, 24, 24, 36, 36, 36, 60, 60, 60)
PURPOSES = ("coffee", "pepper", "durian", "crops", "livestock", "trade", "job")


def _loans(rng, commune, villages, homes, official, counts) -> None:
    programs = {p.code: p for p in LoanProgram.objects.all()}
    groups = _bulk(
        SavingsGroup,
        [
            SavingsGroup(
                village=village,
                name=f"Tổ TK&VV {org} {village.name}",
                organisation=key,
                leader_name="Trưởng tổ",
                search_text=fold(f"Tổ TK&VV {org} {village.name} Trưởng tổ"),
            )
            for village in villages
            for key, org in (
                ("womens_union", "Hội Phụ nữ"),
                ("farmers", "Hội Nông dân"),
            )
        ],
        counts,
    )
    group_of = defaultdict(list)
    for group in groups:
        group_of[group.village_id].append(group.pk)
    loans, plans = [], []
    for _ in range(4 * len(homes)):
        home = rng.choice(homes)
        code = rng.choice(PROGRAMS_FOR.get(home.status, OTHER_PROGRAMS))
        loan, plan = _loan(rng, commune, home, programs[code], group_of, official)
        loans.append(loan)
        plans.append(plan)
    repayments = []
    for loan, plan in zip(loans, plans, strict=True):
        repayments += _repay(rng, loan, plan)
    _bulk(Loan, loans, counts)
    for entry in repayments:
        entry.loan_id = entry.loan.pk
    _bulk(Repayment, repayments, counts)


def _loan(rng, commune, home, program, group_of, official):
    term = rng.choice(TERMS)
    if program.max_term_months:
        term = min(term, program.max_term_months)
    cap = program.cap_for(term) or 500_000_000
    amount = rng.randint(10, max(10, min(cap, 100_000_000) // 1_000_000)) * 1_000_000
    amount = min(amount, cap)
    draw = rng.random()
    applied_on = _day(rng, FIRST_DAY, LAST_DAY)
    loan = Loan(
        commune=commune,
        household_id=home.pk,
        program=program,
        savings_group_id=rng.choice(group_of[home.village_id]),
        amount=amount,
        purpose=rng.choice(PURPOSES),
        term_months=term,
        applied_on=applied_on,
        eligibility="qualifies",
        created_by=official,
    )
    if draw < 0.03:  # still an application
        return loan, "applied"
    if draw < 0.05:
        loan.status, loan.rejected_on = "rejected", applied_on
        loan.rejection_reason = "Không đủ hồ sơ"
        return loan, "rejected"
    loan.disbursed_on = applied_on + timedelta(days=rng.randint(5, 30))
    if loan.disbursed_on > LAST_DAY:
        loan.disbursed_on = applied_on = loan.applied_on = LAST_DAY
    loan.approved_on = loan.disbursed_on - timedelta(days=rng.randint(0, 4))
    loan.approved_on = max(loan.approved_on, applied_on)
    loan.status = "disbursed"
    loan.due_on = add_months(loan.disbursed_on, term)
    loan.annual_rate = program.annual_rate
    loan.cap_amount = program.cap_for(term)
    loan.max_term_months = program.max_term_months
    return loan, "disbursed"


def _repay(rng, loan, plan) -> list[Repayment]:
    """Repayments of a disbursed loan: 90% of the loans due by the end of 2025 are
    repaid in full by their due date; the others pay part of their principal."""
    if plan != "disbursed":
        return []
    first = loan.disbursed_on + timedelta(days=30)
    last = min(loan.due_on, LAST_DAY)
    if first > last:
        return []
    due_by_now = loan.due_on <= LAST_DAY
    settles = due_by_now and rng.random() < 0.9
    partial = rng.choice((0, 1)) if settles else rng.choice((0, 0, 1, 1, 2))
    days = sorted(_day(rng, first, last) for _ in range(partial + settles))
    entries, left = [], loan.amount
    for n, paid_on in enumerate(days):
        final = settles and n == len(days) - 1
        principal = (
            left if final else min(left - 1, loan.amount // 10 * rng.randint(1, 3))
        )
        if principal <= 0:
            break
        left -= principal
        interest = principal // 25
        entries.append(
            Repayment(
                loan=loan, paid_on=paid_on, principal=principal, interest=interest
            )
        )
        loan.principal_repaid += principal
        loan.interest_paid += interest
    if entries and left == 0:
        loan.status, loan.settled_on = "settled", entries[-1].paid_on
    return entries


# --- Outreach ----------------------------------------------------------------------------

CHANNELS = ("door_to_door",) * 11 + ("phone",) * 6 + ("resident_request",)
OUTCOMES = ("informed",) * 10 + ("interested",) * 4 + ("helped",) * 2
VILLAGE_WIDE = ("meeting", "meeting", "loudspeaker", "zalo_group")
TOPICS = ("loans", "land", "trainings", "vocational", "jobs", "health_insurance")


def _contacts(rng, commune, homes, villages, official, total, counts) -> None:
    end = min(timezone.localdate(), LAST_DAY)
    start = end - timedelta(days=364)
    active = [home for home in homes if home.is_active]
    rows = []
    for _ in range(total):
        day = _day(rng, start, end)
        if rng.random() < 0.1:  # a meeting or an announcement to the whole village
            channel = rng.choice(VILLAGE_WIDE)
            rows.append(
                Contact(
                    commune=commune,
                    village=rng.choice(villages),
                    channel=channel,
                    contacted_on=day,
                    people_count=rng.randint(15, 90) if channel == "meeting" else None,
                    made_by=official,
                )
            )
            continue
        home = rng.choice(active)
        channel = rng.choice(CHANNELS)
        request = channel == "resident_request"
        not_reached = not request and rng.random() < 0.12
        rows.append(
            Contact(
                commune=commune,
                village_id=home.village_id,
                household_id=home.pk,
                channel=channel,
                contacted_on=day,
                outcome="not_reached" if not_reached else rng.choice(OUTCOMES),
                made_by=None if request else official,
                requester_name="Người dân" if request else "",
            )
        )
    _bulk(Contact, rows, counts)
    topics = [ContactTopic(contact=row, topic=rng.choice(TOPICS)) for row in rows]
    _bulk(ContactTopic, topics, counts)


def _teams(rng, villages, counts) -> dict[int, list[int]]:
    """A team per village, 6 current members (a leader, a deputy) and, in one village
    in three, a former member; returns the current members' pks by village."""
    teams = _bulk(
        DigitalTeam,
        [
            DigitalTeam(
                village=village,
                established_on=date(2023, 3, 15),
                decision_number=f"{100 + n}/QĐ-UBND",
            )
            for n, village in enumerate(villages)
        ],
        counts,
    )
    rows = []
    for n, team in enumerate(teams):
        roles = ["leader", "deputy"] + ["member"] * 4
        for k, role in enumerate(roles):
            rows.append(_team_member(team, n, k, role))
        if n % 3 == 0:
            rows.append(_team_member(team, n, 9, "member", left_on=date(2025, 2, 1)))
    _bulk(TeamMember, rows, counts)
    current = defaultdict(list)
    for row in rows:
        if row.left_on is None:
            current[row.team.village_id].append(row.pk)
    return current


def _team_member(team, n, k, role, left_on=None) -> TeamMember:
    name = f"Thành viên {k + 1} tổ {n + 1}"
    return TeamMember(
        team=team,
        full_name=name,
        name_folded=fold(name),
        phone=f"08{n:03d}{k:05d}",
        role=role,
        is_youth_union=k % 2 == 0,
        joined_on=date(2023, 3, 15),
        left_on=left_on,
    )


SERVICES = (
    "birth",
    "residence",
    "vneid",
    "health_insurance",
    "social_allowance",
    "land",
)
APPLICATION_STATUSES = ("done",) * 6 + ("processing", "filed", "needs_more", "rejected")


def _applications(rng, homes, members, official, total, counts) -> None:
    active = [home for home in homes if home.is_active]
    rows = []
    for n in range(total):
        home = rng.choice(active)
        helpers = members.get(home.village_id) or [None]
        rows.append(
            AssistedApplication(
                household_id=home.pk,
                service=rng.choice(SERVICES),
                filed_on=_day(rng, FIRST_DAY, LAST_DAY),
                reference_number=f"G22.99-BENCH-{n:06d}" if rng.random() < 0.8 else "",
                status=rng.choice(APPLICATION_STATUSES),
                helped_by_id=rng.choice(helpers),
                recorded_by=official,
            )
        )
    _bulk(AssistedApplication, rows, counts)


# --- Trainings ---------------------------------------------------------------------------

COURSE_TOPICS = (
    "coffee", "durian", "pepper", "crops", "livestock", "trade", "digital",
    "health_insurance", "land_policy", "other",
)  # fmt: skip


def _trainings(rng, commune, villages, people, official, households, counts) -> None:
    courses = _bulk(
        Course,
        [
            Course(
                commune=commune,
                title=f"Lớp {topic} số {k + 1}",
                title_folded=fold(f"Lớp {topic} số {k + 1}"),
                topic=topic,
                kind="vocational" if topic == "trade" else "extension",
                organiser_kind="extension_centre",
                created_by=official,
            )
            for topic in COURSE_TOPICS
            for k in range(2)
        ],
        counts,
    )
    now = timezone.now()
    sessions = []
    for _ in range(max(10, households // 125)):
        starts = _local(_day(rng, FIRST_DAY, LAST_DAY), rng.choice((7, 8, 13, 14)))
        cancelled = rng.random() < 0.02
        status = "cancelled" if cancelled else "held" if starts < now else "scheduled"
        sessions.append(
            Session(
                course=rng.choice(courses),
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                village=rng.choice(villages),
                place="Nhà văn hóa",
                capacity=80,
                status=status,
                cancelled_at=now if cancelled else None,
                cancel_reason="Mưa lớn" if cancelled else "",
                created_by=official,
            )
        )
    _bulk(Session, sessions, counts)
    rows = []
    for n, session in enumerate(sessions):
        rows += _enrolments(rng, session, n, people[session.village_id], official)
    _bulk(Enrolment, rows, counts)


def _enrolments(rng, session, n, people, official) -> list[Enrolment]:
    """About 50 attended and 6 absent people of the session's village, 2 walk-ins."""
    held = session.status == "held"
    chosen = rng.sample(people, min(len(people), rng.randint(46, 66)))
    rows = []
    for k, (member_id, household_id, name) in enumerate(chosen):
        status = ("absent" if k % 9 == 0 else "attended") if held else "registered"
        rows.append(
            _enrolment(session, name, status, official, member_id, household_id)
        )
    for k in range(2):
        name = f"Khách {k + 1} lớp {n + 1}"
        walk_in = _enrolment(
            session, name, "attended" if held else "registered", official
        )
        walk_in.phone, walk_in.birth_year = f"07{n:05d}{k:03d}", 1990 + k
        rows.append(walk_in)
    return rows


def _enrolment(session, name, status, official, member_id=None, household_id=None):
    return Enrolment(
        session=session,
        member_id=member_id,
        household_id=household_id,
        full_name=name,
        name_folded=fold(name)[:100],
        village_id=session.village_id,
        status=status,
        registered_by=official,
        attendance_marked_by=official if status in ("attended", "absent") else None,
        attendance_marked_at=session.ends_at if status != "registered" else None,
    )


# --- Notices -----------------------------------------------------------------------------


def _notices(rng, commune, villages, official, total, counts) -> None:
    groups = []
    for n, village in enumerate(villages):
        groups.append(_group(village, "zalo", f"zalo-bench-{village.code}"))
        if n % 3 == 0:
            groups.append(_group(village, "sms", f"09{n:08d}"))
        if n % 5 == 0:
            groups.append(_group(village, "relay", ""))
    _bulk(VillageGroup, groups, counts)
    notices = []
    for n in range(total):
        at = _local(_day(rng, FIRST_DAY, LAST_DAY), 7, 30)
        title = f"Thông báo số {n + 1}"
        notices.append(
            Notice(
                commune=commune,
                title=title,
                title_folded=fold(title),
                body="Kính mời bà con đến dự họp thôn.",
                status="done",
                scheduled_at=at,
                author=official,
                approved_by=official,
                approved_at=at - timedelta(hours=2),
                dispatched_at=at,
            )
        )
    _bulk(Notice, notices, counts)
    rows = []
    for notice in notices:
        for group in groups:
            rows.append(_delivery(rng, notice, group))
    _bulk(Delivery, rows, counts)


def _group(village, channel, address) -> VillageGroup:
    return VillageGroup(
        village=village,
        channel=channel,
        external_id=address,
        name=f"Nhóm {channel} {village.name}",
    )


def _delivery(rng, notice, group) -> Delivery:
    row = Delivery(notice=notice, group=group, text=notice.body)
    draw = rng.random()
    if draw < 0.93:
        row.status, row.attempts = "sent", 1
        row.sent_at = notice.dispatched_at + timedelta(seconds=5)
        row.provider_id = f"{group.channel}-bench"
    elif draw < 0.97:
        row.status, row.attempts = "failed", 8
        row.failed_at = notice.dispatched_at + timedelta(hours=4)
        row.error = "HTTP 500"
    return row
