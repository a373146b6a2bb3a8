"""Reads of the registry: what each role may see, search, filters, sort, duplicates."""

import pytest
from django.http import Http404

from eakutur.accounts.models import Role
from households.selectors import (
    HouseholdFilters,
    household_detail_for,
    household_duplicates,
    household_get_for,
    household_list_for,
    households_for,
    village_list_for,
    villages_for,
)
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    UserFactory,
    VillageFactory,
    ede,
)


def codes(qs) -> list[str]:
    return [h.code for h in qs]


# --- villages_for: the scope of each role ------------------------------------------


@pytest.mark.parametrize("role_user", ["admin_user", "official"])
def test_commune_wide_roles_see_every_village_of_their_commune_only(
    request, role_user, village, other_village, foreign_village
):
    user = request.getfixturevalue(role_user)
    assert set(villages_for(user)) == {village, other_village}


def test_officer_sees_only_assigned_villages(officer, village, other_village):
    assert list(villages_for(officer)) == [village]


def test_officer_with_several_villages(commune, village, other_village):
    third = VillageFactory(commune=commune)
    user = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=commune, villages=[village, third]
    )
    assert set(villages_for(user)) == {village, third}


def test_officer_assigned_a_village_of_another_commune_does_not_see_it(
    commune, village, foreign_village
):
    user = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=commune, villages=[village, foreign_village]
    )
    assert list(villages_for(user)) == [village]


def test_officer_without_villages_sees_nothing(commune, village):
    user = UserFactory(role=Role.VILLAGE_OFFICER, commune=commune)
    assert not villages_for(user).exists()


@pytest.mark.parametrize("role_user", ["admin_user", "official", "officer"])
def test_inactive_users_see_nothing(request, role_user, village, other_village):
    user = request.getfixturevalue(role_user)
    user.is_active = False
    user.save()
    assert not villages_for(user).exists()


def test_anonymous_sees_nothing(village):
    from django.contrib.auth.models import AnonymousUser

    assert not villages_for(AnonymousUser()).exists()


def test_household_scope_follows_the_village_scope(
    official, officer, village, other_village, foreign_village
):
    mine = HouseholdFactory(village=village)
    theirs = HouseholdFactory(village=other_village)
    foreign = HouseholdFactory(village=foreign_village)
    assert set(households_for(official)) == {mine, theirs}
    assert set(households_for(officer)) == {mine}
    assert household_get_for(user=officer, pk=mine.pk) == mine
    for pk in (theirs.pk, foreign.pk, 999_999, "abc"):
        with pytest.raises(Http404):
            household_get_for(user=officer, pk=pk)
    with pytest.raises(Http404):
        household_get_for(user=official, pk=foreign.pk)


def test_archived_households_are_hidden_unless_asked_for(official, village):
    active = HouseholdFactory(village=village)
    archived = HouseholdFactory(village=village, is_active=False, archived_reason="x")
    assert list(households_for(official)) == [active]
    assert set(households_for(official, include_archived=True)) == {active, archived}
    assert household_get_for(user=official, pk=archived.pk) == archived


# --- household_list_for: search ------------------------------------------------------


@pytest.fixture
def registry(village, other_village):
    """A few households of both villages, with Kinh and Ê Đê names."""
    return {
        "an": HouseholdFactory(
            village=village,
            code="HK001",
            head_name="Nguyễn Văn An",
            head_national_id="066085001234",
            phone="0912345678",
        ),
        "dao": HouseholdFactory(
            village=village, code="HK002", head_name="Nguyễn Thị Đào"
        ),
        "binh": HouseholdFactory(
            village=village, code="HK003", head_name="Trần Văn Bình"
        ),
        "hen": HouseholdFactory(
            village=other_village,
            code="BT001",
            head_name="H'Hen Niê",
            ethnic_group=ede(),
            phone="0387654321",
        ),
    }


def search(user, **filters):
    return codes(household_list_for(user=user, filters=HouseholdFilters(**filters)))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Nguyen", ["HK001", "HK002"]),
        ("nguyễn", ["HK001", "HK002"]),
        ("NGUYỄN VĂN", ["HK001"]),
        ("nguyễn văn", ["HK001"]),
        ("dao", ["HK002"]),
        ("Đào", ["HK002"]),
        ("h'hen", ["BT001"]),
        ("Nie", ["BT001"]),
        ("hk003", ["HK003"]),
        ("HK003", ["HK003"]),
        ("066085001234", ["HK001"]),
        ("0912345678", ["HK001"]),
        ("0912 345 678", ["HK001"]),
        ("Lê Văn Tám", []),
    ],
)
def test_search_by_name_code_id_and_phone(official, registry, q, expected):
    assert search(official, q=q) == expected


