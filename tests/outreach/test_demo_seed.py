"""The demo outreach: ``manage.py seed_demo`` at a small size (600 households).

The command runs once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint on top of it. The commune's own size (279 members in
46 teams) is checked on the plan, which needs no database.
"""

import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from io import StringIO
from random import Random
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.utils import timezone

from households import demo as registry_demo
from households.models import Commune, Household, PovertyStatus, Village
from outreach.demo import (
    OFFICER,
    OFFICIAL,
    DemoHousehold,
    DemoVillage,
    plan_contacts,
    plan_teams,
    team_sizes,
    team_total,
)
from outreach.models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    AssistedApplication,
    Audience,
    Contact,
    ContactChannel,
    ContactTopic,
    Delivery,
    DeliveryStatus,
    DigitalTeam,
    GroupChannel,
    Notice,
    NoticeSource,
    NoticeStatus,
    TeamMember,
    TeamRole,
    VillageGroup,
)
from outreach.services import notice_target_groups

SIZE = 600
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
LISTED = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)


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
        "teams": DigitalTeam.objects.count(),
        "members": TeamMember.objects.count(),
        "contacts": Contact.objects.count(),
        "topics": ContactTopic.objects.count(),
        "applications": AssistedApplication.objects.count(),
        "groups": VillageGroup.objects.count(),
        "notices": Notice.objects.count(),
        "deliveries": Delivery.objects.count(),
    }


# --- The plan, without the database ------------------------------------------------------


def _default_villages() -> list[DemoVillage]:
    sizes = registry_demo.village_sizes(registry_demo.DEFAULT_HOUSEHOLDS)
    return [
        DemoVillage(pk, spec.code, spec.name, spec.is_ethnic_minority, n)
        for pk, (spec, n) in enumerate(
            zip(registry_demo.VILLAGES, sizes, strict=True), start=1
        )
    ]


def test_the_commune_own_size_gives_279_members_in_46_teams():
    villages = _default_villages()
    buon_tieu = next(v for v in villages if v.name == "Buôn Tiêu")
    teams = plan_teams(
        Random(2025),
        villages,
        numbers=registry_demo.UniqueNumbers(),
        today=date(2026, 11, 29),
        officer=(buon_tieu.pk, "Y Bhin Niê"),
    )
    active = [m for team in teams for m in team.active]
    assert len(teams) == 46
    assert len(active) == 279
    assert all(5 <= len(team.active) <= 8 for team in teams)
    by_village = {team.village: len(team.active) for team in teams}
    assert by_village[buon_tieu.pk] == 8  # the biggest village, the biggest team
    for team in teams:
        roles = Counter(m.role for m in team.active)
        assert roles[TeamRole.LEADER] == 1
        assert 1 <= roles[TeamRole.DEPUTY] <= 2
        assert team.established_on.year == 2022
        assert re.fullmatch(r"\d+/QĐ-UBND", team.decision_number)
        assert len({m.full_name for m in team.members}) == len(team.members)
    youth = sum(m.is_youth_union for m in active) / len(active)
    assert 0.35 <= youth <= 0.45
    left = [m for team in teams for m in team.members if not m.is_active]
    assert left and all(m.joined_on <= m.left_on for m in left)
    phones = [m.phone for team in teams for m in team.members]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"0[35789]\d{8}", phone) for phone in phones)
    leader = next(m for m in active if m.is_officer)
    assert (leader.full_name, leader.role) == ("Y Bhin Niê", TeamRole.LEADER)


@pytest.mark.parametrize("households", [0, SIZE, 8500, 20_000])
def test_team_sizes_add_up_to_the_total_in_proportion(households):
    sizes = team_sizes(registry_demo.village_sizes(households))
    assert sum(sizes) == team_total(households, 46)
    assert team_total(households, 46) == max(5 * 46, round(279 * households / 8500))
    assert min(sizes) >= 5


def _plan(seed: int, today: date):
    """Teams and contacts for 46 villages of ten households each (two of them poor)."""
    villages = _default_villages()
    households = [
        DemoHousehold(
            pk=village.pk * 100 + i,
            village=village.pk,
            status=PovertyStatus.POOR if i < 2 else PovertyStatus.NONE,
            phone_ok=i % 2 == 0,
            minority=village.is_ethnic_minority,
        )
        for village in villages
        for i in range(10)
    ]
    rng, officer_village = Random(seed), villages[32].pk  # Buôn Tiêu
    teams = plan_teams(rng, villages, numbers=registry_demo.UniqueNumbers(),
                       today=today, officer=(officer_village, "Y Bhin Niê"))  # fmt: skip
    contacts = plan_contacts(rng, villages, households, teams, today=today, tz=HCM,
                             officer_village=officer_village)  # fmt: skip
    return teams, contacts, officer_village


