"""The registry screens through the test client: status, redirect, message, page content.

Pages are requested without a language prefix, so they are served in Vietnamese (the
default). Expected messages are looked up in the Vietnamese catalogue with ``vi()``, so a
test checks the text the user reads, whatever the state of the translation.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from eakutur.audit.models import AuditAction, AuditEntry
from households.models import Household, Member, PovertyReview, Relation
from tests.conftest import PASSWORD
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    ede,
    indicators,
    kinh,
)
from tests.pages import assert_not_shows, assert_shows, vi

THIS_YEAR = timezone.localdate().year


def counts():
    return (
        Household.objects.count(),
        Member.objects.count(),
        PovertyReview.objects.count(),
        AuditEntry.objects.count(),
    )


def household_data(village, **overrides):
    data = {
        "village": village.pk,
        "code": "hk001",
        "head_name": "  Nguyễn   Văn An ",
        "head_national_id": "066085001234",
        "phone": "0912345678",
        "address": "Thôn 1, xã Ea Ktur",
        "ethnic_group": kinh().pk,
        "main_crops": ["coffee", "durian"],
        "farmed_area_ha": "1.50",
        "uses_smartphone": "on",
        "uses_zalo": "on",
        "contact_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def household(village):
    return HouseholdFactory(
        village=village,
        code="HK001",
        head_name="Nguyễn Văn An",
        head_national_id="066085001234",
        phone="0912345678",
    )


# --- login, language, anonymous -----------------------------------------------------


def test_login_page_is_in_vietnamese(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_shows(response, 'lang="vi"', "Đăng nhập")


def test_english_is_served_under_en(client, db):
    response = client.get("/en/accounts/login/")
    assert response.status_code == 200
    assert_shows(response, 'lang="en"', "Log in")


def test_login_with_the_right_password_opens_the_staff_home(client, official):
    response = client.post(
        "/accounts/login/", {"username": "canbo", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("staff_home")
    assert response.context["user"] == official


def test_login_with_a_wrong_password_says_so_in_vietnamese(client, official):
    response = client.post("/accounts/login/", {"username": "canbo", "password": "x"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert_shows(
        response,
        vi("Your username and password didn't match. Please try again."),
    )


def test_logout_is_a_post_and_goes_back_to_login(official_client):
    response = official_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert official_client.get("/households/").status_code == 302


def staff_urls(household, member):
    pk = household.pk
    return [
        "/staff/",
        "/households/",
        "/households/export.xlsx",
        "/households/new/",
        f"/households/{pk}/",
        f"/households/{pk}/edit/",
        f"/households/{pk}/archive/",
        f"/households/{pk}/restore/",
        f"/households/{pk}/members/new/",
        f"/households/{pk}/members/{member.pk}/edit/",
        f"/households/{pk}/members/{member.pk}/remove/",
        f"/households/{pk}/reviews/new/",
        "/households/villages/",
        f"/households/villages/{household.village_id}/",
        "/households/reviews/import/",
        "/households/reviews/import/template.xlsx",
        "/households/reviews/import/1/",
        "/households/999999/",  # no existence leak before login either
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_login_from_every_staff_url(
    client, household, method
):
    member = MemberFactory(household=household)
    before = counts()
    for url in staff_urls(household, member):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url
    assert counts() == before


def test_root_is_the_public_home_with_a_way_to_the_staff_pages(official_client):
    """The root belongs to residents (issue 6); an official finds the staff pages."""
    response = official_client.get("/")
    assert response.status_code == 200
    assert reverse("residents:check_start") in response.content.decode()
    assert reverse("staff_home") in response.content.decode()


def test_staff_home_shows_the_commune_totals(official_client, village, other_village):
    HouseholdFactory(village=village, current_status="poor")
    HouseholdFactory(village=village, current_status="near_poor")
    response = official_client.get("/staff/")
    assert response.status_code == 200
    assert response.context["totals"] == {
        "villages": 2,
        "households": 2,
        "poor": 1,
        "near_poor": 1,
        "escaped": 0,
        "unreviewed": 0,
    }


def test_staff_pages_are_never_cached(official_client, village):
    response = official_client.get("/households/")
    assert "no-store" in response["Cache-Control"]


# --- household list -------------------------------------------------------------------


def test_list_shows_households_with_masked_ids(official_client, household):
    response = official_client.get("/households/")
    assert response.status_code == 200
    assert_shows(response, "HK001", "Nguyễn Văn An", "Thôn 1", "•••••••••234")
    assert_not_shows(response, "066085001234")


def test_list_search_finds_names_without_diacritics(
    official_client, household, village
):
    HouseholdFactory(village=village, code="HK002", head_name="Trần Thị Lan")
    response = official_client.get("/households/", {"q": "nguyen van"})
    assert [h.code for h in response.context["households"]] == ["HK001"]
    assert_shows(response, "Nguyễn Văn An")
    assert_not_shows(response, "Trần Thị Lan")


@pytest.mark.parametrize("q", ["HK001", "066085001234", "0912345678"])
def test_list_search_by_code_id_and_phone(official_client, household, village, q):
    HouseholdFactory(village=village, code="HK002")
    response = official_client.get("/households/", {"q": q})
    assert [h.code for h in response.context["households"]] == ["HK001"]


def test_list_says_when_nothing_matches(official_client, household):
    response = official_client.get("/households/", {"q": "không có ai"})
    assert list(response.context["households"]) == []
    assert_shows(
        response,
        vi("No household matches. Check the spelling, or search by code, ID or phone."),
    )


def test_list_filters_by_village_and_status(official_client, village, other_village):
    HouseholdFactory(village=village, code="A1", current_status="poor")
    HouseholdFactory(village=village, code="A2", current_status="near_poor")
    HouseholdFactory(village=other_village, code="B1", current_status="poor")
    response = official_client.get(
        "/households/", {"village": village.pk, "status": "poor"}
    )
    assert [h.code for h in response.context["households"]] == ["A1"]


def test_list_filters_by_review_year(official_client, village):
    reviewed = HouseholdFactory(village=village, code="A1")
    HouseholdFactory(village=village, code="A2")
    PovertyReviewFactory(household=reviewed, year=THIS_YEAR - 1, status="poor")
    response = official_client.get(
        "/households/", {"review_year": THIS_YEAR - 1, "status": "poor"}
    )
    assert [h.code for h in response.context["households"]] == ["A1"]


def test_list_is_paginated_and_keeps_the_filters(official_client, village):
    for n in range(30):
        HouseholdFactory(
            village=village, code=f"HK{n:03d}", head_name=f"Nguyễn Văn {n}"
        )
    first = official_client.get("/households/", {"q": "nguyen"})
    assert len(first.context["households"]) == 25
    assert first.context["paginator"].count == 30
    assert_shows(first, "?q=nguyen&page=2")
    second = official_client.get("/households/", {"q": "nguyen", "page": 2})
    assert [h.code for h in second.context["households"]] == [
        f"HK{n:03d}" for n in range(25, 30)
    ]


def test_list_sort_by_recently_changed(official_client, official, village):
    from households.services import household_update

    HouseholdFactory(village=village, code="A1")
    later = HouseholdFactory(village=village, code="B1")
    HouseholdFactory(village=village, code="C1")
    household_update(actor=official, household=later, address="Thôn 1")
    response = official_client.get("/households/", {"sort": "updated"})
    assert next(h.code for h in response.context["households"]) == "B1"
    default = official_client.get("/households/")
    assert [h.code for h in default.context["households"]] == ["A1", "B1", "C1"]


# --- create ------------------------------------------------------------------------------


def test_create_form_offers_the_users_villages(officer_client, village, other_village):
    response = officer_client.get("/households/new/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["village"].queryset) == [village]
    assert_not_shows(response, "Buôn Tiêu")


def test_create_form_preselects_the_village_from_the_link(
    official_client, other_village
):
    response = official_client.get("/households/new/", {"village": other_village.pk})
    assert response.context["form"].initial["village"] == other_village.pk


def test_create_household(official_client, official, village):
    response = official_client.post(
        "/households/new/", household_data(village), follow=True
    )
    household = Household.objects.get()
    assert response.redirect_chain == [(household.get_absolute_url(), 302)]
    assert messages_of(response) == [
        vi("Household %(code)s was registered.", code="HK001")
    ]
    assert household.code == "HK001"
    assert household.head_name == "Nguyễn Văn An"
    assert household.head_national_id == "066085001234"
    assert household.phone == "0912345678"
    assert household.main_crops == ["coffee", "durian"]
    assert household.uses_zalo and household.contact_consent
    head = household.members.get()
    assert (head.relation, head.sex, head.birth_year) == (Relation.HEAD, "male", 1985)
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Household),
        object_id=household.pk,
        action=AuditAction.CREATE,
    )
    assert entry.actor == official
    # The ID is masked on the page (and in its history) until shown on purpose.
    assert_shows(response, "Nguyễn Văn An", "•••••••••234", "0912345678")
    assert_not_shows(response, "066085001234")


@pytest.mark.parametrize(
    ("typed_id", "typed_phone"),
    [
        ("066 085 001 234", "+84 912 345 678"),
        ("066.085.001.234", "0912.345.678"),
        ("066-085-001234", "84 912 345 678"),
    ],
)
def test_ids_and_phones_are_accepted_as_people_write_them(
    official_client, village, typed_id, typed_phone
):
    """The ID card prints the number in groups; people give phones as +84 …: the form
    normalises them (text.py accepts these forms) instead of refusing them as too long."""
    response = official_client.post(
        "/households/new/",
        household_data(village, head_national_id=typed_id, phone=typed_phone),
    )
    assert response.status_code == 302, response.context["form"].errors
    household = Household.objects.get()
    assert household.head_national_id == "066085001234"
    assert household.phone == "0912345678"


def test_member_id_is_accepted_as_printed_on_the_card(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/members/new/",
        member_data(national_id="066 312 004 321"),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert household.members.get(full_name="Nguyễn Thị Mai").national_id == (
        "066312004321"
    )


def test_create_household_without_an_id(official_client, village):
    data = household_data(
        village,
        head_national_id="",
        head_sex="female",
        head_birth_year="1990",
        head_name="H'Hen Niê",
        ethnic_group=ede().pk,
    )
    response = official_client.post("/households/new/", data)
    assert response.status_code == 302
    head = Member.objects.get()
    assert (head.full_name, head.sex, head.birth_year) == ("H'Hen Niê", "female", 1990)


def assert_refused(response, field, message):
    """The form comes back with ``message`` on ``field`` (None: above the form)."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.non_field_errors() if field is None else form.errors.get(field, [])
    assert message in errors, f"{message!r} not in {field} errors: {form.errors}"
    assert_shows(response, message)


