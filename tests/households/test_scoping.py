"""A village officer sees and edits only their villages; a commune official only their
commune. Anything else is a 404 by URL, absent from lists, exports, forms and the admin,
and nothing about it changes."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from households.models import Household, Member, PovertyReview
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    UserFactory,
    indicators,
    kinh,
)


@pytest.fixture
def mine(village):
    return HouseholdFactory(
        village=village, code="HK-MINE", head_name="Nguyễn Văn Của Tôi"
    )


@pytest.fixture
def theirs(other_village):
    """A household of the other village of the same commune."""
    household = HouseholdFactory(
        village=other_village,
        code="BT-THEIRS",
        head_name="H'Bia Niê",
        phone="0387654321",
        head_national_id="066185001234",
        current_status="poor",
    )
    MemberFactory(household=household, full_name="Y Bhim Niê")
    PovertyReviewFactory(household=household, year=2025)
    return household


@pytest.fixture
def foreign(foreign_village):
    """A household of another commune."""
    household = HouseholdFactory(
        village=foreign_village, code="EKM-001", head_name="Trần Văn Xã Khác"
    )
    MemberFactory(household=household)
    return household


def state():
    """Everything a forbidden request could change."""
    return (
        list(Household.objects.order_by("pk").values()),
        list(Member.objects.order_by("pk").values()),
        PovertyReview.objects.count(),
        AuditEntry.objects.count(),
    )


def forbidden_requests(household):
    member = household.members.exclude(relation="head").first()
    pk, m = household.pk, member.pk
    review = {
        "year": "2025",
        "income_per_person": "1000000",
        "deprivations": [d.pk for d in indicators("latrine")],
        "action": "save",
    }
    member_data = {
        "full_name": "Kẻ Lạ",
        "sex": "male",
        "birth_year": "1990",
        "relation": "other",
        "ethnic_group": kinh().pk,
    }
    household_data = {
        "village": household.village_id,
        "code": "HACKED",
        "head_name": "Kẻ Lạ",
        "ethnic_group": kinh().pk,
        "farmed_area_ha": "0",
        "confirm_not_duplicate": "on",
    }
    return [
        ("get", f"/households/{pk}/", None),
        ("get", f"/households/{pk}/edit/", None),
        ("post", f"/households/{pk}/edit/", household_data),
        ("get", f"/households/{pk}/archive/", None),
        ("post", f"/households/{pk}/archive/", {"reason": "xoá"}),
        ("post", f"/households/{pk}/restore/", {}),
        ("get", f"/households/{pk}/members/new/", None),
        ("post", f"/households/{pk}/members/new/", member_data),
        ("get", f"/households/{pk}/members/{m}/edit/", None),
        ("post", f"/households/{pk}/members/{m}/edit/", member_data),
        ("get", f"/households/{pk}/members/{m}/remove/", None),
        ("post", f"/households/{pk}/members/{m}/remove/", {"reason": "xoá"}),
        ("get", f"/households/{pk}/reviews/new/", None),
        ("post", f"/households/{pk}/reviews/new/", review),
        ("post", f"/households/{pk}/reviews/new/", {**review, "action": "propose"}),
        ("get", f"/households/villages/{household.village_id}/", None),
    ]


def assert_all_404(client, household):
    before = state()
    for method, url, data in forbidden_requests(household):
        response = getattr(client, method)(url, data) if data else client.get(url)
        assert response.status_code == 404, f"{method.upper()} {url}"
    assert state() == before


def test_officer_gets_404_on_another_villages_household(officer_client, mine, theirs):
    assert_all_404(officer_client, theirs)


def test_officer_still_reaches_their_own_village(officer_client, mine):
    MemberFactory(household=mine)
    for method, url, _data in forbidden_requests(mine):
        if method == "get":
            assert officer_client.get(url).status_code == 200, url


def test_commune_official_gets_404_on_another_communes_household(
    official_client, foreign
):
    assert_all_404(official_client, foreign)


def test_commune_admin_gets_404_on_another_communes_household(
    client_for, admin_user, foreign
):
    assert_all_404(client_for(admin_user), foreign)


def test_officer_of_another_commune_gets_404(
    client_for, other_commune, foreign, theirs
):
    stranger = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=other_commune, villages=[foreign.village]
    )
    assert_all_404(client_for(stranger), theirs)


def test_a_404_looks_the_same_as_a_missing_household(officer_client, theirs):
    """The page for a household of another village must not confirm that it exists."""
    hidden = officer_client.get(f"/households/{theirs.pk}/")
    missing = officer_client.get("/households/987654/")
    assert hidden.status_code == missing.status_code == 404
    assert "H'Bia" not in hidden.content.decode()
    main = re.compile(rb"<main.*</main>", re.S)
    assert main.search(hidden.content).group() == main.search(missing.content).group()


# --- lists and searches -------------------------------------------------------------------


def listed(client, **params) -> list[str]:
    response = client.get("/households/", params)
    assert response.status_code == 200
    return [h.code for h in response.context["households"]]


def test_officer_list_shows_only_their_village(officer_client, mine, theirs, foreign):
    assert listed(officer_client) == ["HK-MINE"]
    page = officer_client.get("/households/").content.decode()
    assert "BT-THEIRS" not in page and "H'Bia" not in page


def test_officer_filtering_by_another_village_sees_nothing_of_it(
    officer_client, mine, theirs, other_village
):
    assert "BT-THEIRS" not in listed(officer_client, village=other_village.pk)
    assert "BT-THEIRS" not in listed(
        officer_client, village=other_village.pk, status="poor"
    )
    assert listed(officer_client, q="0387654321") == []
    assert listed(officer_client, q="066185001234") == []
    assert listed(officer_client, q="BT-THEIRS") == []


def test_officer_filter_offers_only_their_villages(officer_client, village):
    response = officer_client.get("/households/")
    assert list(response.context["filter_form"].fields["village"].queryset) == [village]
    assert "Buôn Tiêu" not in response.content.decode()


def test_official_sees_the_whole_commune_but_not_the_other(
    official_client, mine, theirs, foreign
):
    assert sorted(listed(official_client)) == ["BT-THEIRS", "HK-MINE"]
    assert listed(official_client, q="EKM-001") == []


def test_village_list_of_an_officer(officer_client, village, theirs):
    response = officer_client.get("/households/villages/")
    assert [v.pk for v in response.context["villages"]] == [village.pk]
    assert "Buôn Tiêu" not in response.content.decode()


def test_staff_home_counts_only_the_officers_villages(officer_client, mine, theirs):
    response = officer_client.get("/staff/")
    assert response.context["totals"]["households"] == 1
    assert response.context["totals"]["poor"] == 0


# --- export -------------------------------------------------------------------------------


def exported_values(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    values = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            values.update(str(v) for v in row if v is not None)
    return values


@pytest.mark.parametrize("with_filter", [False, True])
def test_officer_export_contains_only_their_villages(
    officer_client, mine, theirs, foreign, other_village, with_filter
):
    params = {"village": other_village.pk} if with_filter else {}
    values = exported_values(officer_client.get("/households/export.xlsx", params))
    assert "HK-MINE" in values
    for leaked in ("BT-THEIRS", "H'Bia Niê", "0387654321", "EKM-001"):
        assert not any(leaked in v for v in values), leaked


def test_official_export_stays_in_the_commune(official_client, mine, theirs, foreign):
    values = exported_values(official_client.get("/households/export.xlsx"))
    assert {"HK-MINE", "BT-THEIRS"} <= values
    assert not any("EKM-001" in v for v in values)


# --- forms: no mass assignment ----------------------------------------------------------


def test_create_form_offers_only_the_officers_villages(officer_client, village):
    response = officer_client.get("/households/new/")
    assert list(response.context["form"].fields["village"].queryset) == [village]


@pytest.mark.parametrize("target", ["other_village", "foreign_village"])
def test_posting_another_village_id_is_refused(request, officer_client, target):
    village = request.getfixturevalue(target)
    before = state()
    response = officer_client.post(
        "/households/new/",
        {
            "village": village.pk,
            "code": "HK-SNEAK",
            "head_name": "Kẻ Lạ",
            "head_national_id": "066085001234",
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "0",
            "commune": village.commune_id,
        },
    )
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    assert state() == before


def test_official_cannot_post_a_village_of_another_commune(
    official_client, foreign_village
):
    response = official_client.post(
        "/households/new/",
        {
            "village": foreign_village.pk,
            "code": "HK-SNEAK",
            "head_name": "Kẻ Lạ",
            "head_national_id": "066085001234",
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "0",
        },
    )
    assert "village" in response.context["form"].errors
    assert not Household.objects.filter(code="HK-SNEAK").exists()


def test_officer_cannot_move_their_household_into_another_village(
    officer_client, mine, other_village
):
    response = officer_client.post(
        f"/households/{mine.pk}/edit/",
        {
            "village": other_village.pk,
            "code": mine.code,
            "head_name": mine.head_name,
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "0",
        },
    )
    assert response.status_code == 200
    assert "village" in response.context["form"].errors
    mine.refresh_from_db()
    assert mine.village_id != other_village.pk


def test_posting_fields_outside_the_form_changes_nothing(officer_client, mine):
    """commune, current_status, is_active … are not form fields and are ignored."""
    officer_client.post(
        f"/households/{mine.pk}/edit/",
        {
            "village": mine.village_id,
            "code": mine.code,
            "head_name": mine.head_name,
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "0",
            "current_status": "poor",
            "is_active": "",
            "commune": "999",
            "search_text": "x",
        },
    )
    mine.refresh_from_db()
    assert mine.current_status == "" and mine.is_active


def test_duplicate_warning_names_only_code_and_village_of_a_hidden_household(
    officer_client, village, theirs
):
    """The officer is warned of the same phone in another village, without seeing who."""
    response = officer_client.post(
        "/households/new/",
        {
            "village": village.pk,
            "code": "HK-NEW",
            "head_name": "Lê Văn Mới",
            "head_national_id": "066090001111",
            "phone": "0387654321",
            "ethnic_group": kinh().pk,
            "farmed_area_ha": "0",
        },
    )
    page = response.content.decode()
    assert "BT-THEIRS" in page
    assert "H'Bia" not in page and "H&#x27;Bia" not in page
    assert not Household.objects.filter(code="HK-NEW").exists()


# --- the Django admin ---------------------------------------------------------------------

ADMIN_LISTS = [
    "/admin/households/household/",
    "/admin/households/member/",
    "/admin/households/povertyreview/",
]


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_officer_without_staff_flag_is_kept_out_of_the_admin(
    officer_client, theirs, url
):
    response = officer_client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def admin_page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_staff_officer_sees_nothing_of_other_villages_in_the_admin(
    client_for, officer, mine, theirs, foreign, url
):
    officer.is_staff = True
    officer.save()
    status, page = admin_page(client_for(officer), url)
    assert status in (200, 302, 403, 404)
    for leaked in ("BT-THEIRS", "H'Bia", "Y Bhim Niê", "EKM-001", "Xã Khác"):
        assert leaked not in page


def test_staff_officer_cannot_open_another_villages_household_in_the_admin(
    client_for, officer, theirs
):
    officer.is_staff = True
    officer.save()
    response = client_for(officer).get(
        f"/admin/households/household/{theirs.pk}/change/", follow=True
    )
    assert "H'Bia" not in response.content.decode()
    assert "BT-THEIRS" not in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["admin_user", "official"])
def test_commune_roles_see_only_their_commune_in_the_admin(
    request, client_for, user_fixture, mine, theirs, foreign
):
    user = request.getfixturevalue(user_fixture)
    user.is_staff = True
    user.save()
    client = client_for(user)
    response = client.get("/admin/households/household/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "HK-MINE" in page and "BT-THEIRS" in page
    assert "EKM-001" not in page
    member_page = client.get("/admin/households/member/").content.decode()
    assert "Trần Văn Xã Khác" not in member_page
    detail = client.get(
        f"/admin/households/household/{foreign.pk}/change/", follow=True
    ).content.decode()
    assert "Trần Văn Xã Khác" not in detail
    villages = client.get("/admin/households/village/").content.decode()
    assert "Buôn Tiêu" in villages
    assert f"/admin/households/village/{foreign.village_id}/" not in villages


def test_registry_records_are_read_only_in_the_admin(client_for, admin_user, mine):
    admin_user.is_staff = True
    admin_user.save()
    client = client_for(admin_user)
    before = state()
    assert client.get("/admin/households/household/add/").status_code == 403
    response = client.post(
        f"/admin/households/household/{mine.pk}/change/",
        {"code": "HACKED", "head_name": "x"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/households/household/{mine.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert state() == before


def test_admin_does_not_show_full_national_ids(client_for, admin_user, theirs):
    admin_user.is_staff = True
    admin_user.save()
    page = (
        client_for(admin_user)
        .get(f"/admin/households/household/{theirs.pk}/change/")
        .content.decode()
    )
    assert "066185001234" not in page