def test_the_plan_is_the_same_every_time_and_leaves_the_officer_follow_ups():
    today = date(2026, 11, 29)
    teams, contacts, officer_village = _plan(7, today)
    assert (teams, contacts) == _plan(7, today)[:2]
    assert contacts != _plan(8, today)[1]
    open_ = [
        c
        for c in contacts
        if c.village == officer_village and c.follow_up_on and not c.follow_up_done_at
    ]
    assert sum(c.follow_up_on < today for c in open_) >= 3
    assert sum(c.follow_up_on >= today for c in open_) >= 3
    assert all(c.by == OFFICER for c in contacts if c.village == officer_village)
    assert all(c.by == OFFICIAL for c in contacts if c.village != officer_village)
    assert all(today - timedelta(days=365) < c.contacted_on <= today for c in contacts)


# --- Teams -------------------------------------------------------------------------------


def test_every_village_has_one_team_with_one_leader(commune):
    villages = Village.objects.filter(commune=commune)
    assert DigitalTeam.objects.filter(village__commune=commune).count() == 46
    assert set(DigitalTeam.objects.values_list("village", flat=True)) == set(
        villages.values_list("pk", flat=True)
    )
    leaders = DigitalTeam.objects.annotate(
        n=Count("members", filter=Q(members__role="leader", members__left_on=None))
    )
    assert set(leaders.values_list("n", flat=True)) == {1}


def test_active_members_are_the_total_for_the_size_and_leavers_do_not_count(
    commune, seeded
):
    active = TeamMember.objects.active()
    expected = team_total(SIZE, 46)
    assert expected == 230
    assert active.count() == expected
    assert TeamMember.objects.filter(left_on__isnull=False).exists()
    youth = active.filter(is_youth_union=True).count()
    assert 0.3 * expected <= youth <= 0.5 * expected
    assert f"46 teams, {expected} members ({youth} Youth Union members" in seeded


def test_the_village_officer_is_on_the_buon_tieu_team_with_their_login(commune):
    member = TeamMember.objects.select_related("team__village", "user").get(
        user__username="thonbuontieu"
    )
    assert member.team.village.name == "Buôn Tiêu"
    assert member.left_on is None
    assert member.full_name == member.user.full_name


# --- Contacts ----------------------------------------------------------------------------


def test_every_village_has_meetings_and_contacts_over_the_year(commune):
    today = timezone.localdate()
    for village in Village.objects.filter(commune=commune):
        contacts = Contact.objects.filter(village=village)
        meetings = contacts.filter(channel=ContactChannel.MEETING)
        assert meetings.count() >= 5, village  # monthly, a few skipped
        assert not meetings.filter(people_count=None).exists()
        assert contacts.filter(channel=ContactChannel.ZALO_GROUP).exists()
    dates = Contact.objects.values_list("contacted_on", flat=True)
    assert today - timedelta(days=365) < min(dates) and max(dates) <= today
    with_household = Contact.objects.filter(household__isnull=False)
    assert with_household.values("village").distinct().count() >= 36
    assert not Contact.objects.annotate(n=Count("topics")).filter(n=0).exists()
    assert not with_household.exclude(people_count=None).exists()


def test_poor_and_near_poor_are_reached_most_but_not_all(commune):
    since = timezone.localdate() - timedelta(days=89)
    reached = set(
        Contact.objects.reached()
        .filter(contacted_on__gte=since)
        .values_list("household", flat=True)
    )
    listed = list(
        Household.objects.filter(current_status__in=LISTED).values_list("pk", flat=True)
    )
    others = list(
        Household.objects.exclude(current_status__in=LISTED).values_list(
            "pk", flat=True
        )
    )
    listed_share = sum(pk in reached for pk in listed) / len(listed)
    other_share = sum(pk in reached for pk in others) / len(others)
    assert listed_share > 2 * other_share
    assert listed_share < 0.9  # the coverage page has gaps to show
    minority = Contact.objects.filter(household__village__is_ethnic_minority=True)
    assert minority.count() > 0.3 * Contact.objects.exclude(household=None).count()


def test_the_village_officer_has_overdue_and_upcoming_follow_ups(commune):
    today = timezone.localdate()
    mine = Contact.objects.follow_ups_open().filter(made_by__username="thonbuontieu")
    assert mine.filter(follow_up_on__lt=today).count() >= 3
    assert mine.filter(follow_up_on__gte=today).count() >= 3
    assert set(mine.values_list("village__name", flat=True)) == {"Buôn Tiêu"}
    assert set(Contact.objects.made().values_list("made_by__username", flat=True)) == {
        "canbo",
        "thonbuontieu",
    }
    done = Contact.objects.filter(follow_up_done_at__isnull=False)
    assert done.count() > mine.count()
    assert not done.filter(Q(follow_up_done_by=None) | Q(follow_up_note="")).exists()