@pytest.mark.parametrize(
    ("typed", "message", "params"),
    [
        ("123456", "A national ID number has exactly 12 digits.", {}),
        ("06608500123A", "A national ID number has exactly 12 digits.", {}),
        (
            "999085001234",
            "The first three digits (%(code)s) are not a province code.",
            {"code": "999"},
        ),
        (
            "066785001234",
            "The fourth digit must be 0–5 (century and sex of the holder).",
            {},
        ),
        (
            "066299001234",
            "The birth year encoded in this ID (%(year)s) is in the future.",
            {"year": 2099},
        ),
    ],
)
def test_wrong_id_structure_is_refused_on_the_form(
    official_client, village, typed, message, params
):
    before = counts()
    response = official_client.post(
        "/households/new/", household_data(village, head_national_id=typed)
    )
    assert_refused(response, "head_national_id", vi(message, **params))
    assert counts() == before


def test_a_wrong_id_gives_one_error_not_three(official_client, village):
    """The official typed an ID: the form must not also ask for sex and birth year."""
    response = official_client.post(
        "/households/new/", household_data(village, head_national_id="999085001234")
    )
    form = response.context["form"]
    assert set(form.errors) == {"head_national_id"}, form.errors


def test_a_wrong_phone_is_refused(official_client, village):
    response = official_client.post(
        "/households/new/", household_data(village, phone="0262381234")
    )
    assert_refused(
        response,
        "phone",
        vi(
            "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 "
            "or 09 (or +84 followed by 9 digits)."
        ),
    )
    assert not Household.objects.exists()


