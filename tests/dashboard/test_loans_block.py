"""The dashboard's loans block against figures worked out by hand.

The period is the first nine months of 2025 (01/01–30/09/2025), seen on 15/12/2025;
E, the day of the outstanding and overdue figures, is its end, 30/09/2025. Amounts in
millions of VND:

    loan  household        program       amount  disbursed   due         repayments (principal)
    L1    A1 Kinh, Thôn 1  poor          50      01/01/2025  2028        -
    L2    A1               near-poor     30      30/09/2025  2028        -
    L3    A2 Ê Đê, Thôn 1  poor          40      31/12/2024  2027        10 on 15/06/2025, 5 on 15/10/2025
    L4    B1 Ê Đê, Buôn T. near-poor     20      01/10/2025  2028        -
    L5    B1               poor          60      15/03/2025  2028        20 on 10/05/2025 and its reversal,
                                                                         15 on 20/08/2025
    L6    B2 Ê Đê, Buôn T. poor          30      10/01/2023  10/01/2025  10 on 01/06/2024, 20 on 01/11/2025
    L7    C1 Kinh, Thôn 3  poor          25      05/02/2022  05/02/2024  25 on 01/02/2024 (settled)
    L8    A2               poor          35      01/07/2024  2027        -
    L9    C1               poor          10      30/09/2024  30/09/2025  -
    L10   C2 Kinh, Thôn 3  poor          15      01/03/2023  01/03/2024  -
    L11   A6 archived      poor          45      01/05/2025              (not counted)
    L12   F1 Ea Kmát       poor          45      01/05/2025              (not counted)
    L13   A3               poor          40      applied, not disbursed  (not counted)

Disbursed in the period: L1 L2 L5: households A1 B1 = 2, 3 loans, 140.
Lent by E: L1 L2 L3 L5 L6 L7 L8 L9 L10 = 295; repaid by E: L3 10, L5 15, L6 10, L7 25 = 60;
outstanding 235. Overdue at E (due before 30/09/2025, principal left): L6 (20), L10 (15);
L7 was repaid before E, L9 falls due on E itself.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from eakutur.dashboard.figures.loans import loans_block
from eakutur.dashboard.periods import custom, month, nine_months
from eakutur.dashboard.scope import DashboardScope
from loans.models import Repayment
from tests.factories import HouseholdFactory, VillageFactory, ede, kinh
from tests.factories.loans import LoanFactory, disbursed_loan, program, repayment

M = 1_000_000
TODAY = date(2025, 12, 15)
NINE_MONTHS = nine_months(2025)
FROM_TO = "disbursed_from=01%2F01%2F2025&disbursed_to=30%2F09%2F2025"


def reversal(entry: Repayment, reason: str = "nhập nhầm số tiền") -> Repayment:
    """A reversing entry dated like the one it cancels, as the service writes it."""
    loan = entry.loan
    loan.refresh_from_db()
    undo = Repayment.objects.create(
        loan=loan,
        paid_on=entry.paid_on,
        principal=-entry.principal,
        interest=-entry.interest,
        reverses=entry,
        reason=reason,
    )
    loan.principal_repaid -= entry.principal
    loan.interest_paid -= entry.interest
    loan.save()
    return undo


@pytest.fixture
def villages(commune, village, other_village, foreign_village):
    third = VillageFactory(commune=commune, code="T03", name="Thôn 3")
    for order, place in enumerate((village, other_village, third), start=1):
        place.sort_order = order
        place.save()
    return {"A": village, "B": other_village, "C": third, "F": foreign_village}


@pytest.fixture
def book(villages):
    """The loans of the table above, by name."""

    def household(key, code, group, active=True):
        return HouseholdFactory(
            village=villages[key],
            code=code,
            ethnic_group=group,
            is_active=active,
            archived_reason="" if active else "chuyển đi nơi khác",
        )

    a1 = household("A", "A1", kinh())
    a2 = household("A", "A2", ede())
    a3 = household("A", "A3", kinh())
    a6 = household("A", "A6", kinh(), active=False)
    b1 = household("B", "B1", ede())
    b2 = household("B", "B2", ede())
    c1 = household("C", "C1", kinh())
    c2 = household("C", "C2", kinh())
    f1 = household("F", "F1", kinh())
    poor, near_poor = program("HO_NGHEO"), program("HO_CAN_NGHEO")

    def loan(who, amount, day, *, term=36, scheme=poor):
        return disbursed_loan(
            household=who,
            program=scheme,
            amount=amount * M,
            disbursed_on=day,
            term_months=term,
        )

    loans = {
        "L1": loan(a1, 50, date(2025, 1, 1)),
        "L2": loan(a1, 30, date(2025, 9, 30), scheme=near_poor),
        "L3": loan(a2, 40, date(2024, 12, 31)),
        "L4": loan(b1, 20, date(2025, 10, 1), scheme=near_poor),
        "L5": loan(b1, 60, date(2025, 3, 15)),
        "L6": loan(b2, 30, date(2023, 1, 10), term=24),
        "L7": loan(c1, 25, date(2022, 2, 5), term=24),
        "L8": loan(a2, 35, date(2024, 7, 1)),
        "L9": loan(c1, 10, date(2024, 9, 30), term=12),
        "L10": loan(c2, 15, date(2023, 3, 1), term=12),
        "L11": loan(a6, 45, date(2025, 5, 1)),
        "L12": loan(f1, 45, date(2025, 5, 1)),
        "L13": LoanFactory(household=a3, amount=40 * M),
    }
    repayment(loans["L3"], paid_on=date(2025, 6, 15), principal=10 * M)
    repayment(loans["L3"], paid_on=date(2025, 10, 15), principal=5 * M)
    mistake = repayment(loans["L5"], paid_on=date(2025, 5, 10), principal=20 * M)
    reversal(mistake)
    repayment(loans["L5"], paid_on=date(2025, 8, 20), principal=15 * M)
    repayment(loans["L6"], paid_on=date(2024, 6, 1), principal=10 * M)
    repayment(loans["L6"], paid_on=date(2025, 11, 1), principal=20 * M)
    repayment(loans["L7"], paid_on=date(2024, 2, 1), principal=25 * M)
    for entry in loans.values():
        entry.refresh_from_db()
    return loans


def commune_scope(villages, period=NINE_MONTHS, today=TODAY, ethnic_group_id=None):
    ids = (villages["A"].pk, villages["B"].pk, villages["C"].pk)
    return DashboardScope(period, today, ids, True, ethnic_group_id)


def values(block) -> dict:
    return {f.slug: f.value for f in block.figures}


def figures(block) -> dict:
    return {f.slug: f for f in block.figures}


def table(block, slug):
    return next(t for t in block.tables if t.slug == slug)


def cells(row, *keys):
    return tuple(row.values[key] for key in keys)


# --- Key figures ------------------------------------------------------------------------


def test_the_book_is_as_the_docstring_says(book):
    # The loans' own state after the repayments: L6 and L7 are settled today.
    assert book["L6"].status == "settled"
    assert book["L7"].status == "settled"
    assert book["L5"].principal_repaid == 15 * M
    assert book["L6"].due_on == date(2025, 1, 10)
    assert book["L9"].due_on == date(2025, 9, 30)
    assert book["L10"].due_on == date(2024, 3, 1)


def test_key_figures_of_the_commune(book, villages):
    block = loans_block(commune_scope(villages))
    # Plain ints (PostgreSQL's SUM of a bigint is a numeric).
    assert all(type(f.value) is int for f in block.figures)
    assert values(block) == {
        "loan_households": 2,
        "loans_disbursed": 3,
        "amount_disbursed": 140 * M,
        "outstanding": 235 * M,
        "overdue_loans": 2,
        "overdue_principal": 35 * M,
    }


def test_key_figure_details_and_links(book, villages):
    found = figures(loans_block(commune_scope(villages)))

    assert found["loan_households"].detail == "9 tháng đầu năm 2025"
    assert found["outstanding"].detail == "tại ngày 30/09/2025"
    assert found["amount_disbursed"].kind == "vnd"
    assert found["overdue_principal"].kind == "vnd"
    for slug in ("loan_households", "loans_disbursed", "amount_disbursed"):
        assert found[slug].link == f"/loans/?{FROM_TO}"
    assert found["outstanding"].link == (
        "/loans/?status=disbursed&disbursed_to=30%2F09%2F2025"
    )
    assert found["overdue_loans"].link == "/loans/overdue/"
    assert found["overdue_principal"].link == "/loans/overdue/"


def test_e_is_today_while_the_period_runs(book, villages):
    # Seen on 30/06/2025, the nine months count at 30/06/2025: a loan falling due in
    # August is not overdue yet (the same figures as the first half-year's).
    block = loans_block(commune_scope(villages, today=date(2025, 6, 30)))

    assert values(block)["outstanding"] == 220 * M
    assert values(block)["overdue_loans"] == 2
    assert values(block)["overdue_principal"] == 35 * M
    assert figures(block)["outstanding"].detail == "tại ngày 30/06/2025"


def test_outstanding_and_overdue_at_the_end_of_june(book, villages):
    # E = 30/06/2025. Lent by then: L3 L5 L6 L7 L8 L9 L10 and L1 = 265; repaid:
    # L3 10, L5 20 - 20, L6 10, L7 25 = 45. Overdue: L6 (20 left) and L10 (15).
    block = loans_block(
        commune_scope(villages, period=custom(date(2025, 1, 1), date(2025, 6, 30)))
    )

    assert values(block)["outstanding"] == 220 * M
    assert values(block)["overdue_loans"] == 2
    assert values(block)["overdue_principal"] == 35 * M
    assert figures(block)["overdue_loans"].detail == "tại ngày 30/06/2025"
    # In the period: L1 (A1) and L5 (B1).
    assert values(block)["amount_disbursed"] == 110 * M


def test_overdue_is_the_state_at_e_not_today(book, villages):
    # On 31/01/2024 L7 (due 05/02/2024) and L10 (due 01/03/2024) are not yet due;
    # L6 is not due before 2025. Outstanding: L6 30 - 0, L7 25, L10 15 = 70.
    block = loans_block(commune_scope(villages, period=month(2024, 1)))
    assert values(block)["outstanding"] == 70 * M
    assert values(block)["overdue_loans"] == 0
    # On 29/02/2024 L7 is overdue but repaid (01/02), L10 not yet due.
    block = loans_block(commune_scope(villages, period=month(2024, 2)))
    assert values(block)["overdue_loans"] == 0
    # On 31/03/2024 L10 is overdue with all its 15 left.
    block = loans_block(commune_scope(villages, period=month(2024, 3)))
    assert values(block)["overdue_loans"] == 1
    assert values(block)["overdue_principal"] == 15 * M


def test_period_edges_are_inclusive(book, villages):
    # Without its first and last day the period loses L1 and L2.
    inner = custom(date(2025, 1, 2), date(2025, 9, 29))
    found = values(loans_block(commune_scope(villages, period=inner)))
    assert (found["loan_households"], found["loans_disbursed"]) == (1, 1)
    assert found["amount_disbursed"] == 60 * M
    # December 2024 ends on L3's day; October 2025 starts on L4's.
    december = values(loans_block(commune_scope(villages, period=month(2024, 12))))
    assert (december["loans_disbursed"], december["amount_disbursed"]) == (1, 40 * M)
    october = values(loans_block(commune_scope(villages, period=month(2025, 10))))
    assert (october["loans_disbursed"], october["amount_disbursed"]) == (1, 20 * M)


def test_the_ethnic_group_filter(book, villages):
    # Ê Đê heads: A2 (L3 L8), B1 (L4 L5), B2 (L6). In the period: L5.
    # Lent by E: L3 L5 L6 L8 = 165; repaid: 10 + 15 + 10 = 35. Overdue: L6.
    block = loans_block(commune_scope(villages, ethnic_group_id=ede().pk))
    assert values(block) == {
        "loan_households": 1,
        "loans_disbursed": 1,
        "amount_disbursed": 60 * M,
        "outstanding": 130 * M,
        "overdue_loans": 1,
        "overdue_principal": 20 * M,
    }


def test_a_chosen_village(book, villages, official):
    scope = DashboardScope.for_user(
        official, period=NINE_MONTHS, today=TODAY, village=villages["B"]
    )
    block = loans_block(scope)
    b = villages["B"].pk

    # Buôn Tiêu: L5 in the period; L5 60 - 15 and L6 30 - 10 outstanding; L6 overdue.
    assert values(block) == {
        "loan_households": 1,
        "loans_disbursed": 1,
        "amount_disbursed": 60 * M,
        "outstanding": 65 * M,
        "overdue_loans": 1,
        "overdue_principal": 20 * M,
    }
    assert figures(block)["loans_disbursed"].link == f"/loans/?{FROM_TO}&village={b}"
    assert figures(block)["overdue_loans"].link == f"/loans/overdue/?village={b}"
    assert [r.values["village"] for r in table(block, "loans-by-village").rows] == [
        "Buôn Tiêu"
    ]


def test_a_village_officer_sees_their_village_only(book, villages, officer):
    scope = DashboardScope.for_user(officer, period=NINE_MONTHS, today=TODAY)
    block = loans_block(scope)

    # Thôn 1: L1 L2 in the period (A1); lent L1 L2 L3 L8 = 155, repaid L3 10.
    assert values(block) == {
        "loan_households": 1,
        "loans_disbursed": 2,
        "amount_disbursed": 80 * M,
        "outstanding": 145 * M,
        "overdue_loans": 0,
        "overdue_principal": 0,
    }
    a = villages["A"].pk
    assert figures(block)["amount_disbursed"].link == f"/loans/?{FROM_TO}&village={a}"


# --- Tables -----------------------------------------------------------------------------


def test_disbursement_by_month(book, villages):
    result = table(loans_block(commune_scope(villages)), "loans-by-month")

    assert [
        cells(r, "month", "households", "loans", "amount") for r in result.rows
    ] == [
        ("01/2025", 1, 1, 50 * M),
        ("02/2025", 0, 0, 0),
        ("03/2025", 1, 1, 60 * M),
        ("04/2025", 0, 0, 0),
        ("05/2025", 0, 0, 0),
        ("06/2025", 0, 0, 0),
        ("07/2025", 0, 0, 0),
        ("08/2025", 0, 0, 0),
        ("09/2025", 1, 1, 30 * M),
    ]
    assert result.chart.kind == "bar"
    assert result.chart.label_key == "month"
    assert result.chart.series == ("amount",)
    assert result.rows[1].links["amount"] == (
        "/loans/?disbursed_from=01%2F02%2F2025&disbursed_to=28%2F02%2F2025"
    )


def test_months_are_cut_to_a_custom_period(book, villages):
    period = custom(date(2024, 12, 31), date(2025, 1, 15))
    result = table(
        loans_block(commune_scope(villages, period=period)), "loans-by-month"
    )

    assert [cells(r, "month", "loans", "amount") for r in result.rows] == [
        ("12/2024", 1, 40 * M),
        ("01/2025", 1, 50 * M),
    ]
    assert result.rows[0].links["loans"] == (
        "/loans/?disbursed_from=31%2F12%2F2024&disbursed_to=31%2F12%2F2024"
    )
    assert result.rows[1].links["loans"] == (
        "/loans/?disbursed_from=01%2F01%2F2025&disbursed_to=15%2F01%2F2025"
    )


def test_households_are_distinct_within_a_month(villages):
    household = HouseholdFactory(village=villages["A"])
    disbursed_loan(household=household, amount=10 * M, disbursed_on=date(2025, 4, 1))
    disbursed_loan(household=household, amount=20 * M, disbursed_on=date(2025, 4, 30))
    disbursed_loan(household=household, amount=5 * M, disbursed_on=date(2025, 5, 2))
    block = loans_block(commune_scope(villages))
    rows = {r.values["month"]: r for r in table(block, "loans-by-month").rows}

    assert cells(rows["04/2025"], "households", "loans", "amount") == (1, 2, 30 * M)
    assert cells(rows["05/2025"], "households", "loans", "amount") == (1, 1, 5 * M)
    assert values(block)["loan_households"] == 1


def test_disbursement_by_program(book, villages):
    result = table(loans_block(commune_scope(villages)), "loans-by-program")
    poor, near_poor = program("HO_NGHEO"), program("HO_CAN_NGHEO")

    # Largest amount first: poor households L1 L5 (A1 B1), near-poor L2 (A1).
    assert [
        cells(r, "program", "households", "loans", "amount") for r in result.rows
    ] == [
        ("Cho vay hộ nghèo", 2, 2, 110 * M),
        ("Cho vay hộ cận nghèo", 1, 1, 30 * M),
    ]
    # A1 borrowed under both programs: once in the total.
    assert cells(result.total, "households", "loans", "amount") == (2, 3, 140 * M)
    assert result.chart.kind == "bar"
    assert result.chart.horizontal is True
    assert result.chart.series == ("amount",)
    assert result.rows[0].links["amount"] == f"/loans/?program={poor.pk}&{FROM_TO}"
    assert result.rows[1].links["households"] == (
        f"/loans/?program={near_poor.pk}&{FROM_TO}"
    )
    assert result.total.links["amount"] == f"/loans/?{FROM_TO}"


def test_disbursement_by_village(book, villages):
    result = table(loans_block(commune_scope(villages)), "loans-by-village")
    a, b = villages["A"].pk, villages["B"].pk

    assert [
        cells(r, "village", "households", "loans", "amount", "outstanding")
        for r in result.rows
    ] == [
        # L1 L2; outstanding L1 50 + L2 30 + L3 40 - 10 + L8 35
        ("Thôn 1", 1, 2, 80 * M, 145 * M),
        # L5; outstanding L5 60 - 15 + L6 30 - 10
        ("Buôn Tiêu", 1, 1, 60 * M, 65 * M),
        # nothing in the period; outstanding L7 0 + L9 10 + L10 15
        ("Thôn 3", 0, 0, 0, 25 * M),
    ]
    assert cells(result.total, "households", "loans", "amount", "outstanding") == (
        2,
        3,
        140 * M,
        235 * M,
    )
    assert [r.marked for r in result.rows] == [False, True, False]
    assert result.marked_label == "buôn đồng bào dân tộc thiểu số"
    assert result.rows[0].links["amount"] == f"/loans/?village={a}&{FROM_TO}"
    assert result.rows[1].links["outstanding"] == (
        f"/loans/?village={b}&status=disbursed&disbursed_to=30%2F09%2F2025"
    )


def test_the_list_behind_a_row_has_its_loans(book, villages, official_client):
    """The loan list shows archived households' loans too (L11: Thôn 1, the poor
    households' program, May), so the rows checked here are those without one."""
    block = loans_block(commune_scope(villages))
    months = table(block, "loans-by-month").rows
    rows = [
        table(block, "loans-by-village").rows[1],
        table(block, "loans-by-program").rows[1],
        *(row for row in months if row.values["month"] != "05/2025"),
    ]
    for row in rows:
        response = official_client.get(row.links["amount"])
        assert response.status_code == 200
        totals = response.context["totals"]
        assert (totals["households"], totals["loans"], totals["amount"]) == (
            row.values["households"],
            row.values["loans"],
            row.values["amount"],
        )