def test_search_never_leaves_the_users_villages(officer, registry):
    assert search(officer, q="0387654321") == []
    assert search(officer, q="Nie") == []


# --- filters -------------------------------------------------------------------------


def test_filter_by_village(official, registry, other_village):
    assert search(official, village=other_village.pk) == ["BT001"]


def test_officer_filtering_by_another_village_gets_nothing(
    officer, registry, other_village
):
    assert search(officer, village=other_village.pk) == []


def test_filter_by_ethnic_group(official, registry):
    assert search(official, ethnic_group=ede().pk) == ["BT001"]


def test_filter_by_current_status(official, registry):
    Household = type(registry["an"])
    Household.objects.filter(pk=registry["an"].pk).update(
        current_status="poor", current_review_year=2025
    )
    assert search(official, status="poor") == ["HK001"]
    assert search(official, status="near_poor") == []


def test_filter_by_review_year_and_status_within_that_year(official, registry):
    an, dao = registry["an"], registry["dao"]
    PovertyReviewFactory(household=an, year=2024, status="poor")
    PovertyReviewFactory(household=an, year=2025, status="escaped_poor")
    PovertyReviewFactory(household=dao, year=2024, status="near_poor")
    assert search(official, review_year=2024) == ["HK001", "HK002"]
    assert search(official, review_year=2025) == ["HK001"]
    assert search(official, review_year=2024, status="poor") == ["HK001"]
    assert search(official, review_year=2025, status="poor") == []
    assert search(official, review_year=2023) == []


def test_archived_filter_lists_only_archived_households(official, registry):
    from households.services import household_archive

    household_archive(actor=official, household=registry["dao"], reason="Chuyển đi")
    assert "HK002" not in search(official)
    assert search(official, archived=True) == ["HK002"]


# --- sort -----------------------------------------------------------------------------


def test_sort_by_code_both_ways(official, registry):
    assert search(official, sort="code") == ["BT001", "HK001", "HK002", "HK003"]
    assert search(official, sort="-code") == ["HK003", "HK002", "HK001", "BT001"]


def test_unknown_sort_key_falls_back_to_code(official, registry):
    assert search(official, sort="drop table") == search(official, sort="code")


def test_sort_by_village_order(official, registry):
    assert search(official, sort="village") == ["HK001", "HK002", "HK003", "BT001"]


def test_sort_by_status(official, registry):
    Household = type(registry["an"])
    Household.objects.filter(pk=registry["binh"].pk).update(current_status="average")
    Household.objects.filter(pk=registry["dao"].pk).update(current_status="poor")
    result = search(official, sort="status")
    assert result.index("HK003") < result.index("HK002")  # "average" < "poor"


def test_sort_by_name_follows_the_head_name_not_the_code(official, village):
    """Sorted by name, "Đào" comes before "Lê", and "Lê" before "Vũ", whatever the
    codes are (and "Đ" sorts with "D", as in a Vietnamese register)."""
    HouseholdFactory(village=village, code="A01", head_name="Vũ Văn Tâm")
    HouseholdFactory(village=village, code="B02", head_name="Đào Thị Lan")
    HouseholdFactory(village=village, code="C03", head_name="Lê Văn Hùng")
    assert search(official, sort="name") == ["B02", "C03", "A01"]


def test_sort_by_recently_changed(official, registry):
    from households.services import household_update

    household_update(actor=official, household=registry["binh"], phone="0911111111")
    assert search(official, sort="updated")[0] == "HK003"


# --- detail and villages -------------------------------------------------------------


def test_detail_lists_active_members_head_first_and_reviews_newest_first(
    official, village
):
    household = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    MemberFactory(household=household, full_name="Cụ Nguyễn Văn Cả", birth_year=1940)
    MemberFactory(
        household=household,
        full_name="Đã chuyển đi",
        is_active=False,
        removed_reason="chuyển đi",
    )
    PovertyReviewFactory(household=household, year=2024)
    PovertyReviewFactory(household=household, year=2025)
    detail = household_detail_for(user=official, pk=household.pk)
    names = [m.full_name for m in detail.active_members]
    assert names == ["Nguyễn Văn An", "Cụ Nguyễn Văn Cả"]
    assert [r.year for r in detail.review_history] == [2025, 2024]


