"""The overdue list and the period report, on the page and in their xlsx exports.

The report's figures are checked against sums computed here in plain Python over the rows
the test created (loans inside and outside the period, in two villages, one household
borrowing twice, repayments before and after the "outstanding at" date, a reversal), never
against the selector's own arithmetic.
"""

import io
import re
from dataclasses import dataclass
from datetime import date
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from loans.models import LoanStatus
from loans.services import repayment_reverse
from tests.factories import HouseholdFactory
from tests.factories.loans import (
    LoanFactory,
    SavingsGroupFactory,
    disbursed_loan,
    program,
    repayment,
)
from tests.pages import vi

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
TODAY = date(2026, 3, 10)
MAX_REPORT = 10
MAX_OVERDUE = 4


def text_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + f"{NBSP}₫"


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def table(page: str, table_id: str) -> list[list[str]]:
    """Cell texts of each row of the table with this id (header row included)."""
    start = page.index(f'id="{table_id}"')
    html = page[start : page.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument"
    )
    return load_workbook(io.BytesIO(response.content))


# --- Overdue ----------------------------------------------------------------------------


@pytest.fixture
def overdue_book(village, other_village, official):
    """Three overdue loans in Thôn 1 (two groups), one in Buôn Tiêu, and three that are
    not overdue (settled, due today, due tomorrow)."""
    village.sort_order, other_village.sort_order = 1, 2
    village.save()
    other_village.save()
    women = SavingsGroupFactory(
        village=village, name="Tổ Hội Phụ nữ", leader_phone="0911000111"
    )
    farmers = SavingsGroupFactory(village=village, name="Tổ Hội Nông dân")
    buon = SavingsGroupFactory(village=other_village, name="Tổ buôn Tiêu")

    def loan(code, group, amount, disbursed_on, **kwargs):
        household = HouseholdFactory(
            village=group.village, code=code, **kwargs.pop("household", {})
        )
        return disbursed_loan(
            household=household,
            savings_group=group,
            amount=amount,
            disbursed_on=disbursed_on,
            term_months=12,
            **kwargs,
        )

    due_yesterday = loan(
        "OD-1",
        women,
        50_000_000,
        date(2025, 3, 9),
        household={"head_name": '=HYPERLINK("http://x")'},
    )
    repayment(due_yesterday, paid_on=date(2025, 9, 1), principal=10_000_000)
    loan("OD-2", women, 30_000_000, date(2024, 12, 1))  # due 01/12/2025
    loan("OD-3", farmers, 20_000_000, date(2025, 1, 10))  # due 10/01/2026
    loan("OD-4", buon, 60_000_000, date(2025, 2, 1))  # due 01/02/2026
    settled = loan("OK-SETTLED", women, 10_000_000, date(2024, 1, 5))
    repayment(settled, paid_on=date(2025, 1, 5), principal=10_000_000)
    loan("OK-TODAY", women, 10_000_000, date(2025, 3, 10))  # due today
    loan("OK-TOMORROW", women, 10_000_000, date(2025, 3, 11))
    return {"women": women, "farmers": farmers, "buon": buon}


OVERDUE_ROWS = [  # (code, days overdue, outstanding), in the page's order
    ("OD-3", 59, 20_000_000),  # Thôn 1, Tổ Hội Nông dân
    ("OD-2", 99, 30_000_000),  # Thôn 1, Tổ Hội Phụ nữ, longest overdue first
    ("OD-1", 1, 40_000_000),
    ("OD-4", 37, 60_000_000),  # Buôn Tiêu
]


def group_cards(page: str) -> list[str]:
    return page.split('class="card mb-3 overdue-group"')[1:]