# --- Labels and queries -----------------------------------------------------------------


def test_labels_in_vietnamese_and_english(book, villages):
    scope = commune_scope(villages)
    block = loans_block(scope)
    assert block.title == "Vay vốn ưu đãi"
    assert [f.label for f in block.figures] == [
        "Số hộ vay",
        "Số khoản vay đã giải ngân",
        "Số tiền giải ngân",
        "Dư nợ gốc",
        "Khoản vay quá hạn",
        "Nợ gốc quá hạn",
    ]
    assert [t.title for t in block.tables] == [
        "Giải ngân theo tháng",
        "Giải ngân theo chương trình",
        "Giải ngân theo thôn, buôn",
    ]

    with translation.override("en"):
        block = loans_block(scope)
    assert block.title == "Preferential loans"
    assert [f.label for f in block.figures] == [
        "Households that borrowed",
        "Loans disbursed",
        "Amount disbursed",
        "Principal outstanding",
        "Overdue loans",
        "Overdue principal",
    ]
    assert figures(block)["outstanding"].detail == "at 30/09/2025"
    assert figures(block)["loans_disbursed"].detail == "First nine months of 2025"
    assert [t.title for t in block.tables] == [
        "Loans disbursed by month",
        "Loans disbursed by program",
        "Loans disbursed by village",
    ]
    by_village = table(block, "loans-by-village")
    assert [c.label for c in by_village.columns] == [
        "Village",
        "Households that borrowed",
        "Loans disbursed",
        "Amount disbursed (VND)",
        "Outstanding (VND)",
    ]
    by_program = table(block, "loans-by-program")
    assert by_program.rows[0].values["program"] == "Loans to poor households"
    assert by_program.total.values["program"] == "Total"
    assert figures(block)["loans_disbursed"].link == f"/en/loans/?{FROM_TO}"


