"""The trainings section of the household page: the members' enrolments (course,
session date, status) after the loans, the courses recommended for the household's loan
purposes with their next session, and "Enrol a member"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import HouseholdFactory, MemberFactory
from tests.factories.loans import LoanFactory
from tests.factories.trainings import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    in_days,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi


@pytest.fixture
def household(village):
    return HouseholdFactory(village=village, code="T01-011", head_name="Đinh Văn Lực")


def household_page(client, household):
    response = client.get(household.get_absolute_url())
    assert response.status_code == 200
    return response


def test_panel_lists_the_households_trainings_after_the_loans(
    officer_client, household, commune, village
):
    member = MemberFactory(household=household, full_name="Đinh Thị Hạnh")
    course = CourseFactory(commune=commune, title="Kỹ thuật trồng sầu riêng")
    start = timezone.now() - timedelta(days=20)
    past = SessionFactory(
        course=course,
        village=village,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="held",
    )
    EnrolmentFactory(session=past, member=member, status="attended")
    EnrolmentFactory(
        session=SessionFactory(course=course, village=village), member=member
    )
    LoanFactory(household=household)

    response = household_page(officer_client, household)

    page = text_of(response)
    assert page.index('id="loans-h"') < page.index('id="trainings-h"')
    assert page.index('id="trainings-h"') < page.index('id="outreach-h"')
    section = page[page.index('id="trainings"') : page.index('id="outreach"')]
    assert section.count("Kỹ thuật trồng sầu riêng") == 2
    assert timezone.localtime(start).strftime("%d/%m/%Y") in section
    assert vi("attended") in section and vi("registered") in section
    assert reverse("trainings:session_detail", args=[past.pk]) in section
    assert reverse("trainings:household_enrol", args=[household.pk]) in section


def test_panel_recommends_courses_for_the_households_loan_purposes(
    officer_client, household, commune, village
):
    LoanFactory(household=household, purpose="coffee")
    coffee = CourseFactory(
        commune=commune, title="Cà phê bền vững", loan_purpose="coffee"
    )
    SessionFactory(course=coffee, village=village, starts_at=in_days(9))
    SessionFactory(course=coffee, village=village, starts_at=in_days(4))
    pepper = CourseFactory(commune=commune, title="Hồ tiêu sạch", loan_purpose="pepper")
    SessionFactory(course=pepper, village=village)

    response = household_page(officer_client, household)

    assert_shows(
        response, vi("Recommended with this household's loans"), "Cà phê bền vững"
    )
    assert_not_shows(response, "Hồ tiêu sạch")
    page = text_of(response)
    recommended = page[page.index('id="trainings-recommended"') :]
    assert in_days(4).strftime("%d/%m/%Y") in recommended[: recommended.index("</ul>")]


def test_panel_without_trainings_says_so(officer_client, household):
    response = household_page(officer_client, household)
    assert_shows(response, vi("No training recorded."), vi("Enrol a member"))
    assert_not_shows(response, vi("Recommended with this household's loans"))


def test_enrol_a_member_lists_the_recommended_course_first(
    officer_client, household, commune, village
):
    MemberFactory(household=household, full_name="Đinh Thị Hạnh")
    LoanFactory(household=household, purpose="coffee")
    other = CourseFactory(commune=commune, title="Chăn nuôi gà")
    SessionFactory(course=other, village=village, starts_at=in_days(1))
    coffee = CourseFactory(
        commune=commune, title="Cà phê bền vững", loan_purpose="coffee"
    )
    coffee_session = SessionFactory(
        course=coffee, village=village, starts_at=in_days(6)
    )

    url = reverse("trainings:household_enrol", args=[household.pk])
    page = text_of(officer_client.get(f"{url}?course={coffee.pk}"))

    assert page.index("Cà phê bền vững") < page.index("Chăn nuôi gà")
    assert vi("recommended with its loans") in page
    assert (
        f'value="{coffee_session.pk}" id="session-{coffee_session.pk}" autocomplete="off" checked'
        in page
    )
    assert "Đinh Thị Hạnh" in page and "Đinh Văn Lực" in page