def test_without_an_id_sex_and_birth_year_are_asked_for(official_client, village):
    response = official_client.post(
        "/households/new/", household_data(village, head_national_id="")
    )
    assert_refused(
        response, "head_sex", vi("Give the head's sex (or their ID number).")
    )
    assert_refused(
        response,
        "head_birth_year",
        vi("Give the head's birth year (or their ID number)."),
    )
    assert not Household.objects.exists()


def test_head_born_in_the_future_is_refused(official_client, village):
    response = official_client.post(
        "/households/new/",
        household_data(
            village, head_national_id="", head_sex="male", head_birth_year=THIS_YEAR + 1
        ),
    )
    assert_refused(
        response, "head_birth_year", vi("The birth year cannot be in the future.")
    )
    assert not Household.objects.exists()


def test_negative_farmed_area_is_refused(official_client, village):
    response = official_client.post(
        "/households/new/", household_data(village, farmed_area_ha="-1")
    )
    assert response.status_code == 200
    assert "farmed_area_ha" in response.context["form"].errors
    assert not Household.objects.exists()


def test_duplicate_code_is_refused_and_nothing_saved(
    official_client, village, household
):
    before = counts()
    response = official_client.post(
        "/households/new/",
        household_data(
            village,
            code="hk001",
            head_name="Lê Thị Hoa",
            head_national_id="066192004321",
            phone="",
            confirm_not_duplicate="on",
        ),
    )
    assert_refused(response, None, vi("A household with this code already exists."))
    assert counts() == before