@time_machine.travel(TODAY, tick=False)
def test_overdue_list_groups_by_village_and_group_with_subtotals(
    official_client, overdue_book
):
    page = text_of(official_client.get(reverse("loans:overdue_list")))

    for code in ("OD-1", "OD-2", "OD-3", "OD-4"):
        assert code in page
    for code in ("OK-SETTLED", "OK-TODAY", "OK-TOMORROW"):
        assert code not in page
    positions = [page.index(code) for code, _days, _owed in OVERDUE_ROWS]
    assert positions == sorted(positions)

    cards = group_cards(page)
    assert len(cards) == 3
    farmers, women, buon = cards
    assert "Tổ Hội Nông dân" in farmers and money(20_000_000) in farmers
    assert "Tổ Hội Phụ nữ" in women and money(70_000_000) in women
    assert 'href="tel:0911000111"' in women
    assert "Tổ buôn Tiêu" in buon and money(60_000_000) in buon
    # Village subtotals in the headings, and the grand total.
    thon = page[page.index("Thôn 1</span>") : page.index("Tổ Hội Nông dân")]
    assert money(90_000_000) in thon
    total = page[page.index('id="overdue-total"') :]
    assert money(150_000_000) in total[: total.index("</div>\n</div>")]


@time_machine.travel(TODAY, tick=False)
def test_overdue_rows_show_days_and_outstanding(official_client, overdue_book):
    page = text_of(official_client.get(reverse("loans:overdue_list")))

    shown = []
    for card in group_cards(page):
        body = card[: card.index("</table>")]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]:
            cells = [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            ]
            shown.append((cells[0].split(" · ")[0], number(cells[4]), number(cells[5])))
    assert shown == OVERDUE_ROWS


@time_machine.travel(TODAY, tick=False)
def test_officer_sees_only_their_village_and_filter_works(
    official_client, client_for, officer, overdue_book, other_village
):
    own = text_of(client_for(officer).get(reverse("loans:overdue_list")))
    assert "OD-1" in own and "OD-4" not in own and "Tổ buôn Tiêu" not in own
    assert money(90_000_000) in own[own.index('id="overdue-total"') :]

    sneaky = text_of(
        client_for(officer).get(
            reverse("loans:overdue_list"), {"village": other_village.pk}
        )
    )
    assert "OD-4" not in sneaky

    filtered = text_of(
        official_client.get(
            reverse("loans:overdue_list"), {"village": other_village.pk}
        )
    )
    assert "OD-4" in filtered and "OD-1" not in filtered


@time_machine.travel(TODAY, tick=False)
def test_overdue_export_has_the_same_rows(
    official_client, client_for, officer, overdue_book
):
    sheet = workbook(official_client.get(reverse("loans:overdue_export"))).active
    rows = list(sheet.iter_rows(values_only=True))

    assert len(rows) == 1 + len(OVERDUE_ROWS)
    assert [(r[4], r[11], r[12]) for r in rows[1:]] == OVERDUE_ROWS
    first = rows[3]  # OD-1
    assert first[:2] == ("Thôn 1", "Tổ Hội Phụ nữ")
    assert first[5] == '\'=HYPERLINK("http://x")'  # neutralised, not a formula
    assert first[8] == 50_000_000
    assert first[10].date() == date(2026, 3, 9)

    own = workbook(client_for(officer).get(reverse("loans:overdue_export"))).active
    assert [r[4] for r in own.iter_rows(min_row=2, values_only=True)] == [
        "OD-3",
        "OD-2",
        "OD-1",
    ]


@time_machine.travel(TODAY, tick=False)
def test_nothing_overdue_says_so(official_client, village):
    page = text_of(official_client.get(reverse("loans:overdue_list")))
    assert vi("No loan is overdue.") in page


# --- The period report --------------------------------------------------------------------


@dataclass
class Made:
    """What the test created, for the independent sums."""

    household: int
    village: str
    program: str
    amount: int
    disbursed_on: date


