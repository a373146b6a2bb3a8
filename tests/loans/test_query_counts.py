"""The loan list and the loan page run a fixed number of queries: an N+1 cannot creep in.
Each page is measured at a small and a larger data size and the counts must be equal;
``django_assert_max_num_queries`` pins the ceiling.

Measured on SQLite for a signed-in official (2 queries load the session and the user):
the list 7 whatever the number of loans or the filters (rows, totals, which count the
loans for the pages too, and the program, village and savings-group choices); the loan
page 6 for a loan with 2 repayments as for one with 20 and their history (loan,
repayments, the principal payments for the interest due, history).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from loans.services import repayment_record, repayment_reverse
from tests.factories import HouseholdFactory, VillageFactory
from tests.factories.loans import LoanFactory, SavingsGroupFactory, disbursed_loan

MAX_LIST = 7
MAX_DETAIL = 6
LIST = reverse("loans:loan_list")


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


def populate(villages, count, start=0):
    """``count`` loans of every status over ``villages``, each group with members."""
    statuses = ["applied", "approved", "disbursed", "settled", "rejected"]
    for n in range(start, start + count):
        village = villages[n % len(villages)]
        household = HouseholdFactory(
            village=village, code=f"VAY{n:04d}", head_name=f"Nguyễn Văn {n}"
        )
        group = SavingsGroupFactory(village=village)
        status = statuses[n % len(statuses)]
        if status == "disbursed":
            disbursed_loan(
                household=household,
                savings_group=group,
                disbursed_on=date(2023 + (n // 5) % 3, 1, 10),  # the first is overdue
                term_months=24,
            )
        else:
            LoanFactory(household=household, savings_group=group, status=status)


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm caches (content types, session) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "nguyen van"},
        {"status": "overdue"},
        {"status": "disbursed", "sort": "-amount"},
        {"disbursed_from": "01/01/2023", "disbursed_to": "31/12/2025"},
    ],
)
def test_loan_list_query_count_does_not_grow(
    official_client, village, other_village, params, django_assert_max_num_queries
):
    villages = [village, other_village]
    populate(villages, 3)
    small = queries(official_client, LIST, params)
    populate([*villages, VillageFactory(commune=village.commune)], 27, start=3)
    large = queries(official_client, LIST, params)
    assert small == large, f"{small} queries with 3 loans, {large} with 30"
    with django_assert_max_num_queries(MAX_LIST):
        official_client.get(LIST, params)


def test_loan_list_second_page_and_officer(
    officer_client, village, other_village, django_assert_max_num_queries
):
    populate([village, other_village], 3)
    small = queries(officer_client, LIST)
    populate([village, other_village], 120, start=3)
    large = queries(officer_client, LIST, {"page": 2})
    assert small == large
    with django_assert_max_num_queries(MAX_LIST):
        officer_client.get(LIST, {"page": 2})


def repaid(official, loan, count):
    """``count`` repayments (the last one reversed when there are several)."""
    day = loan.disbursed_on
    entries = []
    for _n in range(count):
        day += timedelta(days=10)
        entries.append(
            repayment_record(
                actor=official,
                loan=loan,
                paid_on=day,
                principal=1_000_000,
                interest=10_000,
            )
        )
    return entries


def test_loan_detail_query_count_does_not_grow(
    official_client, official, village, django_assert_max_num_queries
):
    small_loan = disbursed_loan(
        household=HouseholdFactory(village=village), disbursed_on=date(2024, 1, 10)
    )
    repaid(official, small_loan, 2)
    small = queries(official_client, small_loan.get_absolute_url())

    big_loan = disbursed_loan(
        household=HouseholdFactory(village=village),
        disbursed_on=date(2024, 1, 10),
        term_months=60,
    )
    entries = repaid(official, big_loan, 19)
    repayment_reverse(actor=official, repayment=entries[-1], reason="Nhập nhầm")
    populate([village], 10)
    large = queries(official_client, big_loan.get_absolute_url())
    assert small == large, f"{small} queries for 2 repayments, {large} for 20"
    with django_assert_max_num_queries(MAX_DETAIL):
        official_client.get(big_loan.get_absolute_url())
