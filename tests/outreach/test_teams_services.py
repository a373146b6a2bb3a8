"""Digital team services: who may set up and change a team, one team per village, one
active leader, phones like the registry's, dates, and nothing half-saved on a refusal.

"Today" is pinned to 15/06/2025 in Asia/Ho_Chi_Minh. Messages are compared in Vietnamese
(the default language), looked up with ``vi()``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditAction, AuditEntry
from outreach.models import DigitalTeam, TeamMember, TeamRole
from outreach.services import (
    member_add,
    member_leave,
    member_update,
    team_create,
    team_update,
)
from tests.factories import UserFactory
from tests.factories.outreach import DigitalTeamFactory, TeamMemberFactory
from tests.pages import vi

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def team(village):
    return DigitalTeamFactory(village=village)


def errors_of(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


def new_team(actor, village, **overrides):
    kwargs = {
        "established_on": date(2023, 3, 15),
        "decision_number": " 125/QĐ-UBND ",
        "note": "",
    }
    kwargs.update(overrides)
    return team_create(actor=actor, village=village, **kwargs)


# --- Setting up a team ----------------------------------------------------------------


def test_an_official_sets_up_the_team_of_any_village_of_the_commune(
    official, other_village
):
    team = new_team(official, other_village)
    assert team.village == other_village
    assert team.decision_number == "125/QĐ-UBND"
    entry = AuditEntry.objects.get(object_id=team.pk, action=AuditAction.CREATE)
    assert entry.actor == official
    assert entry.changes["decision_number"] == [None, "125/QĐ-UBND"]


def test_a_village_officer_sets_up_only_their_own_village(
    officer, village, other_village
):
    assert new_team(officer, village).village == village
    with pytest.raises(PermissionDenied):
        new_team(officer, other_village)
    assert not DigitalTeam.objects.filter(village=other_village).exists()


def test_an_official_of_another_commune_cannot(foreign_official, village):
    with pytest.raises(PermissionDenied):
        new_team(foreign_official, village)
    assert not DigitalTeam.objects.exists()


def test_one_team_per_village_with_a_clear_message(official, village, team):
    with pytest.raises(ValidationError) as exc:
        new_team(official, village, decision_number="200/QĐ-UBND")
    assert errors_of(exc)["village"] == [
        vi(
            "%(village)s already has a digital team; open it from the list of teams "
            "to change it or add members.",
            village="Thôn 1",
        )
    ]
    assert DigitalTeam.objects.count() == 1


def test_two_officials_setting_up_the_same_team_at_once(official, village, monkeypatch):
    """The other official's team is saved between the check and this save: the
    database refuses the second, and the person reads the same message."""

    def other_official_saves_first(self, *args, **kwargs):
        DigitalTeam.objects.create(
            village=village, established_on=date(2023, 1, 1), decision_number="1/QĐ"
        )

    monkeypatch.setattr(DigitalTeam, "full_clean", other_official_saves_first)
    with pytest.raises(ValidationError) as exc:
        new_team(official, village)
    assert "village" in errors_of(exc)
    assert DigitalTeam.objects.get().decision_number == "1/QĐ"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"established_on": date(2025, 6, 16)}, "established_on", "future"),
        ({"established_on": date(2019, 12, 31)}, "established_on", "2020"),
        ({"decision_number": "   "}, "decision_number", "decision"),
    ],
)
def test_a_team_needs_a_plausible_date_and_a_decision(
    official, village, overrides, field, message
):
    expected = {
        "future": vi("This date is in the future."),
        "2020": vi("The team cannot be older than 2020."),
        "decision": vi(
            "Enter the number of the decision that set up the team, e.g. 125/QĐ-UBND."
        ),
    }[message]
    with pytest.raises(ValidationError) as exc:
        new_team(official, village, **overrides)
    assert errors_of(exc)[field] == [expected]
    assert not DigitalTeam.objects.exists()
    assert not AuditEntry.objects.exists()


def test_team_update_changes_and_records_what_changed(official, team):
    team_update(
        actor=official,
        team=team,
        established_on=date(2023, 4, 1),
        decision_number="130/QĐ-UBND",
        note="Bổ sung thành viên",
    )
    team.refresh_from_db()
    assert (team.established_on, team.decision_number) == (
        date(2023, 4, 1),
        "130/QĐ-UBND",
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=team.pk)
    assert entry.changes["established_on"] == ["2023-03-15", "2023-04-01"]


def test_team_update_refuses_a_future_date_and_another_village(
    officer, team, other_village
):
    with pytest.raises(ValidationError) as exc:
        team_update(actor=officer, team=team, established_on=date(2026, 1, 1))
    assert "established_on" in errors_of(exc)
    other = DigitalTeamFactory(village=other_village)
    with pytest.raises(PermissionDenied):
        team_update(actor=officer, team=other, note="x")
    team.refresh_from_db()
    other.refresh_from_db()
    assert team.established_on == date(2023, 3, 15)
    assert other.note == ""


# --- Members ----------------------------------------------------------------------------


def add(actor, team, **overrides):
    kwargs = {"full_name": "  Y  Bhin   Niê ", "phone": "", "role": TeamRole.MEMBER}
    kwargs.update(overrides)
    return member_add(actor=actor, team=team, **kwargs)


def test_a_member_is_added_with_name_and_phone_tidied(officer, team):
    member = add(
        officer,
        team,
        phone="+84 912.345-678",
        is_youth_union=True,
        joined_on=date(2024, 1, 5),
    )
    assert member.full_name == "Y Bhin Niê"
    assert member.phone == "0912345678"
    assert member.is_youth_union
    entry = AuditEntry.objects.get(object_id=member.pk, action=AuditAction.CREATE)
    assert entry.parent_id == team.pk
    assert entry.changes["phone"] == [None, "0912345678"]


@pytest.mark.parametrize("phone", ["0212345678", "091234567", "09123456789", "abc"])
def test_a_phone_that_is_not_a_vietnamese_mobile_is_refused(official, team, phone):
    with pytest.raises(ValidationError) as exc:
        add(official, team, phone=phone)
    assert errors_of(exc)["phone"] == [
        vi(
            "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 "
            "or 09 (or +84 followed by 9 digits)."
        )
    ]
    assert not TeamMember.objects.exists()


def test_one_active_leader_per_team(official, team):
    leader = add(official, team, full_name="Nguyễn Văn An", role=TeamRole.LEADER)
    with pytest.raises(ValidationError) as exc:
        add(official, team, full_name="Trần Thị Bình", role=TeamRole.LEADER)
    assert errors_of(exc)["role"] == [vi("This team already has a leader.")]
    assert TeamMember.objects.count() == 1
    # A leader who leaves frees the place.
    member_leave(actor=official, member=leader, left_on=date(2025, 6, 1))
    successor = add(official, team, full_name="Trần Thị Bình", role=TeamRole.LEADER)
    assert successor.role == TeamRole.LEADER


def test_each_team_has_its_own_leader(official, team, other_village):
    other_team = DigitalTeamFactory(village=other_village)
    add(official, team, role=TeamRole.LEADER)
    assert add(official, other_team, role=TeamRole.LEADER).role == TeamRole.LEADER


def test_two_officials_naming_a_leader_at_once(official, team, monkeypatch):
    """Both passed the check; the database keeps one leader and the second person
    reads the constraint's message on the role, not an error page."""
    from outreach.services import teams as team_services

    add(official, team, full_name="Nguyễn Văn An", role=TeamRole.LEADER)
    monkeypatch.setattr(team_services, "_check_member", lambda member: None)
    with pytest.raises(ValidationError) as exc:
        add(official, team, full_name="Trần Thị Bình", role=TeamRole.LEADER)
    assert errors_of(exc) == {"role": [vi("This team already has a leader.")]}
    assert list(TeamMember.objects.values_list("full_name", flat=True)) == [
        "Nguyễn Văn An"
    ]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == 1


