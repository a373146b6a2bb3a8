"""The loan list's pages at scale (loans/views/_paging.py): each page is read narrow
first (the page's ids, then their rows, in one query) and counted by the totals, so the
pages must still be the filtered, sorted list cut in fifties, with nothing lost,
repeated or out of order, in every sort; and the totals must show a repayment recorded a
moment ago (they are live, not cached).
"""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households.poverty import format_vnd
from loans.selectors import SORTS, LoanFilters, loan_list_for
from loans.services import repayment_record
from tests.factories import HouseholdFactory
from tests.factories.loans import LoanFactory, SavingsGroupFactory, disbursed_loan
from tests.pages import text_of

LIST = reverse("loans:loan_list")
PER_PAGE = 50


def money(amount: int) -> str:
    """An amount as the page shows it (the ₫ kept on the same line)."""
    return format_vnd(amount).replace(" ", "\u00a0")


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def many_loans(village, other_village):
    """112 loans over two villages whose sort keys tie often (7 application dates, 5
    amounts, 9 households), so that only the id tie-break fixes the order; a fifth
    disbursed, some overdue."""
    homes = [
        HouseholdFactory(village=(village, other_village)[n % 2], code=f"P{n:03d}")
        for n in range(9)
    ]
    groups = {v.pk: SavingsGroupFactory(village=v) for v in (village, other_village)}
    loans = []
    for n in range(112):
        home = homes[(n * 5) % 9]
        common = {
            "household": home,
            "savings_group": groups[home.village_id],
            "amount": 10_000_000 * (1 + n % 5),
        }
        if n % 5 == 0:
            disbursed = date(2022 + n % 3, 1 + n % 12, 10)
            loans.append(disbursed_loan(disbursed_on=disbursed, **common))
        else:
            loans.append(LoanFactory(on=date(2025, 1, 1 + n % 7), **common))
    return loans


def rows_in_order(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'href="/loans/(\d+)/"', text_of(response))]


def every_page(client, params) -> list[int]:
    """The loans of every page of the list, in the order the pages show them."""
    first = client.get(LIST, params)
    pages = int(re.search(r'page=(\d+)">[^<]*»', text_of(first)).group(1))
    shown = rows_in_order(first)
    for number in range(2, pages + 1):
        shown += rows_in_order(client.get(LIST, {**params, "page": number}))
    return shown


@pytest.mark.parametrize("sort", list(SORTS))
def test_the_pages_are_the_sorted_list_cut_in_fifties(
    official_client, official, many_loans, sort
):
    expected = [
        loan.pk for loan in loan_list_for(user=official, filters=LoanFilters(sort=sort))
    ]
    assert len(expected) == 112
    shown = every_page(official_client, {"sort": sort})
    assert shown == expected


@pytest.mark.parametrize(
    ("who", "filters"),
    [
        ("official", {"status": "applied", "sort": "-amount"}),
        ("officer", {"sort": "household"}),  # their village's loans only
    ],
)
def test_a_filtered_list_pages_the_filtered_loans_only(
    client, request, many_loans, who, filters
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    expected = [
        loan.pk for loan in loan_list_for(user=user, filters=LoanFilters(**filters))
    ]
    assert PER_PAGE < len(expected) < len(many_loans)  # two pages, some left out
    assert every_page(client, filters) == expected


def test_the_list_counts_once_and_reads_one_narrow_page(official_client, many_loans):
    """Two queries read the loans whatever the page: the totals (which also count the
    loans for the pagination) and the page's rows, picked by their ids first."""
    official_client.get(LIST)  # warm the session and content types
    with CaptureQueriesContext(connection) as ctx:
        response = official_client.get(LIST, {"page": 2, "sort": "-amount"})
    assert len(rows_in_order(response)) == PER_PAGE  # 112 loans: 50, 50, 12
    loan_reads = [q["sql"] for q in ctx.captured_queries if '"loans_loan"' in q["sql"]]
    assert len(loan_reads) == 2, loan_reads
    totals, page = loan_reads
    assert "COUNT(DISTINCT" in totals and "SUM(" in totals
    assert "COUNT(*)" not in " ".join(loan_reads)  # no second count for the pages
    assert re.search(r"IN \(SELECT .* LIMIT 50 OFFSET 50\)", page), page


def test_the_totals_show_a_repayment_recorded_a_moment_ago(
    official_client, official, village
):
    loan = disbursed_loan(
        household=HouseholdFactory(village=village),
        savings_group=SavingsGroupFactory(village=village),
        disbursed_on=date(2025, 1, 10),
        amount=30_000_000,
    )

    def outstanding_shown() -> str:
        page = text_of(official_client.get(LIST))
        return re.search(r'data-total="outstanding">([^<]*)<', page).group(1)

    assert outstanding_shown() == money(30_000_000)
    repayment_record(
        actor=official,
        loan=loan,
        paid_on=loan.disbursed_on + timedelta(days=30),
        principal=1_000_000,
        interest=0,
    )
    assert outstanding_shown() == money(29_000_000)