def test_team_members_who_made_contacts_were_on_the_village_team(commune):
    contacts = Contact.objects.exclude(team_member=None).select_related("team_member")
    assert contacts.count() > 0.4 * Contact.objects.count()
    for contact in contacts.select_related("team_member__team"):
        member = contact.team_member
        assert member.team.village_id == contact.village_id
        assert member.joined_on <= contact.contacted_on
        assert member.left_on is None or contact.contacted_on <= member.left_on


# --- Assisted applications ---------------------------------------------------------------


def test_applications_have_unique_portal_references_and_a_team_helper(commune):
    applications = AssistedApplication.objects.select_related(
        "household", "helped_by__team"
    )
    assert applications.count() == round(320 * SIZE / 8500)
    references = [a.reference_number for a in applications]
    assert len(set(references)) == len(references)
    for application in applications:
        assert re.fullmatch(r"G22\.99-\d{6}-\d{4}", application.reference_number)
        assert application.reference_number[7:13] == (f"{application.filed_on:%y%m%d}")
        assert application.filed_on >= date(2025, 1, 1)
        helper = application.helped_by
        assert helper.team.village_id == application.household.village_id
        assert helper.joined_on <= application.filed_on
    statuses = Counter(a.status for a in applications)
    assert statuses.most_common(1)[0][0] == ApplicationStatus.DONE
    assert statuses[ApplicationStatus.DONE] >= 0.5 * len(references)
    open_ = applications.filter(status__in=OPEN_APPLICATION_STATUSES)
    assert not open_.filter(follow_up_on=None).exists()


# --- Village groups and notices ----------------------------------------------------------


def test_every_village_has_a_console_group_and_the_hamlets_a_relay(commune):
    for village in Village.objects.filter(commune=commune):
        channels = set(village.notice_groups.active().values_list("channel", flat=True))
        assert GroupChannel.CONSOLE in channels
        if village.is_ethnic_minority:
            assert GroupChannel.RELAY in channels
    relays = VillageGroup.objects.filter(channel=GroupChannel.RELAY)
    assert 14 < relays.count() < 20
    assert relays.filter(name="Nhóm Zalo của buôn Tiêu (chuyển tiếp)").exists()
    # The demo never calls a provider.
    assert set(VillageGroup.objects.values_list("channel", flat=True)) == {
        GroupChannel.CONSOLE,
        GroupChannel.RELAY,
    }


def test_notices_satisfy_the_model_and_tell_their_story(commune):
    # The officials' notices (the trainings part adds session reminders after them).
    notices = list(
        Notice.objects.filter(source=NoticeSource.MANUAL).order_by("scheduled_at")
    )
    for notice in notices:
        notice.full_clean()
        notice.validate_constraints()
    assert [n.status for n in notices] == [
        NoticeStatus.DONE,
        NoticeStatus.DONE,
        NoticeStatus.SCHEDULED,
        NoticeStatus.SUBMITTED,
    ]
    now = timezone.now()
    for notice in notices[:2]:
        assert notice.scheduled_at < notice.dispatched_at < now
        assert notice.created_at < notice.approved_at < notice.scheduled_at
        assert notice.approved_by.username == "canbo"
        deliveries = notice.deliveries.all()
        assert {d.group_id for d in deliveries} == set(
            notice_target_groups(notice).values_list("pk", flat=True)
        )
        assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
        assert not deliveries.filter(Q(provider_id="") | Q(sent_at=None)).exists()
    tomorrow = timezone.localdate() + timedelta(days=1)
    scheduled = notices[2]
    assert scheduled.scheduled_at == datetime.combine(tomorrow, time(7, 30), HCM)
    assert scheduled.approved_by.username == "canbo"
    assert not scheduled.deliveries.exists()
    submitted = notices[3]
    assert submitted.author.username == "thonbuontieu"
    assert submitted.approved_by is None and submitted.scheduled_at > now
    assert submitted.audience == Audience.CHOSEN_VILLAGES
    assert [v.name for v in submitted.villages.all()] == ["Buôn Tiêu"]


def test_the_hamlets_get_the_ede_text_and_the_thon_do_not(commune):
    notice = Notice.objects.get(second_language="Ê Đê")
    assert notice.status == NoticeStatus.DONE
    for delivery in notice.deliveries.select_related("group__village"):
        minority = delivery.group.village.is_ethnic_minority
        assert ("[Ê Đê]" in delivery.text) == minority
        assert delivery.text.startswith(notice.title)


# --- Idempotency ------------------------------------------------------------------------


def test_running_it_again_adds_nothing(commune):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", households=SIZE, stdout=out)
    call_command("seed_demo", households=50, stdout=out)
    assert _counts() == before
    assert f"already has {before['teams']} digital teams" in out.getvalue()
    assert f"already has {before['notices']} notices" in out.getvalue()