def populate(villages, size):
    """``size`` households per village, each with a loan in the period, an old overdue
    one and repayments before and after E."""
    for key in ("A", "B", "C"):
        for n in range(size):
            household = HouseholdFactory(
                village=villages[key], ethnic_group=ede() if n % 2 else kinh()
            )
            current = disbursed_loan(
                household=household,
                amount=10 * M,
                disbursed_on=date(2025, 1 + n % 9, 10),
                program=program("HO_NGHEO" if n % 3 else "HO_CAN_NGHEO"),
            )
            repayment(current, paid_on=date(2025, 9, 10), principal=M)
            late = disbursed_loan(
                household=household,
                amount=5 * M,
                disbursed_on=date(2023, 1, 5),
                term_months=12,
            )
            repayment(late, paid_on=date(2024, 1, 1), principal=M)
            repayment(late, paid_on=date(2025, 11, 1), principal=M)


def block_queries(scope) -> int:
    with CaptureQueriesContext(connection) as ctx:
        loans_block(scope)
    return len(ctx.captured_queries)


def test_five_queries_whatever_the_size(book, villages, django_assert_max_num_queries):
    scopes = [
        commune_scope(villages),
        commune_scope(villages, ethnic_group_id=ede().pk),
        DashboardScope(NINE_MONTHS, TODAY, (villages["B"].pk,), False),
    ]
    populate(villages, 2)
    small = [block_queries(scope) for scope in scopes]
    populate(villages, 20)
    large = [block_queries(scope) for scope in scopes]

    assert small == large == [5, 5, 5]
    with django_assert_max_num_queries(5):
        block = loans_block(scopes[0])
    # 3 × 2 + 3 × 20 new households, each with one loan in the period and one overdue.
    assert values(block)["loans_disbursed"] == 3 + 66
    assert values(block)["overdue_loans"] == 2 + 66


def test_a_village_without_loans_keeps_its_row(book, villages):
    empty = VillageFactory(commune=villages["A"].commune, code="T09", sort_order=9)
    HouseholdFactory(village=empty)
    ids = (villages["B"].pk, empty.pk)
    block = loans_block(DashboardScope(NINE_MONTHS, TODAY, ids, False))
    rows = table(block, "loans-by-village").rows

    assert [r.values["village"] for r in rows] == ["Buôn Tiêu", empty.name]
    assert cells(rows[1], "households", "loans", "amount", "outstanding") == (
        0,
        0,
        0,
        0,
    )
    assert cells(table(block, "loans-by-village").total, "amount", "outstanding") == (
        60 * M,
        65 * M,
    )