@pytest.fixture
def book(village, other_village, official):
    """Loans in two villages inside and outside 01/01–30/09/2025, and their repayments
    (paid_on, principal) per loan including a reversal."""
    made, entries = [], []
    h = {
        code: HouseholdFactory(village=v, code=code)
        for code, v in (
            ("A1", village),
            ("A2", village),
            ("A3", village),
            ("B1", other_village),
            ("B2", other_village),
        )
    }

    def lend(code, program_code, amount, on, term=36):
        household = h[code]
        loan = disbursed_loan(
            household=household,
            program=program(program_code),
            amount=amount,
            disbursed_on=on,
            term_months=term,
        )
        made.append(
            Made(household.pk, household.village.name, loan.program.name, amount, on)
        )
        return loan

    def pay(loan, on, principal):
        entries.append((loan.pk, on, principal))
        return repayment(loan, paid_on=on, principal=principal, interest=100_000)

    a1_poor = lend("A1", "HO_NGHEO", 50_000_000, date(2025, 2, 1))
    lend("A1", "NUOC_SACH", 20_000_000, date(2025, 6, 15))  # same household again
    a2_before = lend("A2", "HO_CAN_NGHEO", 80_000_000, date(2024, 12, 20))
    lend("A2", "HO_NGHEO", 30_000_000, date(2025, 10, 5))  # after the period
    a3 = lend("A3", "HO_NGHEO", 40_000_000, date(2025, 5, 5))
    lend("B1", "HO_NGHEO", 60_000_000, date(2025, 9, 30))  # last day
    b1_first_day = lend("B1", "SXKD_VKK", 100_000_000, date(2025, 1, 1))
    LoanFactory(household=h["B2"], status=LoanStatus.APPLIED, on=date(2025, 5, 1))
    LoanFactory(household=h["B2"], status=LoanStatus.APPROVED, on=date(2025, 6, 1))
    LoanFactory(household=h["B2"], status=LoanStatus.REJECTED, on=date(2025, 7, 1))

    pay(a1_poor, date(2025, 8, 1), 10_000_000)
    pay(a1_poor, date(2025, 11, 1), 5_000_000)  # after the outstanding date
    mistake = pay(a2_before, date(2025, 3, 1), 20_000_000)
    reversal = repayment_reverse(actor=official, repayment=mistake, reason="Nhập nhầm")
    entries.append((a2_before.pk, reversal.paid_on, reversal.principal))
    pay(a2_before, date(2025, 4, 1), 15_000_000)
    pay(a3, date(2025, 8, 20), 40_000_000)  # settles it
    pay(b1_first_day, date(2025, 9, 30), 30_000_000)
    loan_village = {
        loan.pk: loan.household.village.name
        for loan in (a1_poor, a2_before, a3, b1_first_day)
    }
    return {"made": made, "entries": entries, "loan_village": loan_village}


def expected(book, start, end, on, village=None):
    """The report's figures computed from the created rows."""
    made = [m for m in book["made"] if village in (None, m.village)]
    inside = [m for m in made if start <= m.disbursed_on <= end]

    def figures(rows):
        return (
            len({m.household for m in rows}),
            len(rows),
            sum(m.amount for m in rows),
        )

    lent = sum(m.amount for m in made if m.disbursed_on <= on)
    repaid = sum(
        principal
        for loan, paid_on, principal in book["entries"]
        if paid_on <= on and village in (None, book["loan_village"][loan])
    )
    return {
        "total": figures(inside),
        "by_program": {
            name: figures([m for m in inside if m.program == name])
            for name in {m.program for m in inside}
        },
        "by_village": {
            name: figures([m for m in inside if m.village == name])
            for name in {m.village for m in inside}
        },
        "outstanding": lent - repaid,
    }


def shown_breakdown(page, table_id):
    rows = table(page, table_id)
    body = {r[0]: (number(r[1]), number(r[2]), number(r[3])) for r in rows[1:-1]}
    total = tuple(number(c) for c in rows[-1][1:])
    return body, total


NINE_MONTHS = {"start": "01/01/2025", "end": "30/09/2025"}


def headline(start, end, figures) -> str:
    households, loans, amount = figures
    billions = f"{amount / 1e9:.1f}".replace(".", ",")
    return vi(
        "From %(start)s to %(end)s: loans to %(households)s households, %(loans)s "
        "loans, total %(amount)s (≈ %(billions)s billion VND)",
        start=start,
        end=end,
        households=households,
        loans=loans,
        amount=money(amount),
        billions=billions,
    )


