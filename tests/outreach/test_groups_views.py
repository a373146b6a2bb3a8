"""The village-group screens through the test client: the list (masked addresses,
search and filters), adding, editing (the only page with full addresses), switching off
and on; scoping and refusals that change nothing."""

import pytest
from django.urls import reverse

from eakutur.audit.models import AuditEntry
from outreach.models import GroupChannel, VillageGroup
from tests.factories import VillageFactory
from tests.factories.outreach import DeliveryFactory, VillageGroupFactory
from tests.pages import assert_not_shows, assert_shows, vi

pytestmark = pytest.mark.django_db

LIST = reverse("outreach:group_list")
CREATE = reverse("outreach:group_create")


def edit_url(group) -> str:
    return reverse("outreach:group_update", args=[group.pk])


def active_url(group) -> str:
    return reverse("outreach:group_set_active", args=[group.pk])


def form(village, **overrides) -> dict:
    data = {
        "village": village.pk,
        "channel": GroupChannel.SMS,
        "name": "Trưởng các hộ",
        "external_id": "0912 345 678, +84987654321",
    }
    data.update(overrides)
    return data


@pytest.fixture
def groups(village, other_village):
    return [
        VillageGroupFactory(
            village=village,
            channel=GroupChannel.SMS,
            external_id="0912345678",
            name="Trưởng hộ Thôn 1",
        ),
        VillageGroupFactory(
            village=village,
            channel=GroupChannel.EMAIL,
            external_id="truongthon1@gmail.com",
            name="Thư điện tử Thôn 1",
        ),
        VillageGroupFactory(
            village=other_village,
            channel=GroupChannel.RELAY,
            external_id="",
            name="Nhóm Zalo bà con buôn Tiêu",
        ),
    ]


# --- The list ---------------------------------------------------------------------------


def test_the_list_masks_phone_numbers_and_e_mails(official_client, groups):
    response = official_client.get(LIST)
    assert_shows(response, "•••••••678", "t•••@gmail.com", "Nhóm Zalo bà con buôn Tiêu")
    assert_not_shows(response, "0912345678", "truongthon1@gmail.com")


def test_the_edit_form_shows_the_full_address(official_client, groups):
    response = official_client.get(edit_url(groups[1]))
    assert_shows(response, "truongthon1@gmail.com")


def test_search_ignores_diacritics_and_filters_combine(
    official_client, groups, village
):
    def names(**params):
        response = official_client.get(LIST, params)
        return sorted(g.name for g in response.context["groups"])

    assert names(q="buon tieu") == ["Nhóm Zalo bà con buôn Tiêu"]
    assert names(q="thu dien tu") == ["Thư điện tử Thôn 1"]
    assert names(village=village.pk) == ["Thư điện tử Thôn 1", "Trưởng hộ Thôn 1"]
    assert names(channel=GroupChannel.RELAY) == ["Nhóm Zalo bà con buôn Tiêu"]
    assert names(village=village.pk, channel=GroupChannel.SMS) == ["Trưởng hộ Thôn 1"]
    groups[0].is_active = False
    groups[0].save()
    assert names(active="inactive") == ["Trưởng hộ Thôn 1"]
    assert len(names(active="active")) == 2


def test_an_officer_lists_only_their_villages_groups(officer_client, groups):
    response = officer_client.get(LIST)
    assert {g.pk for g in response.context["groups"]} == {groups[0].pk, groups[1].pk}
    assert_not_shows(response, "Nhóm Zalo bà con buôn Tiêu")
    # Asking for another village's groups shows none of them.
    response = officer_client.get(LIST, {"village": groups[2].village_id})
    assert groups[2] not in response.context["groups"]


# --- Adding -----------------------------------------------------------------------------


def test_an_officer_adds_a_group_to_their_village(officer_client, officer, village):
    response = officer_client.post(CREATE, form(village))
    assert response.status_code == 302
    group = VillageGroup.objects.get()
    assert (group.village, group.external_id) == (village, "0912345678, 0987654321")
    assert AuditEntry.objects.filter(object_id=group.pk, actor=officer).exists()


def test_the_form_offers_an_officer_only_their_villages(officer_client, village):
    response = officer_client.get(CREATE)
    assert list(response.context["form"].fields["village"].queryset) == [village]
    assert response.context["form"].initial["village"] == village.pk


def test_an_officer_cannot_add_to_another_village(officer_client, other_village):
    response = officer_client.post(CREATE, form(other_village))
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert not VillageGroup.objects.exists()


