"""The session's page and enrolment through the test client: the roster in sign-in order
with places and the waiting list, the member search, enrolling a member or a walk-in,
withdrawing (who moved up), enrolling from the household page, and the village scope.

Pages are served in Vietnamese; expected texts are looked up in the Vietnamese catalogue
with ``vi()``, so a test checks what the official reads.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eakutur.accounts.models import Role
from tests.factories import HouseholdFactory, MemberFactory, UserFactory
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    in_days,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi
from trainings.models import Enrolment, EnrolmentStatus


@pytest.fixture
def course(commune):
    return CourseFactory(commune=commune, title="Trồng cà phê bền vững")


@pytest.fixture
def session(course, village):
    return SessionFactory(
        course=course,
        village=village,
        capacity=2,
        place="Nhà văn hóa thôn 1",
        trainer="KS. Lê Văn Tâm",
    )


@pytest.fixture
def household(village):
    return HouseholdFactory(
        village=village, code="T01-007", head_name="Nguyễn Văn Hùng", phone="0912345678"
    )


def member_of(household, name: str, year: int = 1990):
    return MemberFactory(household=household, full_name=name, birth_year=year)


def page_url(session, **params) -> str:
    url = reverse("trainings:session_detail", args=[session.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def enrol(client, session, member, **extra):
    return client.post(
        reverse("trainings:enrol_member", args=[session.pk]),
        {"member": member.pk, "household": member.household_id, **extra},
        follow=True,
    )


def rows(session) -> list[tuple[str, str]]:
    return list(
        Enrolment.objects.filter(session=session)
        .order_by("pk")
        .values_list("full_name", "status")
    )


def roster_names(response, list_id: str) -> list[str]:
    page = text_of(response)
    start = page.index(f'id="{list_id}"')
    block = page[start : page.index("</ol>", start)]
    return [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r'class="fw-semibold"[^>]*>(.*?)</', block)
    ]


# --- The session's page ------------------------------------------------------------------


def test_roster_lists_place_holders_by_name_then_the_waiting_list(
    official_client, session, household
):
    EnrolmentFactory(session=session, member=member_of(household, "Trần Thị Bích"))
    EnrolmentFactory(session=session, member=member_of(household, "Âu Văn An"))
    first = EnrolmentFactory(
        session=session,
        member=member_of(household, "Y Bhim Niê"),
        status=EnrolmentStatus.WAITLISTED,
    )
    second = EnrolmentFactory(
        session=session, member=None, full_name="H'Linh Knul", status="waitlisted"
    )
    EnrolmentFactory(
        session=session, member=member_of(household, "Lò Văn Bỏ"), status="withdrawn"
    )

    response = official_client.get(page_url(session))

    assert response.status_code == 200
    assert roster_names(response, "roster-list") == ["Âu Văn An", "Trần Thị Bích"]
    assert roster_names(response, "waiting-list") == ["Y Bhim Niê", "H'Linh Knul"]
    assert_shows(
        response, "Trồng cà phê bền vững", "Nhà văn hóa thôn 1", vi("Waiting list")
    )
    assert_not_shows(response, "Lò Văn Bỏ")
    page = text_of(response)
    assert (
        '<span data-count="taken">2</span> / <span data-count="capacity">2</span>'
        in page
    )
    assert re.search(
        rf'data-enrolment="{first.pk}">\s*<div>\s*<span[^>]*>1</span>', page
    )
    assert re.search(
        rf'data-enrolment="{second.pk}">\s*<div>\s*<span[^>]*>2</span>', page
    )


def test_another_villages_session_is_not_found_for_a_village_officer(
    officer_client, commune, other_village, household
):
    elsewhere = SessionFactory(
        course=CourseFactory(commune=commune, target_villages=[other_village]),
        village=other_village,
    )
    member = member_of(household, "Nguyễn Thị Mai")

    assert officer_client.get(page_url(elsewhere)).status_code == 404
    response = officer_client.post(
        reverse("trainings:enrol_member", args=[elsewhere.pk]),
        {"member": member.pk, "household": household.pk},
    )
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_search_finds_people_of_the_users_villages_by_name_code_or_phone(
    officer_client, session, household, other_village
):
    member_of(household, "Phạm Thị Hoa", 1985)
    stranger = HouseholdFactory(
        village=other_village, code="B01-001", head_name="Y Hoa Êban"
    )
    member_of(stranger, "Phạm Thị Hoa", 1985)

    by_name = officer_client.get(page_url(session, q="pham thi hoa"))
    assert text_of(by_name).count('name="member"') == 1
    assert_shows(by_name, "Phạm Thị Hoa", "T01-007")
    assert_not_shows(by_name, "B01-001")

    by_code = officer_client.get(page_url(session, q="T01-007"))
    assert_shows(by_code, "Phạm Thị Hoa", "Nguyễn Văn Hùng")
    by_phone = officer_client.get(page_url(session, q="0912345678"))
    assert_shows(by_phone, "Phạm Thị Hoa")

    nobody = officer_client.get(page_url(session, q="khong co ai"))
    assert_shows(
        nobody,
        vi(
            "Nobody of your villages matches. Check the spelling, or enrol them as a walk-in below."
        ),
    )


def test_search_marks_people_already_enrolled(official_client, session, household):
    member = member_of(household, "Phạm Thị Hoa")
    EnrolmentFactory(session=session, member=member)
    response = official_client.get(page_url(session, q="hoa"))
    assert_shows(response, vi("already enrolled"))
    assert f'name="member" value="{member.pk}"' not in text_of(response)


# --- Enrolling -----------------------------------------------------------------------------


def test_enrolling_registers_until_full_then_puts_people_on_the_waiting_list(
    officer_client, session, household
):
    a, b, c, d = (
        member_of(household, name)
        for name in ("Lê Thị Ánh", "Lê Văn Bình", "Lê Văn Cường", "Lê Thị Dung")
    )
    assert_shows(
        enrol(officer_client, session, a),
        vi("%(name)s is registered.", name="Lê Thị Ánh"),
    )
    enrol(officer_client, session, b)

    response = enrol(officer_client, session, c)
    assert_shows(
        response,
        vi(
            "%(name)s is on the waiting list, position %(position)s: the session is "
            "full. They move up when someone withdraws.",
            name="Lê Văn Cường",
            position=1,
        ),
    )
    response = enrol(officer_client, session, d)
    assert_shows(
        response,
        vi(
            "%(name)s is on the waiting list, position %(position)s: the session is "
            "full. They move up when someone withdraws.",
            name="Lê Thị Dung",
            position=2,
        ),
    )
    assert rows(session) == [
        ("Lê Thị Ánh", "registered"),
        ("Lê Văn Bình", "registered"),
        ("Lê Văn Cường", "waitlisted"),
        ("Lê Thị Dung", "waitlisted"),
    ]
    assert_shows(
        response, vi("The session is full: new enrolments go to the waiting list.")
    )


def test_enrolling_the_same_person_twice_is_refused_in_vietnamese(
    officer_client, session, household
):
    member = member_of(household, "Lê Thị Ánh")
    enrol(officer_client, session, member)

    response = enrol(officer_client, session, member, q="anh")

    assert_shows(
        response,
        vi(
            "%(name)s is already enrolled in this session (%(status)s).",
            name="Lê Thị Ánh",
            status=vi("registered"),
        ),
    )
    assert response.redirect_chain[-1][0].endswith("?q=anh#enrol")
    assert rows(session) == [("Lê Thị Ánh", "registered")]


def test_an_officer_cannot_enrol_people_of_another_village(
    officer_client, commune, village, other_village
):
    # A commune-wide course: the officer sees the session held in their village.
    session = SessionFactory(course=CourseFactory(commune=commune), village=village)
    stranger = member_of(HouseholdFactory(village=other_village), "Y Bhim Niê")

    response = enrol(officer_client, session, stranger)
    assert response.status_code == 404

    response = officer_client.post(
        reverse("trainings:enrol_walk_in", args=[session.pk]),
        {"full_name": "Y Bhim Niê", "birth_year": "1990", "village": other_village.pk},
    )
    assert response.status_code == 200
    assert_shows(response, vi("Nothing was saved."))
    assert not Enrolment.objects.exists()


def test_a_walk_in_found_in_the_registry_is_enrolled_as_that_person(
    officer_client, session, household, village
):
    member = member_of(household, "Hoàng Văn Sơn", 1980)

    response = officer_client.post(
        reverse("trainings:enrol_walk_in", args=[session.pk]),
        {"full_name": "hoang van son", "birth_year": "1980", "village": village.pk},
        follow=True,
    )

    enrolment = Enrolment.objects.get()
    assert enrolment.member == member
    assert_shows(
        response,
        vi(
            "Found in the registry as %(name)s, household %(code)s (%(village)s); "
            "enrolled as that person.",
            name="Hoàng Văn Sơn",
            code="T01-007",
            village=village.name,
        ),
        vi("%(name)s is registered.", name="Hoàng Văn Sơn"),
    )


def test_a_walk_in_not_in_the_registry_is_kept_as_a_walk_in(
    officer_client, session, village
):
    response = officer_client.post(
        reverse("trainings:enrol_walk_in", args=[session.pk]),
        {
            "full_name": "  Y  Bhim   Niê ",
            "birth_year": "1992",
            "phone": "+84 912 000 111",
            "village": village.pk,
        },
        follow=True,
    )
    enrolment = Enrolment.objects.get()
    assert (enrolment.member, enrolment.full_name, enrolment.phone) == (
        None,
        "Y Bhim Niê",
        "0912000111",
    )
    assert_shows(
        response, vi("%(name)s is registered.", name="Y Bhim Niê"), vi("walk-in")
    )


def test_walk_in_form_errors_are_shown_and_nothing_is_saved(
    officer_client, session, village
):
    response = officer_client.post(
        reverse("trainings:enrol_walk_in", args=[session.pk]),
        {
            "full_name": "",
            "birth_year": "3000",
            "phone": "12345",
            "village": village.pk,
        },
    )
    assert response.status_code == 200
    assert_shows(
        response,
        vi("Nothing was saved."),
        vi("The birth year cannot be in the future."),
    )
    assert not Enrolment.objects.exists()


# --- Withdrawing ---------------------------------------------------------------------------


def test_withdrawing_asks_first_then_names_who_moved_up(
    official_client, session, household
):
    leaving = EnrolmentFactory(
        session=session, member=member_of(household, "Lê Thị Ánh")
    )
    EnrolmentFactory(session=session, member=member_of(household, "Lê Văn Bình"))
    EnrolmentFactory(
        session=session,
        member=member_of(household, "Lê Văn Cường"),
        status="waitlisted",
    )
    url = reverse("trainings:enrolment_withdraw", args=[session.pk, leaving.pk])

    confirm = official_client.get(url)
    assert_shows(confirm, vi("Withdraw %(name)s?", name="Lê Thị Ánh"))
    assert rows(session)[0] == ("Lê Thị Ánh", "registered")

    response = official_client.post(url, follow=True)

    assert_shows(
        response,
        vi("%(name)s was withdrawn.", name="Lê Thị Ánh")
        + " "
        + vi("%(names)s moved up from the waiting list.", names="Lê Văn Cường"),
    )
    assert rows(session) == [
        ("Lê Thị Ánh", "withdrawn"),
        ("Lê Văn Bình", "registered"),
        ("Lê Văn Cường", "registered"),
    ]


def test_someone_already_marked_cannot_be_withdrawn(
    official_client, session, household
):
    came = EnrolmentFactory(
        session=session, member=member_of(household, "Lê Thị Ánh"), status="attended"
    )
    url = reverse("trainings:enrolment_withdraw", args=[session.pk, came.pk])

    page = official_client.get(url)
    assert_shows(
        page,
        vi(
            "Attendance of this person is already marked: there is nothing to "
            "withdraw. Correct it on the attendance sheet instead."
        ),
    )
    assert 'class="btn btn-danger' not in text_of(page)
    response = official_client.post(url, follow=True)
    assert_shows(
        response,
        vi(
            "Attendance of %(name)s is already marked; correct it instead.",
            name="Lê Thị Ánh",
        ),
    )
    assert rows(session) == [("Lê Thị Ánh", "attended")]


def test_withdrawing_an_enrolment_of_another_session_is_not_found(
    official_client, session, course, village
):
    other = EnrolmentFactory(session=SessionFactory(course=course, village=village))
    url = reverse("trainings:enrolment_withdraw", args=[session.pk, other.pk])
    assert official_client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.status == EnrolmentStatus.REGISTERED


# --- From the household page ---------------------------------------------------------------


def test_enrolling_from_the_household_page(officer_client, session, household, course):
    member = member_of(household, "Lê Thị Ánh")
    past = SessionFactory(course=course, village=session.village, starts_at=in_days(-3))
    url = reverse("trainings:household_enrol", args=[household.pk])

    page = officer_client.get(url)
    assert page.status_code == 200
    assert f'name="session" value="{session.pk}"' in text_of(page)
    assert f'name="session" value="{past.pk}"' not in text_of(page)

    response = officer_client.post(
        url, {"member": member.pk, "session": session.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == household.get_absolute_url()
    assert_shows(response, vi("%(name)s is registered.", name="Lê Thị Ánh"))
    assert rows(session) == [("Lê Thị Ánh", "registered")]


def test_household_enrol_page_refuses_without_saving(
    officer_client, session, household
):
    member = member_of(household, "Lê Thị Ánh")
    EnrolmentFactory(session=session, member=member)
    url = reverse("trainings:household_enrol", args=[household.pk])

    missing = officer_client.post(url, {"session": session.pk})
    assert_shows(missing, vi("Choose the person to enrol."))
    twice = officer_client.post(url, {"member": member.pk, "session": session.pk})
    assert twice.status_code == 200
    assert_shows(
        twice,
        vi("Nothing was saved."),
        vi(
            "%(name)s is already enrolled in this session (%(status)s).",
            name="Lê Thị Ánh",
            status=vi("registered"),
        ),
    )
    assert Enrolment.objects.count() == 1


def test_household_enrol_page_of_another_village_is_not_found(
    officer_client, other_village
):
    stranger = HouseholdFactory(village=other_village)
    url = reverse("trainings:household_enrol", args=[stranger.pk])
    assert officer_client.get(url).status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_session_page_query_count_does_not_grow(
    client, session, household, commune, village, django_assert_max_num_queries
):
    user = UserFactory(role=Role.VILLAGE_OFFICER, commune=commune, villages=[village])
    client.force_login(user)
    for n in range(3):
        EnrolmentFactory(session=session, member=member_of(household, f"Người {n}"))
    url = page_url(session, q="nguoi")
    small = _queries(client, url)
    for n in range(3, 30):
        other = HouseholdFactory(village=village)
        status = "registered" if n < 10 else "waitlisted"
        EnrolmentFactory(
            session=session, member=member_of(other, f"Người {n}"), status=status
        )
    for n in range(5):
        EnrolmentFactory(session=session, member=None, full_name=f"Khách {n}")
    large = _queries(client, url)
    assert small == large
    with django_assert_max_num_queries(small):
        client.get(url)