def test_the_same_phone_twice_in_a_team_is_refused(official, team, other_village):
    add(official, team, phone="0912345678")
    with pytest.raises(ValidationError) as exc:
        add(official, team, full_name="Người khác", phone="091 234 5678")
    assert errors_of(exc)["phone"] == [
        vi("A member of this team already has this phone number.")
    ]
    # Another village's team may have the same person's number.
    other_team = DigitalTeamFactory(village=other_village)
    assert add(official, other_team, phone="0912345678").phone == "0912345678"


def test_member_dates_and_name(official, team):
    with pytest.raises(ValidationError) as exc:
        add(official, team, full_name="  ", joined_on=date(2025, 6, 16))
    assert errors_of(exc) == {
        "full_name": [vi("Enter the member's full name.")],
        "joined_on": [vi("This date is in the future.")],
    }
    assert not TeamMember.objects.exists()


def test_a_portal_account_must_be_of_the_commune(
    official, team, officer, foreign_official
):
    assert add(official, team, user=officer).user == officer
    with pytest.raises(ValidationError) as exc:
        add(official, team, full_name="Người ngoài", user=foreign_official)
    assert "user" in errors_of(exc)
    inactive = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=team.village.commune, is_active=False
    )
    with pytest.raises(ValidationError):
        add(official, team, full_name="Người nghỉ", user=inactive)
    assert TeamMember.objects.count() == 1