def test_a_possible_duplicate_needs_confirmation(official_client, village, household):
    data = household_data(
        village,
        code="HK777",
        head_name="Nguyen Van An",  # same person typed without diacritics
        head_national_id="",
        head_sex="male",
        head_birth_year="1985",
        phone="",
    )
    before = counts()
    first = official_client.post("/households/new/", data)
    assert first.status_code == 200
    assert counts() == before
    assert [d.household for d in first.context["form"].duplicates] == [household]
    assert_shows(
        first,
        vi("Possible duplicates"),
        vi("near-identical name in the same village"),
        'name="confirm_not_duplicate"',
    )
    confirmed = official_client.post(
        "/households/new/", {**data, "confirm_not_duplicate": "on"}
    )
    assert confirmed.status_code == 302
    assert Household.objects.filter(code="HK777").exists()


def test_same_phone_is_flagged_before_saving(official_client, village, household):
    data = household_data(
        village,
        code="HK778",
        head_name="Lê Thị Hoa",
        head_national_id="066192004321",
        phone="0912345678",
    )
    response = official_client.post("/households/new/", data)
    assert response.status_code == 200
    assert_shows(response, vi("same phone number"), "HK001")
    assert not Household.objects.filter(code="HK778").exists()


# --- detail and edit ---------------------------------------------------------------------


def test_detail_shows_members_reviews_and_history(official_client, official, village):
    official_client.post("/households/new/", household_data(village))
    household = Household.objects.get()
    MemberFactory(household=household, full_name="Nguyễn Thị Mai", birth_year=2012)
    PovertyReviewFactory(
        household=household,
        year=2024,
        income_per_person=1_200_000,
        status="poor",
        deprivations=indicators("latrine"),
    )
    response = official_client.get(household.get_absolute_url())
    assert response.status_code == 200
    assert_shows(
        response,
        "Nguyễn Văn An",
        "Nguyễn Thị Mai",
        "2024",
        "1.200.000",
        official.get_full_name(),
    )
    with translation.override("vi"):
        assert_shows(response, str(indicators("latrine")[0]))


def test_edit_household(official_client, official, household):
    url = f"/households/{household.pk}/edit/"
    page = official_client.get(url)
    assert page.status_code == 200
    data = household_data(
        household.village,
        code="HK001",
        head_national_id="066085001234",
        phone="0987654321",
        head_name="Nguyễn Văn An",
    )
    response = official_client.post(url, data, follow=True)
    assert response.redirect_chain == [(household.get_absolute_url(), 302)]
    assert messages_of(response) == [vi("The household was saved.")]
    household.refresh_from_db()
    assert household.phone == "0987654321"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    assert entry.actor == official
    assert entry.changes["phone"] == ["0912345678", "0987654321"]
    with translation.override("vi"):
        label = str(Household._meta.get_field("phone").verbose_name)
    assert_shows(response, label[:1].upper() + label[1:], "0987654321")