def test_report_figures_match_independent_sums(official_client, book):
    want = expected(book, date(2025, 1, 1), date(2025, 9, 30), date(2025, 9, 30))
    assert want["total"] == (3, 5, 270_000_000)  # the data is what the test thinks

    page = text_of(official_client.get(reverse("loans:period_report"), NINE_MONTHS))

    assert headline("01/01/2025", "30/09/2025", want["total"]) in page
    assert (
        vi(
            "Principal outstanding on %(day)s: %(amount)s",
            day="30/09/2025",
            amount=money(want["outstanding"]),
        )
        in page
    )
    programs, program_total = shown_breakdown(page, "by-program")
    assert programs == want["by_program"]
    assert program_total == want["total"]
    villages, village_total = shown_breakdown(page, "by-village")
    assert villages == want["by_village"]
    assert village_total == want["total"]


@pytest.mark.parametrize(
    "on", [date(2024, 12, 31), date(2025, 3, 1), date(2025, 8, 1), date(2026, 1, 1)]
)
def test_outstanding_at_another_date(official_client, book, on):
    want = expected(book, date(2025, 1, 1), date(2025, 9, 30), on)

    page = text_of(
        official_client.get(
            reverse("loans:period_report"),
            {**NINE_MONTHS, "outstanding_at": on.strftime("%d/%m/%Y")},
        )
    )

    assert (
        vi(
            "Principal outstanding on %(day)s: %(amount)s",
            day=on.strftime("%d/%m/%Y"),
            amount=money(want["outstanding"]),
        )
        in page
    )


def test_report_export_matches_independent_sums(official_client, book):
    want = expected(book, date(2025, 1, 1), date(2025, 9, 30), date(2025, 9, 30))

    book_xlsx = workbook(
        official_client.get(reverse("loans:period_report_export"), NINE_MONTHS)
    )

    summary, by_program, by_village = book_xlsx.worksheets
    values = [row[1] for row in summary.iter_rows(values_only=True)]
    assert values[0].date() == date(2025, 1, 1)
    assert values[1].date() == date(2025, 9, 30)
    assert tuple(values[3:6]) == want["total"]
    assert values[6].date() == date(2025, 9, 30)
    assert values[7] == want["outstanding"]
    for sheet, key in ((by_program, "by_program"), (by_village, "by_village")):
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert {r[0]: tuple(r[1:]) for r in rows[:-1]} == want[key]
        assert tuple(rows[-1][1:]) == want["total"]


def test_officer_report_counts_only_their_villages(client_for, officer, book, village):
    want = expected(
        book, date(2025, 1, 1), date(2025, 9, 30), date(2025, 9, 30), village.name
    )
    assert want["total"] == (2, 3, 110_000_000)
    client = client_for(officer)

    page = text_of(client.get(reverse("loans:period_report"), NINE_MONTHS))

    assert headline("01/01/2025", "30/09/2025", want["total"]) in page
    assert money(want["outstanding"]) in page
    villages, _total = shown_breakdown(page, "by-village")
    assert villages == want["by_village"] == {"Thôn 1": (2, 3, 110_000_000)}

    sheet = workbook(
        client.get(reverse("loans:period_report_export"), NINE_MONTHS)
    ).worksheets[2]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Thôn 1",
        vi("Total"),
    ]


