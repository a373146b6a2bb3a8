"""What an official's browser can send twice or wrong, and what a moved household shows:
a resent form records once, a reused form never drops a second payment, absurd dates and
amounts are refused with a message, buttons appear only for actions that can succeed."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from households.services import household_update
from loans.models import Loan, LoanStatus, Repayment
from tests.factories import HouseholdFactory, PovertyReviewFactory
from tests.factories.loans import SavingsGroupFactory, disbursed_loan, repayment
from tests.loans.test_views_loans import (  # noqa: F401 (the pinned date, autouse)
    _today,
    application,
    apply_url,
)
from tests.pages import assert_not_shows, assert_shows, vi


@pytest.fixture
def poor_household(village):
    household = HouseholdFactory(village=village, code="T01-077")
    PovertyReviewFactory(household=household, year=2025, status="poor")
    return household


@pytest.fixture
def group(village):
    return SavingsGroupFactory(village=village, name="Tổ Hội Nông dân thôn 1")


def test_an_application_sent_twice_enters_one_loan(
    official_client, poor_household, group
):
    data = application(group, request_key=str(uuid.uuid4()))
    first = official_client.post(apply_url(poor_household), data)
    second = official_client.post(apply_url(poor_household), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Loan.objects.filter(household=poor_household).count() == 1


def test_an_application_form_reused_for_another_program_is_refused(
    official_client, poor_household, group
):
    key = str(uuid.uuid4())
    official_client.post(apply_url(poor_household), application(group, request_key=key))
    other = application(
        group, code="NUOC_SACH", amount="20.000.000", term_months="36",
        override_reason="Hộ cần xây nhà tiêu", request_key=key,
    )  # fmt: skip
    response = official_client.post(apply_url(poor_household), other)
    assert response.status_code == 200
    assert_shows(
        response,
        vi(
            "This form has already entered an application. Open the application "
            "form again to enter another one."
        ),
    )
    assert Loan.objects.filter(household=poor_household).count() == 1


def test_a_repayment_form_reused_with_other_figures_never_drops_the_payment(
    official_client, village
):
    loan = disbursed_loan(household__village=village, disbursed_on=date(2025, 3, 10))
    url = reverse("loans:repayment_create", args=[loan.pk])
    key = str(uuid.uuid4())
    form = {"paid_on": "10/05/2025", "principal": "1.000.000", "interest": "0"}
    official_client.post(url, {**form, "request_key": key})
    again = {**form, "paid_on": "11/05/2025", "principal": "2.000.000"}
    response = official_client.post(url, {**again, "request_key": key})
    assert response.status_code == 200
    assert_shows(
        response,
        vi(
            "This form has already recorded a repayment. Open the repayment form "
            "again to record another one."
        ),
    )
    loan.refresh_from_db()
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert loan.principal_repaid == 1_000_000


def test_a_date_from_last_century_is_refused(official_client, poor_household, group):
    response = official_client.post(
        apply_url(poor_household), application(group, applied_on="01/01/1900")
    )
    assert response.status_code == 200
    assert_shows(
        response, vi("Dates before 01/01/2000 are not accepted; check the year.")
    )
    assert not Loan.objects.exists()


def test_an_absurd_amount_is_refused_with_a_message(
    official_client, poor_household, group
):
    response = official_client.post(
        apply_url(poor_household),
        application(
            group, code="NOXH", amount="99.999.999.999.999.999.999",
            override_reason="Dự án nhà ở xã hội của tỉnh",
        ),
    )  # fmt: skip
    assert response.status_code == 200
    assert_shows(response, vi("That amount is too large; check the number of zeros."))
    assert not Loan.objects.exists()


def test_a_household_that_moved_village_leaves_its_old_groups_page(
    client, official, officer, village, other_village
):
    """The officer of the old village no longer sees the household, its name or its
    loan on the group's page, and cannot remove it."""
    group = SavingsGroupFactory(village=village)
    household = HouseholdFactory(village=village, head_name="Lê Thị Chuyển")
    disbursed_loan(household=household, savings_group=group, amount=33_000_000)
    household_update(actor=official, household=household, village=other_village)

    client.force_login(officer)
    page = client.get(group.get_absolute_url())
    assert page.status_code == 200
    assert_not_shows(page, "Lê Thị Chuyển", "33.000.000")
    remove = reverse("loans:group_member_remove", args=[group.pk, household.pk])
    assert client.get(remove).status_code == 404


def test_remove_is_offered_only_to_members_without_a_running_loan(
    official_client, village
):
    group = SavingsGroupFactory(village=village)
    borrower = HouseholdFactory(village=village)
    member = HouseholdFactory(village=village)
    group.members.add(member)
    disbursed_loan(household=borrower, savings_group=group)
    page = official_client.get(group.get_absolute_url()).content.decode()
    assert reverse("loans:group_member_remove", args=[group.pk, member.pk]) in page
    assert (
        reverse("loans:group_member_remove", args=[group.pk, borrower.pk]) not in page
    )


def test_reverse_is_not_offered_for_interest_of_a_settled_loan(
    official_client, village
):
    loan = disbursed_loan(
        household__village=village, amount=10_000_000, disbursed_on=date(2025, 1, 10)
    )
    interest_only = repayment(
        loan, paid_on=date(2025, 2, 10), principal=0, interest=55_000
    )
    settling = repayment(loan, paid_on=date(2025, 3, 10), principal=10_000_000)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SETTLED
    page = official_client.get(loan.get_absolute_url()).content.decode()
    reverse_url = "loans:repayment_reverse"
    assert reverse(reverse_url, args=[loan.pk, settling.pk]) in page
    assert reverse(reverse_url, args=[loan.pk, interest_only.pk]) not in page