def test_edit_to_another_households_code_is_refused(
    official_client, household, village
):
    other = HouseholdFactory(village=village, code="HK002")
    data = household_data(
        village,
        code="HK001",
        head_name=other.head_name,
        head_national_id="",
        phone="",
        confirm_not_duplicate="on",
    )
    response = official_client.post(f"/households/{other.pk}/edit/", data)
    assert_refused(response, None, vi("A household with this code already exists."))
    other.refresh_from_db()
    assert other.code == "HK002"


# --- archive and restore -------------------------------------------------------------


def test_get_on_archive_only_asks_for_a_reason(official_client, household):
    response = official_client.get(f"/households/{household.pk}/archive/")
    assert response.status_code == 200
    assert "reason" in response.context["form"].fields
    household.refresh_from_db()
    assert household.is_active


def test_archive_needs_a_reason(official_client, household):
    response = official_client.post(f"/households/{household.pk}/archive/", {})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    household.refresh_from_db()
    assert household.is_active


def test_archive_and_restore(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/archive/",
        {"reason": "Chuyển vào TP Buôn Ma Thuột"},
        follow=True,
    )
    assert response.redirect_chain == [(household.get_absolute_url(), 302)]
    assert messages_of(response) == [vi("The household was archived.")]
    household.refresh_from_db()
    assert not household.is_active
    assert_shows(response, "Chuyển vào TP Buôn Ma Thuột")
    listed = official_client.get("/households/")
    assert list(listed.context["households"]) == []

    assert (
        official_client.get(f"/households/{household.pk}/restore/").status_code == 405
    )
    household.refresh_from_db()
    assert not household.is_active

    response = official_client.post(f"/households/{household.pk}/restore/", follow=True)
    assert messages_of(response) == [vi("The household was restored.")]
    household.refresh_from_db()
    assert household.is_active


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("edit/", "household"),
        ("members/new/", "member"),
        ("reviews/new/", "review"),
    ],
)
def test_an_archived_household_cannot_be_changed(
    official_client, household, suffix, data
):
    """The pages hide the buttons and answer 404 to a GET; a POST must not get through."""
    household.is_active = False
    household.archived_reason = "Chuyển đi"
    household.save()
    payload = {
        "household": household_data(household.village, code="HK001", phone=""),
        "member": member_data(),
        "review": review_data(action="save"),
    }[data]
    before = counts()
    assert (
        official_client.get(f"/households/{household.pk}/{suffix}").status_code == 404
    )
    response = official_client.post(f"/households/{household.pk}/{suffix}", payload)
    assert response.status_code == 404
    assert counts() == before


# --- members ------------------------------------------------------------------------------


def member_data(**overrides):
    data = {
        "full_name": "Nguyễn Thị Mai",
        "sex": "female",
        "birth_year": "2012",
        "relation": "child",
        "ethnic_group": kinh().pk,
        "national_id": "",
        "is_student": "on",
        "has_health_insurance": "on",
    }
    data.update(overrides)
    return data


def test_add_member(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/members/new/", member_data(), follow=True
    )
    assert response.redirect_chain == [(household.get_absolute_url(), 302)]
    assert messages_of(response) == [
        vi("%(name)s was added to the household.", name="Nguyễn Thị Mai")
    ]
    member = household.members.get(full_name="Nguyễn Thị Mai")
    assert member.is_student and member.relation == "child"
    assert_shows(response, "Nguyễn Thị Mai")


def test_member_born_in_the_future_is_refused(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/members/new/",
        member_data(birth_year=str(THIS_YEAR + 1)),
    )
    assert_refused(
        response, "birth_year", vi("The birth year cannot be in the future.")
    )
    assert household.members.count() == 1


def test_member_id_must_match_the_birth_year(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/members/new/",
        member_data(national_id="066312004321", birth_year="2011"),
    )
    assert_refused(
        response,
        "birth_year",
        vi("The ID number says this person was born in %(year)s.", year=2012),
    )