def test_village_filter(official_client, book, other_village):
    want = expected(
        book,
        date(2025, 1, 1),
        date(2025, 9, 30),
        date(2025, 9, 30),
        other_village.name,
    )

    page = text_of(
        official_client.get(
            reverse("loans:period_report"),
            {**NINE_MONTHS, "village": other_village.pk},
        )
    )

    assert headline("01/01/2025", "30/09/2025", want["total"]) in page
    assert money(want["outstanding"]) in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start": "01/10/2025", "end": "30/09/2025"},
            "The end of the period comes before its start.",
        ),
        (
            {"start": "01/01/2025", "end": "31/02/2025"},
            "Enter a real date as dd/mm/yyyy, for example 30/09/2025.",
        ),
        (
            {"start": "hôm qua", "end": "30/09/2025"},
            "Enter a real date as dd/mm/yyyy, for example 30/09/2025.",
        ),
        ({"start": "", "end": "30/09/2025"}, "Enter a date as dd/mm/yyyy."),
    ],
)
def test_bad_dates_give_a_message_not_a_500(official_client, book, params, message):
    response = official_client.get(reverse("loans:period_report"), params)

    page = text_of(response)
    assert vi(message) in page
    assert "report" not in response.context

    export = official_client.get(reverse("loans:period_report_export"), params)
    assert export.status_code == 302
    assert export["Location"].startswith(reverse("loans:period_report"))


@time_machine.travel(TODAY, tick=False)
def test_absurd_dates_are_refused(official_client):
    response = official_client.get(
        reverse("loans:period_report"), {"start": "01/01/1800", "end": "31/12/9999"}
    )

    page = text_of(response)
    assert (
        vi(
            "Choose a date between %(first)s and %(last)s.",
            first="01/01/2000",
            last="31/12/2027",
        )
        in page
    )
    assert "report" not in response.context


@time_machine.travel(TODAY, tick=False)
def test_defaults_quick_links_and_billions(official_client, village):
    disbursed_loan(
        household=HouseholdFactory(village=village),
        program=program("NOXH"),
        amount=1_234_000_000,
        disbursed_on=date(2026, 2, 2),
        term_months=240,
    )

    page = text_of(official_client.get(reverse("loans:period_report")))

    assert 'value="01/01/2026"' in page and 'value="10/03/2026"' in page
    assert headline("01/01/2026", "10/03/2026", (1, 1, 1_234_000_000)) in page
    assert "(≈ 1,2 " in page
    for year in (2026, 2025):
        assert vi("First nine months of %(year)s", year=year) in page
        assert f"?start=01%2F01%2F{year}&end=30%2F09%2F{year}" in page
    assert "start=01%2F01%2F2025&end=31%2F12%2F2025" in page


def _queries(client, params) -> int:
    client.get(reverse("loans:period_report"), params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("loans:period_report"), params).status_code == 200
    return len(ctx.captured_queries)


def test_report_query_count_is_constant(
    official_client, village, other_village, django_assert_max_num_queries
):
    def grow(n, start):
        for i in range(start, start + n):
            loan = disbursed_loan(
                household=HouseholdFactory(village=(village, other_village)[i % 2]),
                program=program(("HO_NGHEO", "NUOC_SACH", "VIEC_LAM")[i % 3]),
                amount=10_000_000,
                disbursed_on=date(2025, 1 + i % 9, 3),
            )
            repayment(loan, paid_on=date(2025, 10, 1), principal=1_000_000)

    grow(2, 0)
    small = _queries(official_client, NINE_MONTHS)
    grow(20, 2)
    with django_assert_max_num_queries(small):
        official_client.get(reverse("loans:period_report"), NINE_MONTHS)
    assert _queries(official_client, NINE_MONTHS) == small
    # session, user, the villages of the form, seven for the report itself
    assert small <= MAX_REPORT


@time_machine.travel(TODAY, tick=False)
def test_overdue_list_query_count_is_constant(
    official_client, village, other_village, django_assert_max_num_queries
):
    def grow(n, start):
        for i in range(start, start + n):
            target = (village, other_village)[i % 2]
            disbursed_loan(
                household=HouseholdFactory(village=target),
                savings_group=SavingsGroupFactory(village=target),
                amount=10_000_000,
                disbursed_on=date(2024, 1 + i % 12, 3),
                term_months=12,
            )

    def measure() -> int:
        url = reverse("loans:overdue_list")
        official_client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert official_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(2, 0)
    small = measure()
    grow(15, 2)
    with django_assert_max_num_queries(small):
        official_client.get(reverse("loans:overdue_list"))
    assert measure() == small
    # session, user, the villages of the filter, the overdue loans
    assert small <= MAX_OVERDUE
