"""Savings-group screens through the test client: the list with its search and village
filter, setting up and editing a group, adding and removing member households, and the
village scope of every group URL.

Pages are requested without a language prefix (Vietnamese). Expected messages are looked
up in the Vietnamese catalogue with ``vi()``, so a test checks the text the user reads.
"""

from datetime import date

import pytest
from django.urls import reverse

from eakutur.audit.models import AuditEntry
from loans.models import LoanStatus, SavingsGroup
from tests.factories import HouseholdFactory
from tests.factories.loans import LoanFactory, SavingsGroupFactory, disbursed_loan
from tests.pages import text_of, vi

pytestmark = pytest.mark.django_db


def group_data(village, **overrides):
    data = {
        "village": village.pk,
        "name": "  Tổ TK&VV   Hội Phụ nữ thôn 1 ",
        "organisation": "womens_union",
        "leader_name": "Nguyễn Thị Hoa",
        "leader_phone": "+84 912 345 678",
        "established_on": "15/03/2019",
        "is_active": "on",
        "notes": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Create and edit --------------------------------------------------------------------


def test_official_sets_up_a_group(official_client, village):
    response = official_client.post(reverse("loans:group_create"), group_data(village))

    group = SavingsGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == group.get_absolute_url()
    assert group.name == "Tổ TK&VV Hội Phụ nữ thôn 1"
    assert group.leader_phone == "0912345678"
    assert group.established_on == date(2019, 3, 15)
    assert group.village == village
    page = official_client.get(response["Location"])
    assert vi("The savings group %(name)s was set up.", name=group.name) in text_of(
        page
    )
    assert 'href="tel:0912345678"' in text_of(page)


def test_duplicate_name_in_the_village_is_refused_and_nothing_saved(
    official_client, village
):
    SavingsGroupFactory(village=village, name="Tổ TK&VV Hội Phụ nữ thôn 1")

    response = official_client.post(reverse("loans:group_create"), group_data(village))

    assert response.status_code == 200
    assert vi("This village already has a savings group with that name.") in text_of(
        response
    )
    assert SavingsGroup.objects.count() == 1


def test_same_name_in_another_village_is_fine(official_client, village, other_village):
    SavingsGroupFactory(village=village, name="Tổ TK&VV Hội Phụ nữ thôn 1")

    response = official_client.post(
        reverse("loans:group_create"), group_data(other_village)
    )

    assert response.status_code == 302
    assert SavingsGroup.objects.filter(village=other_village).count() == 1


def test_bad_phone_is_a_message_on_the_form(official_client, village):
    response = official_client.post(
        reverse("loans:group_create"), group_data(village, leader_phone="12345")
    )

    assert response.status_code == 200
    assert vi(
        "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 "
        "or 09 (or +84 followed by 9 digits)."
    ) in text_of(response)
    assert not SavingsGroup.objects.exists()


def test_officer_is_offered_and_may_use_only_their_own_village(
    officer_client, village, other_village
):
    page = officer_client.get(reverse("loans:group_create"))
    choices = [v.pk for v in page.context["form"].fields["village"].queryset]
    assert choices == [village.pk]
    assert page.context["form"].initial["village"] == village.pk  # nothing to choose

    refused = officer_client.post(
        reverse("loans:group_create"), group_data(other_village)
    )
    assert refused.status_code == 200
    assert "village" in refused.context["form"].errors
    assert not SavingsGroup.objects.exists()

    allowed = officer_client.post(reverse("loans:group_create"), group_data(village))
    assert allowed.status_code == 302
    assert SavingsGroup.objects.get().village == village


def test_edit_a_group(official_client, village):
    group = SavingsGroupFactory(village=village, name="Tổ 1", leader_name="Lê Văn Ba")
    url = reverse("loans:group_update", args=[group.pk])

    page = official_client.get(url)
    assert page.status_code == 200
    assert 'value="Lê Văn Ba"' in text_of(page)

    response = official_client.post(
        url,
        group_data(
            village,
            name="Tổ 1",
            organisation="farmers",
            leader_name="Y Blô Niê",
            leader_phone="0987 654 321",
        ),
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.organisation, group.leader_name, group.leader_phone) == (
        "farmers",
        "Y Blô Niê",
        "0987654321",
    )
    assert vi("The savings group was saved.") in messages_of(
        official_client.get(response["Location"])
    )


def test_edit_to_a_taken_name_is_refused(official_client, village):
    SavingsGroupFactory(village=village, name="Tổ 2")
    group = SavingsGroupFactory(village=village, name="Tổ 1")

    response = official_client.post(
        reverse("loans:group_update", args=[group.pk]), group_data(village, name="Tổ 2")
    )

    assert response.status_code == 200
    assert vi("This village already has a savings group with that name.") in text_of(
        response
    )
    group.refresh_from_db()
    assert group.name == "Tổ 1"


# --- The group's page and its members -----------------------------------------------------


def test_group_page_shows_members_loans_and_totals(official_client, village):
    member = HouseholdFactory(village=village, code="HK-A", head_name="Trần Văn An")
    group = SavingsGroupFactory(village=village, name="Tổ 1", members=[member])
    disbursed_loan(
        household=member,
        savings_group=group,
        amount=40_000_000,
        disbursed_on=date(2020, 1, 10),
        term_months=24,
    )  # due 10/01/2022: overdue
    LoanFactory(household=member, savings_group=group, amount=9_000_000)  # applied

    response = official_client.get(reverse("loans:group_detail", args=[group.pk]))

    page = text_of(response)
    assert response.status_code == 200
    assert "HK-A" in page and "Trần Văn An" in page
    assert member.get_absolute_url() in page
    totals = page[page.index('id="group-totals"') :]
    assert "40.000.000\u00a0₫" in totals
    assert response.context["totals"] == {
        "disbursed": 40_000_000,
        "outstanding": 40_000_000,
        "overdue": 1,
    }


def test_member_search_offers_only_households_of_the_group_village(
    official_client, village, other_village
):
    group = SavingsGroupFactory(village=village, name="Tổ 1")
    HouseholdFactory(village=village, code="HK-100", head_name="Phạm Thị Lan")
    HouseholdFactory(village=other_village, code="HK-200", head_name="H'Lan Êban")

    response = official_client.get(
        reverse("loans:group_detail", args=[group.pk]), {"member_q": "lan"}
    )

    page = text_of(response)
    assert "HK-100" in page and "HK-200" not in page
    add_url = reverse("loans:group_member_add", args=[group.pk])
    assert page.count(f'action="{add_url}"') == 1


def test_add_a_member(official_client, village):
    group = SavingsGroupFactory(village=village)
    household = HouseholdFactory(village=village, code="HK-1")

    response = official_client.post(
        reverse("loans:group_member_add", args=[group.pk]),
        {"household": household.pk},
        follow=True,
    )

    assert list(group.members.all()) == [household]
    assert vi(
        "Household %(code)s (%(head)s) is now a member of the group.",
        code="HK-1",
        head=household.head_name,
    ) in messages_of(response)


def test_household_of_another_village_cannot_join(
    official_client, village, other_village
):
    group = SavingsGroupFactory(village=village)
    stranger = HouseholdFactory(village=other_village)

    response = official_client.post(
        reverse("loans:group_member_add", args=[group.pk]),
        {"household": stranger.pk},
        follow=True,
    )

    assert not group.members.exists()
    assert vi(
        "Only households of %(village)s can join this group.", village=village
    ) in messages_of(response)


def test_officer_cannot_add_a_household_outside_their_villages(
    officer_client, village, other_village
):
    group = SavingsGroupFactory(village=village)
    stranger = HouseholdFactory(village=other_village)

    response = officer_client.post(
        reverse("loans:group_member_add", args=[group.pk]),
        {"household": stranger.pk},
        follow=True,
    )

    assert not group.members.exists()
    assert vi("This household is not in your villages.") in messages_of(response)


def test_adding_is_post_only(official_client, village):
    group = SavingsGroupFactory(village=village)
    response = official_client.get(reverse("loans:group_member_add", args=[group.pk]))
    assert response.status_code == 405


def test_remove_a_member_with_a_reason(official_client, village):
    household = HouseholdFactory(village=village, code="HK-9")
    group = SavingsGroupFactory(village=village, members=[household])
    LoanFactory(household=household, savings_group=group, status=LoanStatus.SETTLED)
    url = reverse("loans:group_member_remove", args=[group.pk, household.pk])

    page = official_client.get(url)
    assert page.status_code == 200
    assert "HK-9" in text_of(page) and 'name="reason"' in text_of(page)
    assert group.members.filter(pk=household.pk).exists()  # GET changes nothing

    no_reason = official_client.post(url, {"reason": "  "})
    assert no_reason.status_code == 200
    assert group.members.filter(pk=household.pk).exists()

    response = official_client.post(url, {"reason": "Chuyển sang tổ khác"}, follow=True)
    assert not group.members.filter(pk=household.pk).exists()
    assert vi("Household %(code)s left the group.", code="HK-9") in messages_of(
        response
    )
    assert AuditEntry.objects.filter(note="Chuyển sang tổ khác").exists()


@pytest.mark.parametrize("status", [LoanStatus.APPLIED, LoanStatus.DISBURSED])
def test_member_with_an_unsettled_loan_cannot_be_removed(
    official_client, village, status
):
    household = HouseholdFactory(village=village)
    group = SavingsGroupFactory(village=village, members=[household])
    LoanFactory(household=household, savings_group=group, status=status)

    response = official_client.post(
        reverse("loans:group_member_remove", args=[group.pk, household.pk]),
        {"reason": "Chuyển đi nơi khác"},
    )

    assert response.status_code == 200
    assert vi(
        "The household has a loan through this group that is not settled."
    ) in text_of(response)
    assert group.members.filter(pk=household.pk).exists()


def test_removing_a_household_that_is_not_a_member_is_404(official_client, village):
    group = SavingsGroupFactory(village=village)
    outsider = HouseholdFactory(village=village)
    url = reverse("loans:group_member_remove", args=[group.pk, outsider.pk])
    assert official_client.get(url).status_code == 404
    assert official_client.post(url, {"reason": "x"}).status_code == 404


# --- Village scope ------------------------------------------------------------------------


def test_officer_gets_404_on_every_url_of_another_village_group(
    officer_client, other_village
):
    household = HouseholdFactory(village=other_village)
    group = SavingsGroupFactory(
        village=other_village, name="Tổ buôn", members=[household]
    )
    newcomer = HouseholdFactory(village=other_village)
    remove = reverse("loans:group_member_remove", args=[group.pk, household.pk])

    assert (
        officer_client.get(reverse("loans:group_detail", args=[group.pk])).status_code
        == 404
    )
    edit = reverse("loans:group_update", args=[group.pk])
    assert officer_client.get(edit).status_code == 404
    assert (
        officer_client.post(edit, group_data(other_village, name="Đổi")).status_code
        == 404
    )
    assert (
        officer_client.post(
            reverse("loans:group_member_add", args=[group.pk]),
            {"household": newcomer.pk},
        ).status_code
        == 404
    )
    assert officer_client.get(remove).status_code == 404
    assert officer_client.post(remove, {"reason": "x"}).status_code == 404

    group.refresh_from_db()
    assert group.name == "Tổ buôn"
    assert list(group.members.all()) == [household]


def test_anonymous_is_sent_to_login(client, village):
    group = SavingsGroupFactory(village=village)
    response = client.get(reverse("loans:group_detail", args=[group.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- The list --------------------------------------------------------------------------


def test_list_search_and_village_filter(official_client, village, other_village):
    member = HouseholdFactory(village=village)
    SavingsGroupFactory(
        village=village,
        name="Tổ Hội Nông dân",
        leader_name="Lê Văn Sáu",
        leader_phone="0911222333",
        members=[member],
    )
    SavingsGroupFactory(village=village, name="Tổ Hội Phụ nữ", leader_name="Võ Thị Bảy")
    SavingsGroupFactory(
        village=other_village, name="Tổ Cựu chiến binh", leader_name="Y Kông Mlô"
    )
    url = reverse("loans:group_list")

    everything = text_of(official_client.get(url))
    assert all(
        name in everything
        for name in ("Tổ Hội Nông dân", "Tổ Hội Phụ nữ", "Tổ Cựu chiến binh")
    )
    assert 'href="tel:0911222333"' in everything

    by_leader = text_of(official_client.get(url, {"q": "Bảy"}))
    assert "Tổ Hội Phụ nữ" in by_leader
    assert "Tổ Hội Nông dân" not in by_leader

    by_name = official_client.get(url, {"q": "nông dân"})
    assert [g.name for g in by_name.context["groups"]] == ["Tổ Hội Nông dân"]
    assert by_name.context["groups"][0].member_count == 1

    by_village = official_client.get(url, {"village": other_village.pk})
    assert [g.name for g in by_village.context["groups"]] == ["Tổ Cựu chiến binh"]


def test_officer_lists_only_own_village_and_cannot_filter_to_another(
    officer_client, village, other_village
):
    SavingsGroupFactory(village=village, name="Tổ thôn 1")
    SavingsGroupFactory(village=other_village, name="Tổ buôn Tiêu")
    url = reverse("loans:group_list")

    page = text_of(officer_client.get(url))
    assert "Tổ thôn 1" in page
    assert "Tổ buôn Tiêu" not in page
    assert reverse("loans:group_create") in page  # may set up groups in own village

    sneaky = text_of(officer_client.get(url, {"village": other_village.pk}))
    assert "Tổ buôn Tiêu" not in sneaky


def test_list_query_count_does_not_grow(
    official_client, village, other_village, django_assert_max_num_queries
):
    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        official_client.get(reverse("loans:group_list"))
        with CaptureQueriesContext(connection) as ctx:
            assert official_client.get(reverse("loans:group_list")).status_code == 200
        return len(ctx.captured_queries)

    SavingsGroupFactory(village=village, members=[HouseholdFactory(village=village)])
    small = measure()
    for n in range(12):
        target = village if n % 2 else other_village
        SavingsGroupFactory(
            village=target,
            members=[HouseholdFactory(village=target) for _ in range(3)],
        )
    with django_assert_max_num_queries(small):
        official_client.get(reverse("loans:group_list"))
    assert measure() == small


def test_detail_query_count_does_not_grow(
    official_client, village, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group = SavingsGroupFactory(village=village)
    url = reverse("loans:group_detail", args=[group.pk])
    params = {"member_q": "HK"}

    def grow(n):
        for _ in range(n):
            household = HouseholdFactory(village=village)
            group.members.add(household)
            disbursed_loan(household=household, savings_group=group)

    def measure() -> int:
        official_client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            assert official_client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    grow(1)
    small = measure()
    grow(8)
    with django_assert_max_num_queries(small):
        official_client.get(url, params)
    assert measure() == small