def test_member_with_an_id_already_in_the_registry_is_refused(
    official_client, household
):
    response = official_client.post(
        f"/households/{household.pk}/members/new/",
        member_data(national_id="066085001234", birth_year="1985", sex="male"),
    )
    assert_refused(
        response,
        None,
        vi("Another person in the registry already has this national ID."),
    )
    assert household.members.count() == 1


def test_head_is_not_offered_as_a_relation(official_client, household):
    page = official_client.get(f"/households/{household.pk}/members/new/")
    choices = [c[0] for c in page.context["form"].fields["relation"].choices]
    assert "head" not in choices and "child" in choices
    response = official_client.post(
        f"/households/{household.pk}/members/new/", member_data(relation="head")
    )
    assert response.status_code == 200
    assert "relation" in response.context["form"].errors
    assert household.members.count() == 1


def test_edit_member(official_client, household):
    member = MemberFactory(household=household, full_name="Nguyễn Thị Mai")
    url = f"/households/{household.pk}/members/{member.pk}/edit/"
    assert official_client.get(url).status_code == 200
    response = official_client.post(
        url, member_data(has_disability="on", birth_year="2005"), follow=True
    )
    assert messages_of(response) == [vi("The member was saved.")]
    member.refresh_from_db()
    assert member.has_disability and member.birth_year == 2005


def test_the_head_name_is_not_editable_on_the_member_form(official_client, household):
    head = household.members.get()
    url = f"/households/{household.pk}/members/{head.pk}/edit/"
    form = official_client.get(url).context["form"]
    assert form.fields["full_name"].disabled
    official_client.post(
        url,
        member_data(
            full_name="Tên khác", relation="head", sex="male", birth_year="1985"
        ),
    )
    head.refresh_from_db()
    assert head.full_name == "Nguyễn Văn An"


def test_remove_member_asks_for_a_reason_first(official_client, household):
    member = MemberFactory(household=household, full_name="Nguyễn Thị Mai")
    url = f"/households/{household.pk}/members/{member.pk}/remove/"
    assert official_client.get(url).status_code == 200
    member.refresh_from_db()
    assert member.is_active
    response = official_client.post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    member.refresh_from_db()
    assert member.is_active
    response = official_client.post(url, {"reason": "Đi lấy chồng"}, follow=True)
    assert messages_of(response) == [vi("The member was removed.")]
    member.refresh_from_db()
    assert not member.is_active and member.removed_reason == "Đi lấy chồng"
    assert member not in response.context["household"].active_members


def test_the_head_cannot_be_removed(official_client, household):
    head = household.members.get()
    response = official_client.post(
        f"/households/{household.pk}/members/{head.pk}/remove/", {"reason": "x"}
    )
    assert_refused(
        response,
        None,
        vi(
            "The head cannot be removed; first make another member the head "
            "(on that member’s page)."
        ),
    )
    head.refresh_from_db()
    assert head.is_active


def test_a_removed_member_is_gone_from_the_edit_url(official_client, household):
    member = MemberFactory(
        household=household, is_active=False, removed_reason="chuyển đi"
    )
    url = f"/households/{household.pk}/members/{member.pk}/edit/"
    assert official_client.get(url).status_code == 404


