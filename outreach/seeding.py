"""Writes the demo outreach of Xã Ea Ktur for ``manage.py seed_demo``: the digital teams
and their members, a year of contacts, assisted applications, the village groups and a
few notices with their deliveries.

The plan comes from ``outreach.demo`` over what the registry holds (read here in a few
queries), so the contacts follow the households' poverty status. Deterministic
(``Random(2025)``, as of ``today``). Idempotent, in three parts, each written only when
the commune has none of it: the teams with their contacts and applications; the village
groups; the notices. All in one transaction, with ``bulk_create``. Rows are written
directly, not through the services: each satisfies the models' constraints by
construction, and demo data writes no audit entries.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from households.demo import UniqueNumbers
from households.models import Commune, Household
from households.text import fold

from .demo import (
    OFFICER,
    OFFICIAL,
    DemoHousehold,
    DemoVillage,
    plan_applications,
    plan_contacts,
    plan_groups,
    plan_notices,
    plan_resident_requests,
    plan_teams,
)
from .models import (
    AssistedApplication,
    Contact,
    ContactTopic,
    Delivery,
    DeliveryStatus,
    DigitalTeam,
    GroupChannel,
    Notice,
    NoticeStatus,
    TeamMember,
    VillageGroup,
)
from .models.applications import OPEN_APPLICATION_STATUSES
from .services import notice_target_groups, notice_text
from .services.relay import RELAY_PROVIDER_PREFIX

BATCH = 1000
KINH = "01"
COVERAGE_DAYS = 90


def _quiet(*args) -> None:
    pass


def demo_outreach_seed(
    commune: Commune,
    *,
    official,
    officer=None,
    today: date | None = None,
    now: datetime | None = None,
    say: Callable[[str], None] = _quiet,
) -> bool:
    """Add the demo outreach to ``commune``, the parts it has none of; whether anything
    was written. ``official`` (the demo commune official) logs contacts and approves
    notices; ``officer`` (the demo village officer) leads the team of their village,
    logs its contacts and wrote a notice awaiting approval."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if official is None:
        say("No demo commune official: no outreach added.")
        return False
    users = {OFFICIAL: official, OFFICER: officer}
    with transaction.atomic():
        villages, households = _registry(commune)
        officer_village = _officer_village(officer, villages)
        wrote = _teams(commune, villages, households, users, officer_village,
                       today=today, say=say)  # fmt: skip
        wrote |= _groups(commune, villages, say=say)
        wrote |= _notices(commune, villages, users, officer_village, now=now, say=say)
    return wrote


def _registry(commune: Commune) -> tuple[list[DemoVillage], list[DemoHousehold]]:
    active = Household.objects.filter(commune=commune, is_active=True)
    sizes = dict(active.values_list("village").annotate(n=Count("id")))
    villages = [
        DemoVillage(pk, code, name, minority, sizes.get(pk, 0))
        for pk, code, name, minority in commune.villages.order_by(
            "sort_order", "pk"
        ).values_list("pk", "code", "name", "is_ethnic_minority")
    ]
    households = [
        DemoHousehold(
            pk=pk,
            village=village,
            status=status,
            phone_ok=bool(phone) and consent,
            minority=ethnic not in (None, KINH),
        )
        for pk, village, status, phone, consent, ethnic in active.order_by(
            "pk"
        ).values_list(
            "pk",
            "village_id",
            "current_status",
            "phone",
            "contact_consent",
            "ethnic_group__code",
        )
    ]
    return villages, households


def _officer_village(officer, villages: list[DemoVillage]) -> int | None:
    if officer is None:
        return None
    theirs = set(officer.villages.values_list("pk", flat=True))
    return next((v.pk for v in villages if v.pk in theirs), None)


# --- Teams, contacts, applications -------------------------------------------------------


