"""The loan list's XLSX export: it opens, its rows are the filtered list's, text that a
spreadsheet could run as a formula stays text, and a village officer's file holds only
their villages' loans."""

import io
import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from loans.models import LoanStatus
from tests.factories import HouseholdFactory
from tests.factories.loans import LoanFactory, disbursed_loan, program, repayment

EXPORT = reverse("loans:loan_export")
LIST = reverse("loans:loan_list")


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def book(village, other_village):
    an = HouseholdFactory(village=village, code="T01-001", head_name="Nguyễn Văn An")
    evil = HouseholdFactory(
        village=village, code="T01-002", head_name='=HYPERLINK("http://x","y")'
    )
    nie = HouseholdFactory(village=other_village, code="B01-001", head_name="H'Nie")
    loans = {
        "disbursed": disbursed_loan(
            household=an,
            disbursed_on=date(2025, 3, 10),
            amount=50_000_000,
            contract_number="HD-0001",
        ),
        "overdue": disbursed_loan(
            household=evil,
            disbursed_on=date(2024, 1, 5),
            term_months=12,
            amount=20_000_000,
            program=program("HO_CAN_NGHEO"),
            contract_number="+SUM(A1)",
        ),
        "applied": LoanFactory(household=an, on=date(2025, 5, 2)),
        "elsewhere": disbursed_loan(
            household=nie, disbursed_on=date(2025, 4, 20), amount=40_000_000
        ),
    }
    repayment(loans["disbursed"], paid_on=date(2025, 5, 1), principal=5_000_000)
    for loan in loans.values():
        loan.refresh_from_db()
    return loans


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def listed(client, params) -> list[int]:
    page = unescape(client.get(LIST, params).content.decode())
    return [int(pk) for pk in re.findall(r'href="/loans/(\d+)/" class="fw', page)]


def test_export_opens_and_matches_the_filtered_list(official_client, book):
    response = official_client.get(EXPORT, {"status": "disbursed"})
    assert re.fullmatch(
        r'attachment; filename="khoan-vay-2025-06-15\.xlsx"',
        response["Content-Disposition"],
    )
    header, *rows = sheet_rows(response)
    with translation.override("vi"):
        assert header[0] == gettext("Contract number")
        assert header[1] == gettext("Household code")
        assert header[-1] == gettext("Overdue")
    assert len(header) == 17
    # Same loans, same order as the list page with the same filters.
    by_contract = {row[0]: row for row in rows}
    assert [row[1] for row in rows] == [
        next(loan.household.code for loan in book.values() if loan.pk == pk)
        for pk in listed(official_client, {"status": "disbursed"})
    ]
    assert len(rows) == 3
    first = by_contract["HD-0001"]
    assert first[1:4] == (
        "T01-001",
        "Nguyễn Văn An",
        book["disbursed"].household.village.name,
    )
    assert first[7] == 50_000_000  # amount, a number
    assert first[11].date() == date(2025, 3, 10)  # disbursed on, a date
    assert first[12].date() == date(2028, 3, 10)  # due on
    assert (first[14], first[15]) == (5_000_000, 45_000_000)
    yes_no = {row[1]: row[16] for row in rows}
    with translation.override("vi"):
        assert yes_no["T01-002"] == gettext("Yes")
        assert yes_no["T01-001"] == gettext("No")


def test_export_neutralises_formulas(official_client, book):
    _header, *rows = sheet_rows(official_client.get(EXPORT, {"q": "T01-002"}))
    [row] = rows
    assert row[2] == '\'=HYPERLINK("http://x","y")'
    assert row[0] == "'+SUM(A1)"
    workbook = load_workbook(io.BytesIO(official_client.get(EXPORT).content))
    for line in workbook.worksheets[0].iter_rows():
        for cell in line:
            assert cell.data_type != "f", cell.coordinate


def test_amounts_are_numbers_with_a_thousands_format(official_client, book):
    workbook = load_workbook(io.BytesIO(official_client.get(EXPORT).content))
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        for index in (7, 14, 15):
            assert isinstance(row[index].value, int)
            assert row[index].number_format == "#,##0"


def test_officer_export_holds_only_their_village(officer_client, book):
    _header, *rows = sheet_rows(officer_client.get(EXPORT))
    codes = {row[1] for row in rows}
    assert codes == {"T01-001", "T01-002"}
    assert len(rows) == 3
    assert all("H'Nie" not in str(value) for row in rows for value in row)


def test_export_status_column_reads_the_status(official_client, book):
    _header, *rows = sheet_rows(
        official_client.get(EXPORT, {"status": LoanStatus.APPLIED})
    )
    [row] = rows
    with translation.override("vi"):
        assert row[8] == str(LoanStatus.APPLIED.label)
    assert row[11] is None  # not disbursed