def test_a_village_officer_cannot_add_to_another_village(officer, other_village):
    other_team = DigitalTeamFactory(village=other_village)
    with pytest.raises(PermissionDenied):
        add(officer, other_team)
    assert not TeamMember.objects.exists()


def test_member_update_changes_and_records(official, team):
    member = TeamMemberFactory(team=team, phone="0912345678")
    member_update(
        actor=official,
        member=member,
        full_name="Nguyễn  Thị Hoa",
        phone="+84 987 654 321",
        role=TeamRole.DEPUTY,
        is_youth_union=True,
    )
    member.refresh_from_db()
    assert (member.full_name, member.phone, member.role, member.is_youth_union) == (
        "Nguyễn Thị Hoa",
        "0987654321",
        TeamRole.DEPUTY,
        True,
    )
    assert member.name_folded == "nguyen thi hoa"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=member.pk)
    assert entry.changes["phone"] == ["0912345678", "0987654321"]
    assert entry.parent_id == team.pk


def test_member_update_keeps_one_leader_and_changes_nothing_on_refusal(official, team):
    TeamMemberFactory(team=team, role=TeamRole.LEADER)
    member = TeamMemberFactory(team=team, full_name="Lê Văn Cường")
    with pytest.raises(ValidationError) as exc:
        member_update(
            actor=official, member=member, full_name="Lê Văn C", role=TeamRole.LEADER
        )
    assert errors_of(exc)["role"] == [vi("This team already has a leader.")]
    member.refresh_from_db()
    assert (member.full_name, member.role) == ("Lê Văn Cường", TeamRole.MEMBER)
    assert not AuditEntry.objects.exists()


def test_a_leader_may_be_saved_again_as_leader(official, team):
    leader = TeamMemberFactory(team=team, role=TeamRole.LEADER)
    member_update(actor=official, member=leader, role=TeamRole.LEADER, phone="")
    leader.refresh_from_db()
    assert (leader.role, leader.phone) == (TeamRole.LEADER, "")


def test_a_member_who_left_is_not_edited(official, team):
    member = TeamMemberFactory(team=team, left_on=date(2025, 1, 31))
    with pytest.raises(ValidationError) as exc:
        member_update(actor=official, member=member, full_name="Tên mới")
    assert exc.value.messages == [
        vi(
            "%(name)s left the team on %(date)s; the record is kept as it was.",
            name=member.full_name,
            date="31/01/2025",
        )
    ]


# --- Leaving ----------------------------------------------------------------------------


def test_member_leave_sets_the_date_and_is_recorded(officer, team):
    member = TeamMemberFactory(team=team, joined_on=date(2023, 3, 15))
    member_leave(actor=officer, member=member, left_on=date(2025, 6, 15))
    member.refresh_from_db()
    assert member.left_on == date(2025, 6, 15)
    assert not TeamMember.objects.active().filter(pk=member.pk).exists()
    entry = AuditEntry.objects.get(object_id=member.pk)
    assert entry.action == AuditAction.ARCHIVE
    assert entry.changes == {"left_on": [None, "2025-06-15"]}


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        (date(2025, 6, 16), "This date is in the future."),
        (
            date(2023, 3, 14),
            "The date of leaving cannot be before the date of joining.",
        ),
    ],
)
def test_member_leave_refuses_impossible_dates(official, team, left_on, message):
    member = TeamMemberFactory(team=team, joined_on=date(2023, 3, 15))
    with pytest.raises(ValidationError) as exc:
        member_leave(actor=official, member=member, left_on=left_on)
    assert errors_of(exc)["left_on"] == [vi(message)]
    member.refresh_from_db()
    assert member.left_on is None
    assert not AuditEntry.objects.exists()


def test_leaving_twice_is_refused(official, team):
    member = TeamMemberFactory(team=team)
    member_leave(actor=official, member=member, left_on=date(2025, 6, 1))
    with pytest.raises(ValidationError):
        member_leave(actor=official, member=member, left_on=date(2025, 6, 10))
    member.refresh_from_db()
    assert member.left_on == date(2025, 6, 1)


def test_a_village_officer_cannot_end_a_membership_elsewhere(officer, other_village):
    member = TeamMemberFactory(team=DigitalTeamFactory(village=other_village))
    with pytest.raises(PermissionDenied):
        member_leave(actor=officer, member=member, left_on=date(2025, 6, 1))
    member.refresh_from_db()
    assert member.left_on is None