def _teams(commune, villages, households, users, officer_village, *, today, say):
    teams = DigitalTeam.objects.filter(village__commune=commune).count()
    contacts = Contact.objects.filter(commune=commune).count()
    if teams or contacts:
        say(f"{commune} already has {teams:,} digital teams and {contacts:,} contacts: "
            "no teams, contacts or applications added.")  # fmt: skip
        return False
    if not villages:
        return False
    rng = random.Random(2025)  # noqa: S311 (demo data, reproducible on purpose)
    officer = users[OFFICER]
    numbers = UniqueNumbers(
        phones={
            *Household.objects.exclude(phone="").values_list("phone", flat=True),
            *TeamMember.objects.exclude(phone="").values_list("phone", flat=True),
        }
    )
    team_plans = plan_teams(
        rng,
        villages,
        numbers=numbers,
        today=today,
        officer=(
            (officer_village, officer.full_name or officer.get_full_name())
            if officer_village
            else None
        ),
    )
    contact_plans = plan_contacts(rng, villages, households, team_plans, today=today,
                                  tz=timezone.get_current_timezone(),
                                  officer_village=officer_village)  # fmt: skip
    application_plans = plan_applications(rng, villages, households, team_plans,
                                          today=today, officer_village=officer_village)  # fmt: skip
    contact_plans += plan_resident_requests(
        rng, villages, households, numbers=numbers, today=today,
        tz=timezone.get_current_timezone(), officer_village=officer_village,
    )  # fmt: skip
    say(f"Writing {len(team_plans)} digital teams, {len(contact_plans):,} contacts and "
        f"{len(application_plans):,} assisted applications...")  # fmt: skip

    rows = [
        DigitalTeam(village_id=p.village, established_on=p.established_on,
                    decision_number=p.decision_number, note=p.note)
        for p in team_plans
    ]  # fmt: skip
    DigitalTeam.objects.bulk_create(rows)
    members = [
        TeamMember(
            team=team, full_name=m.full_name, name_folded=fold(m.full_name),
            phone=m.phone, role=m.role, is_youth_union=m.is_youth_union,
            user=officer if m.is_officer else None, joined_on=m.joined_on,
            left_on=m.left_on,
        )
        for team, plan in zip(rows, team_plans, strict=True)
        for m in plan.members
    ]  # fmt: skip
    TeamMember.objects.bulk_create(members, batch_size=BATCH)
    member_ids = {
        m.key: row.pk
        for row, m in zip(
            members, (m for p in team_plans for m in p.members), strict=True
        )
    }

    contacts = []
    for p in contact_plans:
        done = p.follow_up_done_at is not None
        contacts.append(Contact(
            commune=commune, village_id=p.village, household_id=p.household,
            channel=p.channel, contacted_on=p.contacted_on, outcome=p.outcome,
            note=p.note, people_count=p.people_count,
            made_by=users[p.by] if p.by else None,
            team_member_id=member_ids[p.member] if p.member else None,
            follow_up_on=p.follow_up_on, follow_up_done_at=p.follow_up_done_at,
            follow_up_done_by=users[p.done_by or p.by] if done else None,
            follow_up_note=p.follow_up_note, requester_name=p.requester_name,
            requester_phone=p.requester_phone,
        ))  # fmt: skip
    Contact.objects.bulk_create(contacts, batch_size=BATCH)
    ContactTopic.objects.bulk_create(
        [
            ContactTopic(contact_id=row.pk, topic=topic)
            for row, p in zip(contacts, contact_plans, strict=True)
            for topic in p.topics
        ],
        batch_size=BATCH,
    )
    AssistedApplication.objects.bulk_create(
        [
            AssistedApplication(
                household_id=p.household,
                service=p.service,
                service_detail=p.service_detail,
                filed_on=p.filed_on,
                reference_number=p.reference_number,
                status=p.status,
                helped_by_id=member_ids[p.member] if p.member else None,
                recorded_by=users[p.by],
                follow_up_on=p.follow_up_on,
                note=p.note,
            )
            for p in application_plans
        ],
        batch_size=BATCH,
    )
    return True


# --- Village groups and notices ----------------------------------------------------------


def _groups(commune, villages, *, say) -> bool:
    existing = VillageGroup.objects.filter(village__commune=commune).count()
    if existing:
        say(f"{commune} already has {existing:,} village groups: none added.")
        return False
    VillageGroup.objects.bulk_create(
        VillageGroup(village_id=g.village, channel=g.channel, name=g.name)
        for g in plan_groups(villages)
    )
    return True