def test_a_wrong_phone_number_is_explained_and_nothing_saved(official_client, village):
    response = official_client.post(CREATE, form(village, external_id="0912345678, 12"))
    assert response.status_code == 200
    [message] = response.context["form"].errors["external_id"]
    assert message.startswith("12 ")
    assert_shows(response, vi("Nothing was saved. Correct the fields marked in red."))
    assert not VillageGroup.objects.exists()


def test_a_relay_group_needs_no_address(official_client, other_village):
    response = official_client.post(
        CREATE,
        form(
            other_village,
            channel=GroupChannel.RELAY,
            name="Nhóm Zalo bà con buôn Tiêu",
            external_id="",
        ),
    )
    assert response.status_code == 302
    assert VillageGroup.objects.get().channel == GroupChannel.RELAY


def test_a_duplicate_is_refused_with_the_existing_groups_name(
    official_client, groups, village
):
    response = official_client.post(
        CREATE, form(village, name="Lần nữa", external_id="+84 912 345 678")
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["external_id"]
    assert "Trưởng hộ Thôn 1" in message
    assert VillageGroup.objects.count() == 3


# --- Editing ----------------------------------------------------------------------------


def test_editing_saves_and_audits(official_client, official, groups):
    group = groups[0]
    response = official_client.post(
        edit_url(group),
        form(group.village, name="Trưởng hộ (mới)", external_id="0987654321"),
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.external_id) == ("Trưởng hộ (mới)", "0987654321")
    entry = AuditEntry.objects.get(object_id=group.pk, action="update")
    assert entry.actor == official


def test_a_used_group_keeps_its_village_and_channel(
    official_client, groups, other_village
):
    group = groups[0]
    DeliveryFactory(notice__commune=group.village.commune, group=group)
    page = official_client.get(edit_url(group))
    assert 'id="group-used"' in page.content.decode()
    fields = page.context["form"].fields
    assert fields["village"].disabled and fields["channel"].disabled
    # A crafted POST cannot move it either; the rest of the form is saved.
    response = official_client.post(
        edit_url(group),
        form(other_village, channel=GroupChannel.EMAIL, external_id="0987654321"),
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.village, group.channel, group.external_id) == (
        groups[1].village,
        GroupChannel.SMS,
        "0987654321",
    )


def test_another_villages_group_is_a_404_for_every_action(officer_client, groups):
    theirs = groups[2]
    assert officer_client.get(edit_url(theirs)).status_code == 404
    assert (
        officer_client.post(edit_url(theirs), form(theirs.village)).status_code == 404
    )
    assert officer_client.post(active_url(theirs), {"active": "0"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.is_active) == ("Nhóm Zalo bà con buôn Tiêu", True)


def test_another_communes_group_is_a_404(client_for, foreign_official, groups):
    assert client_for(foreign_official).get(edit_url(groups[0])).status_code == 404


# --- Switching off and on ---------------------------------------------------------------


def test_switch_off_and_on_again(officer_client, groups):
    group = groups[0]
    response = officer_client.post(active_url(group), {"active": "0"}, follow=True)
    group.refresh_from_db()
    assert not group.is_active
    assert_shows(response, vi("Switch on again"))
    response = officer_client.post(active_url(group), {"active": "1"}, follow=True)
    group.refresh_from_db()
    assert group.is_active
    assert_shows(response, vi("Switch off"))


def test_switching_is_post_only(officer_client, groups):
    assert officer_client.get(active_url(groups[0])).status_code == 405
    groups[0].refresh_from_db()
    assert groups[0].is_active


def test_a_switched_off_group_gets_no_new_notice(official, groups, commune):
    from outreach.services import notice_dispatch_due, village_group_set_active
    from tests.factories.outreach import NoticeFactory

    village_group_set_active(actor=official, group=groups[0], is_active=False)
    notice = NoticeFactory(commune=commune)
    notice_dispatch_due()
    assert set(notice.deliveries.values_list("group", flat=True)) == {
        groups[1].pk,
        groups[2].pk,
    }


def test_pages_need_a_login(client, groups):
    for url in (LIST, CREATE, edit_url(groups[0])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_list_query_count_does_not_grow(
    official_client, commune, django_assert_max_num_queries
):
    for _ in range(3):
        VillageGroupFactory(village=VillageFactory(commune=commune))
    official_client.get(LIST)
    with django_assert_max_num_queries(10) as few:
        official_client.get(LIST)
    for _ in range(15):
        VillageGroupFactory(village=VillageFactory(commune=commune))
    with django_assert_max_num_queries(len(few)):
        page = official_client.get(LIST)
    assert len(page.context["groups"]) == 18
