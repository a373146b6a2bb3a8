"""The digital team screens through the test client: the list with the commune's totals
and the villages without a team, setting up a team, the team's page and its members,
each within the user's villages. Pages are in Vietnamese; texts come from ``vi()``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from outreach.models import DigitalTeam, TeamMember, TeamRole
from tests.factories import VillageFactory
from tests.factories.outreach import DigitalTeamFactory, TeamMemberFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(village):
    team = DigitalTeamFactory(village=village, decision_number="125/QĐ-UBND")
    TeamMemberFactory(
        team=team,
        full_name="Nguyễn Văn An",
        phone="0912000001",
        role=TeamRole.LEADER,
        is_youth_union=True,
    )
    TeamMemberFactory(team=team, full_name="Trần Thị Bình")
    return team


def team_url(team, name="contacts:team_detail") -> str:
    return reverse(name, args=[team.pk])


def member_data(**overrides) -> dict:
    data = {
        "full_name": "Lê Thị Cúc",
        "phone": "0987 654 321",
        "role": TeamRole.MEMBER,
        "joined_on": "01/06/2025",
        "user": "",
    }
    data.update(overrides)
    return data


# --- The list ---------------------------------------------------------------------------


def test_the_list_shows_totals_teams_and_villages_without_one(
    official_client, team, other_village
):
    response = official_client.get(reverse("contacts:team_list"))
    assert response.status_code == 200
    page = text_of(response)
    assert 'data-total="teams">1<' in page
    assert 'data-total="members">2<' in page
    assert 'data-total="youth_union">1<' in page
    assert 'data-total="without_team">1<' in page
    assert_shows(
        response,
        "Nguyễn Văn An",
        'href="tel:0912000001"',
        "15/03/2023",
        "125/QĐ-UBND",
        vi("no team yet"),
        vi("Set up the team"),
        f"?village={other_village.pk}",
    )


def test_a_village_officer_sees_only_their_village(officer_client, team, other_village):
    DigitalTeamFactory(village=other_village, decision_number="999/QĐ-UBND")
    response = officer_client.get(reverse("contacts:team_list"))
    assert_shows(response, "Thôn 1", "125/QĐ-UBND")
    assert_not_shows(response, "Buôn Tiêu", "999/QĐ-UBND")


@pytest.mark.parametrize("count", [3, 15])
def test_the_list_takes_the_same_queries_at_any_size(
    official_client, commune, count, django_assert_max_num_queries
):
    for n in range(count):
        team = DigitalTeamFactory(
            village=VillageFactory(commune=commune, code=f"Q{n:02d}")
        )
        TeamMemberFactory(team=team, role=TeamRole.LEADER)
        TeamMemberFactory(team=team)
    with django_assert_max_num_queries(6):
        response = official_client.get(reverse("contacts:team_list"))
    assert len(response.context["rows"]) == count


# --- Setting up a team ------------------------------------------------------------------


def test_an_officer_sets_up_the_team_of_their_village(officer_client, village):
    url = reverse("contacts:team_create") + f"?village={village.pk}"
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        {
            "established_on": "20/05/2025",
            "decision_number": "88/QĐ-UBND",
            "note": "",
        },
    )
    team = DigitalTeam.objects.get(village=village)
    assert response.status_code == 302
    assert response["Location"] == team_url(team)
    page = officer_client.get(response["Location"])
    assert_shows(
        page,
        vi(
            "The digital team of %(village)s is set up. Now add its members.",
            village="Thôn 1",
        ),
    )


def test_setting_up_another_village_is_a_404(officer_client, other_village):
    url = reverse("contacts:team_create") + f"?village={other_village.pk}"
    assert officer_client.get(url).status_code == 404
    response = officer_client.post(
        url, {"established_on": "20/05/2025", "decision_number": "1/QĐ"}
    )
    assert response.status_code == 404
    assert not DigitalTeam.objects.exists()


def test_a_village_with_a_team_leads_to_it(official_client, team):
    url = reverse("contacts:team_create") + f"?village={team.village_id}"
    response = official_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == team_url(team)


def test_a_future_date_is_refused_in_vietnamese(official_client, village):
    url = reverse("contacts:team_create") + f"?village={village.pk}"
    response = official_client.post(
        url, {"established_on": "16/06/2025", "decision_number": "1/QĐ"}
    )
    assert response.status_code == 200
    assert_shows(
        response,
        vi("This date is in the future."),
        vi("Nothing was saved. Correct the fields marked in red."),
    )
    assert not DigitalTeam.objects.exists()


def test_the_teams_details_are_corrected(official_client, team):
    response = official_client.post(
        team_url(team, "contacts:team_update"),
        {"established_on": "15/03/2023", "decision_number": "126/QĐ-UBND", "note": ""},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.decision_number == "126/QĐ-UBND"


# --- The team's page and its members ----------------------------------------------------


def test_the_team_page_lists_members_with_phones(officer_client, team):
    TeamMemberFactory(team=team, full_name="Phạm Văn Cũ", left_on=date(2025, 1, 2))
    response = officer_client.get(team_url(team))
    assert response.status_code == 200
    assert [m.full_name for m in response.context["members"]] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
    ]
    assert_shows(
        response,
        'href="tel:0912000001"',
        vi("team leader"),
        vi("Add a member"),
        vi("Left the team"),
        "Phạm Văn Cũ",
        "02/01/2025",
    )


def test_another_villages_team_and_members_are_404(officer_client, other_village):
    other = DigitalTeamFactory(village=other_village)
    member = TeamMemberFactory(team=other)
    for url in (
        team_url(other),
        team_url(other, "contacts:team_update"),
        team_url(other, "contacts:team_member_add"),
        reverse("contacts:team_member_update", args=[other.pk, member.pk]),
        reverse("contacts:team_member_leave", args=[other.pk, member.pk]),
    ):
        assert officer_client.get(url).status_code == 404, url
        assert officer_client.post(url, member_data()).status_code == 404, url
    member.refresh_from_db()
    assert member.left_on is None
    assert TeamMember.objects.count() == 1


def test_a_member_of_another_team_is_404_under_this_one(
    official_client, team, other_village
):
    stranger = TeamMemberFactory(team=DigitalTeamFactory(village=other_village))
    url = reverse("contacts:team_member_update", args=[team.pk, stranger.pk])
    assert official_client.get(url).status_code == 404


def test_members_are_added_one_after_another(officer_client, team):
    url = team_url(team, "contacts:team_member_add")
    response = officer_client.post(url, {**member_data(), "action": "another"})
    assert response.status_code == 302
    assert response["Location"] == url
    member = TeamMember.objects.get(full_name="Lê Thị Cúc")
    assert member.phone == "0987654321"
    assert member.joined_on == date(2025, 6, 1)


def test_a_second_leader_is_refused_in_vietnamese(officer_client, team):
    response = officer_client.post(
        team_url(team, "contacts:team_member_add"),
        member_data(role=TeamRole.LEADER),
    )
    assert response.status_code == 200
    assert_shows(response, vi("This team already has a leader."))
    assert not TeamMember.objects.filter(full_name="Lê Thị Cúc").exists()


def test_a_wrong_phone_is_refused_in_vietnamese(officer_client, team):
    response = officer_client.post(
        team_url(team, "contacts:team_member_add"), member_data(phone="12345")
    )
    assert_shows(
        response,
        vi(
            "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 "
            "or 09 (or +84 followed by 9 digits)."
        ),
    )
    assert TeamMember.objects.count() == 2


def test_a_member_is_changed(officer_client, team):
    member = team.members.get(full_name="Trần Thị Bình")
    url = reverse("contacts:team_member_update", args=[team.pk, member.pk])
    assert_shows(officer_client.get(url), 'value="Trần Thị Bình"')
    response = officer_client.post(
        url,
        member_data(
            full_name="Trần Thị Bình",
            role=TeamRole.DEPUTY,
            is_youth_union="on",
            phone="",
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.role, member.is_youth_union, member.phone) == (
        TeamRole.DEPUTY,
        True,
        "",
    )


def test_the_leader_leaves_and_the_team_has_no_leader(officer_client, team):
    leader = team.members.get(role=TeamRole.LEADER)
    url = reverse("contacts:team_member_leave", args=[team.pk, leader.pk])
    assert_shows(
        officer_client.get(url),
        vi(
            "This is the team leader: after this the team has no leader until you "
            "choose a new one."
        ),
    )
    response = officer_client.post(url, {"left_on": "14/06/2025"}, follow=True)
    leader.refresh_from_db()
    assert leader.left_on == date(2025, 6, 14)
    assert_shows(
        response,
        vi(
            "%(name)s left the team on %(date)s.",
            name="Nguyễn Văn An",
            date="14/06/2025",
        ),
        vi("The team has no leader now: choose a new one."),
    )
    assert [m.full_name for m in response.context["former_members"]] == [
        "Nguyễn Văn An"
    ]
    # The member who left is kept as they were: their edit page sends back.
    edit = reverse("contacts:team_member_update", args=[team.pk, leader.pk])
    assert officer_client.get(edit)["Location"] == team_url(team)


def test_leaving_in_the_future_is_refused(officer_client, team):
    member = team.members.get(full_name="Trần Thị Bình")
    url = reverse("contacts:team_member_leave", args=[team.pk, member.pk])
    response = officer_client.post(url, {"left_on": "20/06/2025"})
    assert_shows(response, vi("This date is in the future."))
    member.refresh_from_db()
    assert member.left_on is None


def test_english_pages_are_complete(client, official, team):
    client.force_login(official)
    response = client.get("/en" + team_url(team))
    assert_shows(response, "Digital team of Thôn 1", "Add a member")


# --- The admin --------------------------------------------------------------------------


def test_the_admin_shows_teams_and_applications_read_only_and_scoped(
    client_for, officer, team, other_village
):
    from tests.factories.outreach import AssistedApplicationFactory

    DigitalTeamFactory(village=other_village, decision_number="999/QĐ-UBND")
    AssistedApplicationFactory(
        household__village=other_village, reference_number="OTHER-REF"
    )
    officer.is_staff = True
    officer.save()
    client = client_for(officer)
    teams = client.get(reverse("admin:outreach_digitalteam_changelist"))
    assert teams.status_code == 200
    assert_shows(teams, "125/QĐ-UBND")
    assert_not_shows(teams, "999/QĐ-UBND")
    change = client.get(reverse("admin:outreach_digitalteam_change", args=[team.pk]))
    assert change.status_code == 200
    assert_not_shows(change, 'name="decision_number"')
    assert client.get(reverse("admin:outreach_digitalteam_add")).status_code == 403
    applications = client.get(reverse("admin:outreach_assistedapplication_changelist"))
    assert applications.status_code == 200
    assert_not_shows(applications, "OTHER-REF")
