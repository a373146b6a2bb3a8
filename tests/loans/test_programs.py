"""The program catalogue page: every shipped program with its cap, rates (the overdue rate
at 130%), term, who qualifies and what is unconfirmed; retired programs marked and listed
last; running loans counted within the reader's villages."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from loans.models import LoanProgram
from tests.factories import HouseholdFactory
from tests.factories.loans import disbursed_loan, program
from tests.pages import vi

pytestmark = pytest.mark.django_db

SHIPPED = {
    "HO_NGHEO",
    "HO_CAN_NGHEO",
    "HO_MOI_THOAT_NGHEO",
    "SXKD_VKK",
    "VIEC_LAM",
    "NUOC_SACH",
    "HSSV",
    "NOXH",
    "ND28_DAT_O",
    "ND28_NHA_O",
}
NBSP = "\u00a0"


def card(page: str, code: str) -> str:
    """The HTML of one program's card."""
    start = page.index(f'id="{code}"')
    return page[start : page.index("</section>", start)]


def catalogue(client, path=None) -> str:
    response = client.get(path or reverse("loans:program_list"))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_lists_all_shipped_programs_with_vietnamese_names(official_client):
    page = catalogue(official_client)

    assert set(LoanProgram.objects.values_list("code", flat=True)) == SHIPPED
    for p in LoanProgram.objects.all():
        assert p.name_vi in card(page, p.code)
        assert p.who_qualifies_vi in card(page, p.code)


def test_rates_caps_and_terms_as_the_page_shows_them(official_client):
    page = catalogue(official_client)

    poor = card(page, "HO_NGHEO")
    assert f"100.000.000{NBSP}₫" in poor
    assert "6,6%" in poor
    assert "8,58%" in poor  # 6,6% × 130%
    assert "120" in poor

    water = card(page, "NUOC_SACH")
    assert "9%" in water and "11,7%" in water
    assert f"25.000.000{NBSP}₫" in water

    students = card(page, "HSSV")
    assert vi("per month of study") in students
    assert f"4.000.000{NBSP}₫" in students
    assert vi("not fixed") in students

    housing = card(page, "NOXH")
    assert vi("depends on the case") in housing
    assert "5,4%" in housing and "7,02%" in housing


def test_unconfirmed_facts_are_noted(official_client):
    near_poor = program("HO_CAN_NGHEO")
    assert near_poor.confidence  # shipped with a caveat
    assert near_poor.confidence in card(catalogue(official_client), "HO_CAN_NGHEO")


def test_retired_program_is_marked_and_listed_last(official_client):
    LoanProgram.objects.filter(code="HO_NGHEO").update(is_active=False)

    page = catalogue(official_client)

    retired = vi("retired")
    assert retired in card(page, "HO_NGHEO")
    assert retired not in card(page, "HO_CAN_NGHEO")
    positions = {code: page.index(f'id="{code}"') for code in SHIPPED}
    assert positions["HO_NGHEO"] == max(positions.values())


def test_running_loans_are_counted_within_the_readers_villages(
    official_client, client_for, officer, village, other_village
):
    disbursed_loan(
        household=HouseholdFactory(village=village),
        amount=30_000_000,
        disbursed_on=date(2025, 1, 5),
    )
    disbursed_loan(
        household=HouseholdFactory(village=other_village),
        amount=20_000_000,
        disbursed_on=date(2025, 1, 5),
    )

    commune = card(catalogue(official_client), "HO_NGHEO")
    assert f"50.000.000{NBSP}₫" in commune
    assert ">2 ·" in commune

    own = card(catalogue(client_for(officer)), "HO_NGHEO")
    assert f"30.000.000{NBSP}₫" in own
    assert f"50.000.000{NBSP}₫" not in own


def test_english_page_uses_english_names(official_client):
    # The request activates English in this thread; override() restores it after.
    with translation.override("en"):
        page = catalogue(official_client, reverse("loans:program_list"))
    assert 'lang="en"' in page
    assert "Loans to poor households" in card(page, "HO_NGHEO")
    assert "household on the commune's poor list" in card(page, "HO_NGHEO")


def test_village_officer_may_read_it_and_anonymous_may_not(officer_client):
    from django.test import Client

    assert "Cho vay hộ nghèo" in catalogue(officer_client)
    response = Client().get(reverse("loans:program_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_catalogue_query_count_is_fixed(
    official_client, village, django_assert_max_num_queries
):
    for n in range(6):
        disbursed_loan(
            household=HouseholdFactory(village=village),
            program=program(["HO_NGHEO", "NUOC_SACH", "VIEC_LAM"][n % 3]),
            amount=10_000_000,
        )
    official_client.get(reverse("loans:program_list"))
    # session, user, the running loans per program, the programs
    with django_assert_max_num_queries(4):
        official_client.get(reverse("loans:program_list"))