def test_village_list_counts_households_by_status(official, village, other_village):
    HouseholdFactory(village=village, current_status="poor")
    HouseholdFactory(village=village, current_status="poor")
    HouseholdFactory(village=village, current_status="near_poor")
    HouseholdFactory(village=village)
    HouseholdFactory(
        village=village, current_status="poor", is_active=False, archived_reason="x"
    )
    rows = {v.pk: v for v in village_list_for(user=official)}
    row = rows[village.pk]
    assert (row.n_households, row.n_poor, row.n_near_poor, row.n_unreviewed) == (
        4,
        2,
        1,
        1,
    )
    assert rows[other_village.pk].n_households == 0


def test_village_list_of_an_officer(officer, village, other_village):
    assert [v.pk for v in village_list_for(user=officer)] == [village.pk]


# --- duplicates ----------------------------------------------------------------------


def duplicates(village, **kwargs):
    args = {"head_name": "", "national_id": None, "phone": ""}
    args.update(kwargs)
    return household_duplicates(
        commune_id=village.commune_id, village_id=village.pk, **args
    )


def test_same_head_id_is_flagged(village):
    existing = HouseholdFactory(village=village, head_national_id="066085001234")
    found = duplicates(village, head_name="Ai Khác", national_id="066085001234")
    assert [d.household for d in found] == [existing]


def test_same_id_as_a_member_of_another_household_is_flagged(village):
    existing = HouseholdFactory(village=village)
    MemberFactory(household=existing, national_id="066305001234")
    found = duplicates(village, head_name="Ai Khác", national_id="066305001234")
    assert [d.household for d in found] == [existing]


def test_same_phone_is_flagged_anywhere_in_the_commune(village, other_village):
    existing = HouseholdFactory(village=other_village, phone="0912345678")
    found = duplicates(village, head_name="Ai Khác", phone="0912345678")
    assert [d.household for d in found] == [existing]


@pytest.mark.parametrize(
    "typed", ["Nguyen Van An", "Nguyễn Văn An", "NGUYỄN VĂN AN", "Nguyễn Văn Ann"]
)
def test_near_identical_name_in_the_same_village_is_flagged(village, typed):
    existing = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    found = duplicates(village, head_name=typed)
    assert [d.household for d in found] == [existing]
    assert len(found[0].reasons) == 1


@pytest.mark.parametrize("typed", ["Trần Thị Hoa", "Nguyễn Thị Bình", "Y Bhim Êban"])
def test_a_different_name_is_not_flagged(village, typed):
    HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    assert duplicates(village, head_name=typed) == []


def test_same_name_in_another_village_is_not_flagged(village, other_village):
    HouseholdFactory(village=other_village, head_name="Nguyễn Văn An")
    assert duplicates(village, head_name="Nguyễn Văn An") == []


def test_another_commune_is_not_searched(village, foreign_village):
    HouseholdFactory(
        village=foreign_village, phone="0912345678", head_national_id="066085001234"
    )
    assert duplicates(village, phone="0912345678", national_id="066085001234") == []


def test_several_reasons_are_gathered_on_one_household(village):
    existing = HouseholdFactory(
        village=village,
        head_name="Nguyễn Văn An",
        head_national_id="066085001234",
        phone="0912345678",
    )
    found = duplicates(
        village,
        head_name="Nguyen Van An",
        national_id="066085001234",
        phone="0912345678",
    )
    assert len(found) == 1 and found[0].household == existing
    assert len(found[0].reasons) == 3


def test_the_household_being_edited_and_archived_ones_are_not_flagged(village):
    editing = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    HouseholdFactory(
        village=village, head_name="Nguyễn Văn An", is_active=False, archived_reason="x"
    )
    assert (
        household_duplicates(
            commune_id=village.commune_id,
            village_id=village.pk,
            head_name="Nguyễn Văn An",
            national_id=None,
            phone="",
            exclude_pk=editing.pk,
        )
        == []
    )


def test_the_not_reviewed_filter_lists_households_without_a_review(official, village):
    from households.selectors import UNREVIEWED, HouseholdFilters, household_list_for
    from tests.factories import HouseholdFactory, PovertyReviewFactory

    reviewed = HouseholdFactory(village=village)
    PovertyReviewFactory(household=reviewed, year=2025)
    type(reviewed).objects.filter(pk=reviewed.pk).update(
        current_status="poor", current_review_year=2025
    )
    waiting = HouseholdFactory(village=village)
    listed = household_list_for(
        user=official, filters=HouseholdFilters(status=UNREVIEWED)
    )
    assert list(listed) == [waiting]
    in_2025 = household_list_for(
        user=official, filters=HouseholdFilters(status=UNREVIEWED, review_year=2025)
    )
    assert list(in_2025) == [waiting]