def _notices(commune, villages, users, officer_village, *, now, say) -> bool:
    existing = Notice.objects.filter(commune=commune).count()
    if existing:
        say(f"{commune} already has {existing:,} notices: none added.")
        return False
    if not villages:
        return False
    rng = random.Random(2025)  # noqa: S311 (demo data, reproducible on purpose)
    plans = plan_notices(villages, now=now, tz=timezone.get_current_timezone(),
                         officer_village=officer_village)  # fmt: skip
    for plan in plans:
        approved = plan.approved_at is not None
        notice = Notice(
            commune=commune, title=plan.title, body=plan.body,
            second_language=plan.second_language, body_second=plan.body_second,
            audience=plan.audience, status=plan.status,
            scheduled_at=plan.scheduled_at, author=users[plan.author],
            approved_by=users[OFFICIAL] if approved else None,
            approved_at=plan.approved_at, dispatched_at=plan.dispatched_at,
        )  # fmt: skip
        notice.save()
        notice.villages.set(plan.villages)
        notice.second_language_villages.set(plan.second_language_villages)
        last = plan.approved_at or plan.created_at
        if plan.status == NoticeStatus.DONE:
            last = _sent_deliveries(notice, users, officer_village, rng)
        # The history of the demo: written, approved and sent in the past.
        Notice.objects.filter(pk=notice.pk).update(
            created_at=plan.created_at, updated_at=last
        )
    return True


def _sent_deliveries(notice: Notice, users, officer_village, rng) -> datetime:
    """Every group of a finished notice got it: the console at once, a relay group once
    someone forwarded it (the village officer in their village; elsewhere the commune
    official, told on the phone). Returns when the last one was sent."""
    second = set(notice.second_language_villages.values_list("pk", flat=True))
    started = notice.dispatched_at
    rows = []
    for n, group in enumerate(notice_target_groups(notice).order_by("pk")):
        row = Delivery(
            notice=notice, group=group, status=DeliveryStatus.SENT,
            text=notice_text(notice, with_second_language=group.village_id in second),
        )  # fmt: skip
        if group.channel == GroupChannel.RELAY:
            row.sent_at = started + timedelta(minutes=rng.randint(20, 240))
            by = OFFICER if group.village_id == officer_village else OFFICIAL
            row.confirmed_by = users[by]
        else:
            row.attempts = 1
            row.wired_at = started + timedelta(milliseconds=300 * n)
            row.sent_at = row.wired_at + timedelta(milliseconds=200)
        row.provider_id = "-"  # the real one needs the row's id, below
        rows.append(row)
    Delivery.objects.bulk_create(rows)
    for row in rows:
        # As the channels write them: "console-<delivery>", "relay:<who confirmed>".
        if row.group.channel == GroupChannel.RELAY:
            row.provider_id = f"{RELAY_PROVIDER_PREFIX}{row.confirmed_by.pk}"
        else:
            row.provider_id = f"{row.group.channel}-{row.pk}"
        row.created_at = started
    Delivery.objects.bulk_update(rows, ["provider_id", "created_at"])
    return max((r.sent_at for r in rows), default=started)


# --- The summary -------------------------------------------------------------------------


class OutreachCounts(NamedTuple):
    """What the commune's outreach holds, for the command's summary."""

    teams: int
    members: int  # active
    youth_union: int  # active
    left: int
    contacts: int
    reached: int  # households reached in the last COVERAGE_DAYS days
    open_follow_ups: int
    applications: int
    open_applications: int
    groups: int
    relay_groups: int
    notices: int


def demo_outreach_counts(
    commune: Commune, *, today: date | None = None
) -> OutreachCounts:
    today = today or timezone.localdate()
    members = TeamMember.objects.filter(team__village__commune=commune).aggregate(
        active=Count("pk", filter=Q(left_on__isnull=True)),
        youth=Count("pk", filter=Q(left_on__isnull=True, is_youth_union=True)),
        left=Count("pk", filter=Q(left_on__isnull=False)),
    )
    contacts = Contact.objects.filter(commune=commune)
    applications = AssistedApplication.objects.filter(household__commune=commune)
    groups = VillageGroup.objects.filter(village__commune=commune)
    since = today - timedelta(days=COVERAGE_DAYS - 1)
    return OutreachCounts(
        teams=DigitalTeam.objects.filter(village__commune=commune).count(),
        members=members["active"],
        youth_union=members["youth"],
        left=members["left"],
        contacts=contacts.count(),
        reached=contacts.reached()
        .filter(contacted_on__gte=since, contacted_on__lte=today)
        .values("household")
        .distinct()
        .count(),
        open_follow_ups=contacts.follow_ups_open().count(),
        applications=applications.count(),
        open_applications=applications.filter(
            status__in=OPEN_APPLICATION_STATUSES
        ).count(),
        groups=groups.count(),
        relay_groups=groups.filter(channel=GroupChannel.RELAY).count(),
        notices=Notice.objects.filter(commune=commune).count(),
    )
