"""Walk-ins to match: the list of the user's villages with registry suggestions, "this
is …" (walk_in_match) and "add to the registry" (walk_in_add_to_registry), and that
neither creates a second row or a second household for the same person."""

import pytest
from django.urls import reverse

from households.models import Household, Member
from tests.factories import HouseholdFactory, MemberFactory, kinh
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import Enrolment, EnrolmentStatus

LIST = reverse("trainings:walk_in_list")


@pytest.fixture
def session(commune, village):
    return SessionFactory(
        course=CourseFactory(commune=commune, title="Nuôi bò sinh sản"), village=village
    )


@pytest.fixture
def walk_in(session, village):
    return EnrolmentFactory(
        session=session,
        member=None,
        full_name="Hoàng Văn Sơn",
        birth_year=1980,
        phone="0987654321",
        village=village,
    )


@pytest.fixture
def registry_person(village):
    household = HouseholdFactory(
        village=village, code="T01-050", head_name="Hoàng Văn Sơn", phone="0987654321"
    )
    head = household.members.get()
    head.birth_year = 1980  # the walk-in's
    head.save(update_fields=["birth_year"])
    return head


def test_list_shows_the_users_walk_ins_with_suggestions(
    officer_client, walk_in, registry_person, session, other_village
):
    EnrolmentFactory(
        session=SessionFactory(course=session.course, village=other_village),
        member=None,
        full_name="Y Bhim Niê",
        village=other_village,
    )
    EnrolmentFactory(
        session=session, member=None, full_name="Đã Rút", status="withdrawn"
    )

    response = officer_client.get(LIST)

    assert response.status_code == 200
    assert_shows(
        response,
        "Hoàng Văn Sơn",
        "Nuôi bò sinh sản",
        "T01-050",
        vi("same name"),
        vi("same phone"),
        vi("This is %(name)s", name="Hoàng Văn Sơn"),
    )
    assert_not_shows(response, "Y Bhim Niê", "Đã Rút")


def test_a_similar_name_born_the_same_year_is_suggested(
    officer_client, session, village
):
    EnrolmentFactory(
        session=session, member=None, full_name="Y Bhin Nie", birth_year=1990
    )
    household = HouseholdFactory(village=village, code="T01-070")
    MemberFactory(household=household, full_name="Y Bhim Niê", birth_year=1990)
    MemberFactory(household=household, full_name="Y Bhim Niê", birth_year=1970)

    response = officer_client.get(LIST)

    assert_shows(response, vi("similar name"), vi("same birth year"))
    assert text_of(response).count('name="member"') == 1


def test_this_is_links_the_walk_in_to_the_member(
    officer_client, walk_in, registry_person
):
    response = officer_client.post(
        reverse("trainings:walk_in_match", args=[walk_in.pk]),
        {"member": registry_person.pk, "household": registry_person.household_id},
        follow=True,
    )

    walk_in.refresh_from_db()
    assert (walk_in.member, walk_in.household) == (
        registry_person,
        registry_person.household,
    )
    assert_shows(
        response,
        vi(
            "%(walk_in)s is now recorded as %(name)s of household %(code)s.",
            walk_in="Hoàng Văn Sơn",
            name="Hoàng Văn Sơn",
            code="T01-050",
        ),
        vi("No walk-in is waiting to be matched."),
    )
    assert Enrolment.objects.count() == 1
    # Matched: it is no longer a walk-in, so a second submit finds nothing to match.
    again = officer_client.post(
        reverse("trainings:walk_in_match", args=[walk_in.pk]),
        {"member": registry_person.pk, "household": registry_person.household_id},
    )
    assert again.status_code == 404


def test_matching_to_a_member_already_enrolled_keeps_one_row(
    officer_client, walk_in, registry_person, session
):
    EnrolmentFactory(session=session, member=registry_person)

    officer_client.post(
        reverse("trainings:walk_in_match", args=[walk_in.pk]),
        {"member": registry_person.pk, "household": registry_person.household_id},
    )

    active = Enrolment.objects.filter(session=session).exclude(
        status=EnrolmentStatus.WITHDRAWN
    )
    assert list(active.values_list("member", flat=True)) == [registry_person.pk]


def test_adding_to_the_registry_creates_one_household_headed_by_the_walk_in(
    officer_client, session, village
):
    walk_in = EnrolmentFactory(
        session=session,
        member=None,
        full_name="Y Bhim Niê",
        birth_year=1992,
        phone="0905111222",
        village=village,
    )
    url = reverse("trainings:walk_in_add", args=[walk_in.pk])
    form = officer_client.get(url)
    assert_shows(form, 'value="1992"', 'value="0905111222"')

    households_before = Household.objects.count()
    response = officer_client.post(
        url,
        {
            "code": "T01-900",
            "sex": "male",
            "birth_year": "1992",
            "ethnic_group": kinh().pk,
            "phone": "0905111222",
        },
        follow=True,
    )

    household = Household.objects.get(code="T01-900")
    assert Household.objects.count() == households_before + 1
    head = household.members.get()
    assert (head.full_name, head.birth_year, household.village) == (
        "Y Bhim Niê",
        1992,
        village,
    )
    walk_in.refresh_from_db()
    assert walk_in.member == head
    assert response.redirect_chain[-1][0] == household.get_absolute_url()
    assert_shows(
        response,
        vi(
            "%(name)s was added to the registry as the head of household %(code)s.",
            name="Y Bhim Niê",
            code="T01-900",
        ),
    )
    assert officer_client.post(url, {"code": "T01-901"}).status_code == 404
    assert Household.objects.count() == households_before + 1


def test_adding_a_namesake_asks_to_match_first_and_saves_nothing(
    officer_client, walk_in, registry_person
):
    url = reverse("trainings:walk_in_add", args=[walk_in.pk])
    data = {
        "code": "T01-901",
        "sex": "male",
        "birth_year": "1980",
        "ethnic_group": kinh().pk,
    }
    members_before = Member.objects.count()

    response = officer_client.post(url, data)

    assert response.status_code == 200
    assert_shows(response, vi("Nothing was saved."), "T01-050")
    assert Member.objects.count() == members_before
    walk_in.refresh_from_db()
    assert walk_in.member is None

    confirmed = officer_client.post(url, {**data, "allow_namesake": "on"})
    assert confirmed.status_code == 302
    assert Household.objects.filter(code="T01-901").exists()


def test_walk_ins_of_another_village_are_not_found(
    officer_client, commune, other_village, registry_person
):
    theirs = EnrolmentFactory(
        session=SessionFactory(
            course=CourseFactory(commune=commune), village=other_village
        ),
        member=None,
        full_name="Hoàng Văn Sơn",
        village=other_village,
    )
    assert (
        officer_client.get(
            reverse("trainings:walk_in_add", args=[theirs.pk])
        ).status_code
        == 404
    )
    response = officer_client.post(
        reverse("trainings:walk_in_match", args=[theirs.pk]),
        {"member": registry_person.pk, "household": registry_person.household_id},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.member is None