def test_a_member_of_another_household_is_not_reachable_through_this_one(
    official_client, household, village
):
    stranger = MemberFactory(household=HouseholdFactory(village=village))
    base = f"/households/{household.pk}/members/{stranger.pk}"
    assert official_client.get(f"{base}/edit/").status_code == 404
    assert official_client.post(f"{base}/remove/", {"reason": "x"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


# --- yearly review -------------------------------------------------------------------------


def review_data(**overrides):
    data = {
        "year": str(THIS_YEAR),
        "income_per_person": "1200000",
        "deprivations": [
            d.pk for d in indicators("housing_area", "latrine", "telecom")
        ],
        "status": "",
        "override_reason": "",
        "notes": "",
        "action": "propose",
    }
    data.update(overrides)
    return data


def test_review_page_offers_this_years_indicators(official_client, household):
    response = official_client.get(f"/households/{household.pk}/reviews/new/")
    assert response.status_code == 200
    assert response.context["form"].fields["deprivations"].queryset.count() == 12
    assert response.context["form"].initial["year"] == THIS_YEAR


def test_propose_shows_the_status_and_why_and_saves_nothing(official_client, household):
    before = counts()
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/", review_data()
    )
    assert response.status_code == 200
    assert counts() == before
    proposal = response.context["proposal"]
    assert proposal.status == "poor"
    with translation.override("vi"):
        latrine = str(indicators("latrine")[0])
    assert_shows(response, proposal.reason[1:], latrine, vi("poor"), 'value="save"')
    with translation.override("vi"):
        assert vi("%(amount)s million", amount="1,2") in proposal.reason


def test_save_records_the_review(official_client, official, household):
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(action="save"),
        follow=True,
    )
    assert response.redirect_chain == [(household.get_absolute_url(), 302)]
    assert messages_of(response) == [
        vi(
            "The %(year)s review was recorded: %(status)s.",
            year=THIS_YEAR,
            status=vi("poor"),
        )
    ]
    review = household.reviews.get()
    assert (review.year, review.status, review.income_per_person) == (
        THIS_YEAR,
        "poor",
        1_200_000,
    )
    assert review.recorded_by == official
    household.refresh_from_db()
    assert household.current_status == "poor"
    assert_shows(response, "1.200.000")
    assert response.context["reviewed_this_year"]


def test_negative_income_is_refused_on_the_form(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(income_per_person="-5", action="save"),
    )
    assert_refused(response, "income_per_person", vi("Income cannot be below zero."))
    assert not PovertyReview.objects.exists()


def test_a_future_year_is_refused_on_the_form(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(year=str(THIS_YEAR + 1), action="save"),
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not PovertyReview.objects.exists()


def test_a_second_review_for_the_same_year_is_refused(official_client, household):
    PovertyReviewFactory(household=household, year=THIS_YEAR, income_per_person=900_000)
    before = counts()
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(income_per_person="3000000", action="save"),
    )
    assert_refused(
        response, None, vi("This household already has a review for that year.")
    )
    assert counts() == before
    assert household.reviews.get().income_per_person == 900_000


def test_an_override_without_a_reason_is_refused(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(status="near_poor", action="save"),
    )
    message = vi(
        "The portal proposes “%(proposed)s”; say why you record “%(chosen)s”.",
        proposed=vi("poor"),
        chosen=vi("near-poor"),
    )
    assert_refused(response, "override_reason", message)
    assert not PovertyReview.objects.exists()
    assert response.context["proposal"].status == "poor"


def test_an_override_with_a_reason_is_recorded(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(
            status="near_poor",
            override_reason="Con trai đã đi làm công nhân từ tháng 9",
            action="save",
        ),
        follow=True,
    )
    review = household.reviews.get()
    assert (review.proposed_status, review.status) == ("poor", "near_poor")
    assert review.override_reason == "Con trai đã đi làm công nhân từ tháng 9"
    assert_shows(response, "Con trai đã đi làm công nhân từ tháng 9")


def test_review_year_picks_the_standard_of_that_year(official_client, household):
    response = official_client.post(
        f"/households/{household.pk}/reviews/new/",
        review_data(year=str(THIS_YEAR - 1), income_per_person="1600000"),
    )
    assert response.context["standard"].first_year <= THIS_YEAR - 1
    assert response.context["proposal"].status == "average"


# --- villages --------------------------------------------------------------------------------


def test_village_list_shows_counts(official_client, village, other_village):
    HouseholdFactory(village=village, current_status="poor")
    HouseholdFactory(village=other_village, current_status="near_poor")
    response = official_client.get("/households/villages/")
    assert response.status_code == 200
    rows = {v.name: v for v in response.context["villages"]}
    assert rows["Thôn 1"].n_poor == 1
    assert rows["Buôn Tiêu"].n_near_poor == 1
    assert_shows(response, "Thôn 1", "Buôn Tiêu")


def test_village_detail(official_client, officer, village):
    HouseholdFactory(village=village, current_status="poor")
    HouseholdFactory(village=village)
    response = official_client.get(f"/households/villages/{village.pk}/")
    assert response.status_code == 200
    assert response.context["total"] == 2
    assert response.context["unreviewed"] == 1
    assert_shows(response, "Thôn 1", officer.get_full_name())
