"""Reads of the digital teams: counts against hand-built teams, the leader on each row,
the user's scope, and a number of queries that does not grow with the villages."""

from datetime import date

import pytest
from django.http import Http404

from outreach.models import TeamRole
from outreach.selectors import (
    active_members_of_village,
    team_get_for,
    team_members,
    team_rows_for,
    team_totals,
    teams_for,
)
from tests.factories import VillageFactory
from tests.factories.outreach import DigitalTeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

LEFT = date(2025, 1, 31)


@pytest.fixture
def teams(village, other_village):
    """Thôn 1: leader (Youth Union), deputy, member (Youth Union), and a former leader
    (Youth Union) who left. Buôn Tiêu: two members, no leader. Thôn 3: no team."""
    first = DigitalTeamFactory(village=village)
    TeamMemberFactory(
        team=first,
        full_name="Nguyễn Văn An",
        phone="0912000001",
        role=TeamRole.LEADER,
        is_youth_union=True,
    )
    TeamMemberFactory(team=first, full_name="Trần Thị Bình", role=TeamRole.DEPUTY)
    TeamMemberFactory(team=first, full_name="Ân Văn Cư", is_youth_union=True)
    TeamMemberFactory(
        team=first,
        full_name="Lê Văn Cũ",
        role=TeamRole.LEADER,
        is_youth_union=True,
        left_on=LEFT,
    )
    second = DigitalTeamFactory(village=other_village)
    TeamMemberFactory(team=second, full_name="Y Bhin Niê")
    TeamMemberFactory(team=second, full_name="H'Hen Niê", left_on=LEFT)
    VillageFactory(commune=village.commune, code="T03", name="Thôn 3")
    return first, second


def test_rows_are_every_village_with_its_counts_and_leader(official, teams):
    rows = {row.name: row for row in team_rows_for(official)}
    assert list(rows) == ["Thôn 1", "Buôn Tiêu", "Thôn 3"]
    first = rows["Thôn 1"]
    assert first.team == teams[0]
    assert (first.active_members, first.youth_union_members) == (3, 2)
    assert (first.leader_name, first.leader_phone) == ("Nguyễn Văn An", "0912000001")
    second = rows["Buôn Tiêu"]
    assert (second.active_members, second.youth_union_members) == (1, 0)
    assert second.leader_name == ""
    assert rows["Thôn 3"].team is None
    assert rows["Thôn 3"].active_members == 0


def test_totals_of_the_commune_and_of_an_officer(official, officer, teams):
    assert team_totals(official) == {
        "villages": 3,
        "teams": 2,
        "members": 4,
        "youth_union": 2,
        "without_team": 1,
    }
    assert team_totals(officer) == {
        "villages": 1,
        "teams": 1,
        "members": 3,
        "youth_union": 2,
        "without_team": 0,
    }


def test_a_village_officer_sees_only_their_team(officer, teams):
    assert [row.name for row in team_rows_for(officer)] == ["Thôn 1"]
    assert list(teams_for(officer)) == [teams[0]]
    assert team_get_for(officer, teams[0].pk) == teams[0]
    with pytest.raises(Http404):
        team_get_for(officer, teams[1].pk)


def test_another_commune_sees_nothing(foreign_official, teams):
    assert team_rows_for(foreign_official) == []
    assert team_totals(foreign_official)["members"] == 0
    with pytest.raises(Http404):
        team_get_for(foreign_official, teams[0].pk)


def test_members_leader_first_then_by_name_and_the_former_apart(teams):
    members = team_members(teams[0])
    assert [m.full_name for m in members["current"]] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Ân Văn Cư",
    ]
    assert [m.full_name for m in members["former"]] == ["Lê Văn Cũ"]


def test_who_may_have_helped(village, teams):
    assert [m.full_name for m in active_members_of_village(village.pk)] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Ân Văn Cư",
    ]
    former = teams[0].members.get(full_name="Lê Văn Cũ")
    names = [m.full_name for m in active_members_of_village(village.pk, also=former.pk)]
    assert "Lê Văn Cũ" in names


def _build(commune, count: int) -> None:
    for n in range(count):
        team = DigitalTeamFactory(
            village=VillageFactory(commune=commune, code=f"Q{n:02d}")
        )
        TeamMemberFactory(team=team, role=TeamRole.LEADER, is_youth_union=True)
        TeamMemberFactory.create_batch(3, team=team)


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_and_totals_take_the_same_queries_at_any_size(
    official, commune, count, django_assert_num_queries
):
    _build(commune, count)
    with django_assert_num_queries(1):
        rows = team_rows_for(official)
        assert len(rows) == count
        assert all(row.active_members == 4 for row in rows)
        assert all(row.leader_name for row in rows)
    with django_assert_num_queries(2):
        assert team_totals(official)["members"] == 4 * count
