"""The loan book's main screens through the test client: applying from a household, the
list with its filters and totals, the loan's page and its status actions.

"Today" is pinned to 15/06/2025 so review years, due dates and overdue are deterministic.
Pages are served in Vietnamese (no language prefix); expected messages are looked up in
the Vietnamese catalogue with ``vi()``, so a test checks the text the user reads.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from eakutur.audit.models import AuditEntry
from households.poverty import format_vnd
from loans.eligibility import Outcome
from loans.models import Eligibility, Loan, LoanStatus, Repayment
from loans.selectors import eligibility_for_household
from loans.services import repayment_record
from tests.factories import HouseholdFactory, PovertyReviewFactory, ede
from tests.factories.loans import (
    LoanFactory,
    SavingsGroupFactory,
    disbursed_loan,
    program,
    repayment,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


def money(amount: int) -> str:
    """An amount as the page shows it (the ₫ kept on the same line)."""
    return format_vnd(amount).replace(" ", "\u00a0")


def loan_history(loan) -> int:
    ct = ContentType.objects.get_for_model(Loan)
    return AuditEntry.objects.filter(content_type=ct, object_id=loan.pk).count()


def state(loan) -> tuple:
    """What an action could change: the loan row, its repayments and its history."""
    row = Loan.objects.filter(pk=loan.pk).values().get()
    row.pop("updated_at")
    return row, Repayment.objects.filter(loan=loan).count(), AuditEntry.objects.count()


# --- Applying from a household -----------------------------------------------------------


@pytest.fixture
def poor_household(village):
    household = HouseholdFactory(
        village=village, code="T01-009", head_name="Nguyễn Văn Nghèo"
    )
    PovertyReviewFactory(household=household, year=2025, status="poor")
    return household


@pytest.fixture
def group(village):
    return SavingsGroupFactory(village=village, name="Tổ Hội Phụ nữ thôn 1")


def apply_url(household) -> str:
    return reverse("loans:loan_apply", args=[household.pk])


def application(group, code="HO_NGHEO", **overrides) -> dict:
    data = {
        "program": program(code).pk,
        "savings_group": group.pk,
        "amount": "50.000.000",
        "purpose": "coffee",
        "term_months": "36",
        "applied_on": "15/06/2025",
        "contract_number": "",
        "override_reason": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def program_blocks(response) -> list[tuple[str, str, str]]:
    """(program code, verdict, visible text) of each program choice, in page order."""
    page = text_of(response)
    fieldset = page[page.index('id="programs"') : page.index("</fieldset>")]
    blocks = re.findall(
        r'data-program="(\w+)" data-verdict="(\w+)">(.*?)(?=<div class="border rounded|$)',
        fieldset,
        flags=re.S,
    )
    return [
        (code, verdict, re.sub(r"<[^>]+>", " ", body)) for code, verdict, body in blocks
    ]


def test_apply_page_shows_each_program_with_verdict_and_reasons(
    official_client, poor_household, group
):
    response = official_client.get(apply_url(poor_household))
    assert response.status_code == 200
    blocks = program_blocks(response)
    with translation.override("vi"):
        expected = {
            p.code: (j.outcome.value, [str(r) for r in j.reasons])
            for p, j in eligibility_for_household(poor_household, year=2025)
        }
    assert {code for code, _v, _t in blocks} == set(expected)
    for code, verdict, text in blocks:
        assert verdict == expected[code][0], code
        assert str(Eligibility(verdict).label) in text
        for reason in expected[code][1]:
            assert reason in unescape(text), (code, reason)
    by_code = {code: (verdict, text) for code, verdict, text in blocks}
    # A poor household of 2025 qualifies for the poor household loan, and the page says
    # which review it read; the near-poor loan is refused with the reason.
    assert by_code["HO_NGHEO"][0] == "qualifies"
    assert "2025" in by_code["HO_NGHEO"][1]
    assert by_code["HO_CAN_NGHEO"][0] == "does_not"
    # Qualifying programs come first, those it does not qualify for last.
    order = {"qualifies": 0, "may_qualify": 1, "does_not": 2}
    ranks = [order[verdict] for _code, verdict, _text in blocks]
    assert ranks == sorted(ranks)
    # Cap, rate and longest term of the poor household loan.
    assert money(100_000_000) in by_code["HO_NGHEO"][1]
    assert "120" in by_code["HO_NGHEO"][1]
    # Only the household village's active groups are offered.
    SavingsGroupFactory(name="Tổ của thôn khác")
    assert_shows(response, "Tổ Hội Phụ nữ thôn 1")
    assert_not_shows(official_client.get(apply_url(poor_household)), "Tổ của thôn khác")


def test_applying_records_one_loan_with_the_shown_verdict(
    official_client, official, poor_household, group
):
    response = official_client.post(apply_url(poor_household), application(group))
    loan = Loan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == loan.get_absolute_url()
    assert (loan.household, loan.program.code, loan.amount) == (
        poor_household,
        "HO_NGHEO",
        50_000_000,
    )
    assert loan.status == LoanStatus.APPLIED
    assert loan.eligibility == Eligibility.QUALIFIES
    assert loan.applied_on == TODAY and loan.created_by == official
    page = official_client.get(response["Location"])
    assert_shows(page, vi("Application recorded"), "Nguyễn Văn Nghèo")
    assert_shows(page, *loan.eligibility_reasons.splitlines())


def test_an_amount_above_the_cap_is_refused_and_nothing_saved(
    official_client, poor_household, group
):
    response = official_client.post(
        apply_url(poor_household), application(group, amount="150.000.000")
    )
    assert response.status_code == 200
    with translation.override("vi"):
        name = program("HO_NGHEO").name
    assert_shows(
        response,
        vi(
            "%(amount)s is above the maximum of %(cap)s for %(program)s.",
            amount=format_vnd(150_000_000),
            cap=format_vnd(100_000_000),
            program=name,
        ),
    )
    assert not Loan.objects.exists()


def test_a_term_too_long_is_refused(official_client, poor_household, group):
    response = official_client.post(
        apply_url(poor_household),
        application(
            group,
            code="NUOC_SACH",
            term_months="72",
            amount="20.000.000",
            override_reason="Cần nước sạch",
        ),
    )
    assert response.status_code == 200
    with translation.override("vi"):
        name = program("NUOC_SACH").name
    assert_shows(
        response,
        vi("%(program)s lends for at most %(max)s months.", program=name, max=60),
    )
    assert not Loan.objects.exists()


def test_a_program_it_does_not_qualify_for_needs_an_override_reason(
    official_client, poor_household, group
):
    url = apply_url(poor_household)
    refused = official_client.post(url, application(group, code="HO_CAN_NGHEO"))
    assert refused.status_code == 200
    with translation.override("vi"):
        name = program("HO_CAN_NGHEO").name
        label = str(Outcome.DOES_NOT.label)
    assert_shows(
        refused,
        vi(
            "For %(program)s the rule says: %(outcome)s. Give the reason for entering "
            "the application anyway.",
            program=name,
            outcome=label,
        ),
    )
    assert not Loan.objects.exists()

    accepted = official_client.post(
        url,
        application(
            group, code="HO_CAN_NGHEO", override_reason="Hộ vừa được xét cận nghèo"
        ),
    )
    loan = Loan.objects.get()
    assert accepted.status_code == 302
    assert loan.eligibility == Eligibility.DOES_NOT
    assert loan.override_reason == "Hộ vừa được xét cận nghèo"
    assert_shows(
        official_client.get(loan.get_absolute_url()), "Hộ vừa được xét cận nghèo"
    )


def test_apply_without_a_savings_group_says_how_to_set_one_up(
    official_client, poor_household, other_village
):
    response = official_client.get(apply_url(poor_household))
    assert response.status_code == 200
    assert 'id="no-groups"' in text_of(response)
    assert_shows(response, reverse("loans:group_create"))
    data = application(SavingsGroupFactory(village=other_village))
    refused = official_client.post(apply_url(poor_household), data)
    assert refused.status_code == 200
    assert not Loan.objects.exists()


def test_officer_cannot_apply_for_another_villages_household(
    officer_client, other_village
):
    household = HouseholdFactory(village=other_village)
    group = SavingsGroupFactory(village=other_village)
    assert officer_client.get(apply_url(household)).status_code == 404
    response = officer_client.post(apply_url(household), application(group))
    assert response.status_code == 404
    assert not Loan.objects.exists()


def test_an_archived_household_cannot_apply(official_client, poor_household, group):
    poor_household.is_active = False
    poor_household.archived_reason = "Chuyển đi"
    poor_household.save()
    assert official_client.get(apply_url(poor_household)).status_code == 404
    assert (
        official_client.post(apply_url(poor_household), application(group)).status_code
        == 404
    )


# --- The loan list -----------------------------------------------------------------------

LIST = reverse("loans:loan_list")


@pytest.fixture
def book(village, other_village):
    """Loans of every kind in two villages (officer's village = ``village``)."""
    an = HouseholdFactory(
        village=village, code="T01-001", head_name="Nguyễn Văn An", phone="0912000001"
    )
    binh = HouseholdFactory(village=village, code="T01-002", head_name="Trần Thị Bình")
    nie = HouseholdFactory(
        village=other_village,
        code="B01-001",
        head_name="H'Nie Êban",
        ethnic_group=ede(),
    )
    loans = {
        "applied": LoanFactory(household=binh, on=date(2025, 5, 2), amount=30_000_000),
        "disbursed": disbursed_loan(
            household=an,
            disbursed_on=date(2025, 3, 10),
            amount=50_000_000,
            contract_number="HD-0001",
        ),
        "overdue": disbursed_loan(
            household=binh,
            disbursed_on=date(2024, 1, 5),
            term_months=12,
            amount=20_000_000,
            program=program("HO_CAN_NGHEO"),
        ),
        "settled": LoanFactory(
            household=an,
            status=LoanStatus.SETTLED,
            disbursed_on=date(2022, 2, 1),
            term_months=24,
            amount=10_000_000,
        ),
        "elsewhere": disbursed_loan(
            household=nie, disbursed_on=date(2025, 4, 20), amount=40_000_000
        ),
        "rejected": LoanFactory(
            household=nie, status=LoanStatus.REJECTED, on=date(2025, 2, 1)
        ),
    }
    repayment(loans["disbursed"], paid_on=date(2025, 5, 1), principal=5_000_000)
    for loan in loans.values():
        loan.refresh_from_db()
    return loans


def shown(response) -> set[int]:
    """The loans listed: each row links to its loan."""
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/loans/(\d+)/"', text_of(response))}


def pks(book, *names) -> set[int]:
    return {book[name].pk for name in names}


def totals_shown(response) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">([^<]*)<', text_of(response)))


def expected_totals(loans) -> dict[str, str]:
    """The totals computed here, independently of the selector."""
    return {
        "loans": str(len(loans)),
        "households": str(len({loan.household_id for loan in loans})),
        "amount": money(sum(loan.amount for loan in loans)),
        "outstanding": money(
            sum(
                loan.amount - loan.principal_repaid
                for loan in loans
                if loan.status == LoanStatus.DISBURSED
            )
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ("applied", "disbursed", "overdue", "settled", "elsewhere", "rejected")),
        ({"status": "applied"}, ("applied",)),
        ({"status": "disbursed"}, ("disbursed", "overdue", "elsewhere")),
        ({"status": "overdue"}, ("overdue",)),
        ({"status": "rejected"}, ("rejected",)),
        ({"program": "HO_CAN_NGHEO"}, ("overdue",)),
        ({"village": "other"}, ("elsewhere", "rejected")),
        (
            {"disbursed_from": "01/03/2025", "disbursed_to": "31/03/2025"},
            ("disbursed",),
        ),
        ({"disbursed_from": "01/01/2025"}, ("disbursed", "elsewhere")),
        ({"q": "nguyen van an"}, ("disbursed", "settled")),
        ({"q": "tran thi binh"}, ("applied", "overdue")),
        ({"q": "HD-0001"}, ("disbursed",)),
        ({"q": "0912000001"}, ("disbursed", "settled")),
        ({"q": "nie", "status": "disbursed"}, ("elsewhere",)),
    ],
)
def test_list_filters_and_totals_of_the_filtered_set(
    official_client, book, other_village, params, expected
):
    params = dict(params)
    if params.get("program"):
        params["program"] = program(params["program"]).pk
    if params.get("village") == "other":
        params["village"] = other_village.pk
    response = official_client.get(LIST, params)
    assert shown(response) == pks(book, *expected)
    assert totals_shown(response) == expected_totals([book[n] for n in expected])


def test_list_rows_show_what_each_loan_is(official_client, book):
    response = official_client.get(LIST, {"status": "disbursed"})
    page = text_of(response)
    overdue_row = page[page.index(book["overdue"].get_absolute_url()) :]
    overdue_row = overdue_row[: overdue_row.index("</tr>")]
    assert "text-bg-danger" in overdue_row
    assert vi("overdue") in overdue_row
    assert "05/01/2025" in overdue_row  # due on, in red
    assert "T01-002" in overdue_row and "Trần Thị Bình" in overdue_row
    on_time = page[page.index(book["disbursed"].get_absolute_url()) :]
    on_time = on_time[: on_time.index("</tr>")]
    assert "text-bg-danger" not in on_time
    assert "10/03/2025" in on_time and "10/03/2028" in on_time
    assert money(45_000_000) in on_time and money(50_000_000) in on_time
    # The export link keeps the filters.
    assert f"{reverse('loans:loan_export')}?status=disbursed" in page


def test_the_totals_cover_every_page(official_client, village):
    household = HouseholdFactory(village=village)
    group = SavingsGroupFactory(village=village)
    loans = [
        LoanFactory(household=household, savings_group=group, amount=1_000_000 + n)
        for n in range(51)
    ]
    first = official_client.get(LIST)
    assert len(shown(first)) == 50
    assert totals_shown(first) == expected_totals(loans)
    second = official_client.get(LIST, {"page": 2})
    assert len(shown(second)) == 1
    assert shown(first) | shown(second) == {loan.pk for loan in loans}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"disbursed_from": "31/02/2025"},
        {"disbursed_from": "hôm qua", "village": "abc"},
        {"program": "999999"},
        {"savings_group": "x", "sort": "drop table"},
        {"disbursed_from": "01/06/2025", "disbursed_to": "01/01/2025"},
        {"page": "999"},
    ],
)
def test_invalid_filters_show_errors_never_a_500(official_client, book, params):
    response = official_client.get(LIST, params)
    if params.get("page"):
        assert response.status_code == 404  # a page past the end, as Django's lists
        return
    assert response.status_code == 200
    assert "is-invalid" in text_of(response)
    assert shown(response) <= pks(book, *book)


def test_officer_sees_only_their_villages_loans(officer_client, book, other_village):
    everything = officer_client.get(LIST)
    assert shown(everything) == pks(book, "applied", "disbursed", "overdue", "settled")
    assert totals_shown(everything) == expected_totals(
        [book[n] for n in ("applied", "disbursed", "overdue", "settled")]
    )
    assert_not_shows(everything, "H'Nie Êban", "B01-001")
    # Another village is not a choice; asking for it filters nothing in.
    forced = officer_client.get(LIST, {"village": other_village.pk})
    assert not shown(forced) & pks(book, "elsewhere", "rejected")
    assert_not_shows(officer_client.get(LIST, {"q": "nie"}), "H'Nie Êban")


# --- The loan's page ---------------------------------------------------------------------


def test_detail_shows_the_loan_schedule_repayments_and_history(
    official_client, official, village
):
    household = HouseholdFactory(village=village, head_name="Lê Văn Cà Phê")
    loan = disbursed_loan(
        household=household, disbursed_on=date(2024, 1, 10), amount=30_000_000
    )
    first = repayment_record(
        actor=official,
        loan=loan,
        paid_on=date(2025, 1, 10),
        principal=10_000_000,
        interest=1_000_000,
    )
    response = official_client.get(loan.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    assert_shows(response, "Lê Văn Cà Phê", loan.savings_group.name, "6,60%")
    assert reverse("loans:group_detail", args=[loan.savings_group.pk]) in page
    assert money(20_000_000) in page  # principal outstanding
    loan.refresh_from_db()
    from loans.services import loan_amounts_due

    assert money(loan_amounts_due(loan, on=TODAY).interest) in page
    # Schedule: 3 yearly instalments of 10 million; the first is covered by what was
    # repaid, the second is not due yet.
    schedule = page[
        page.index('id="schedule"') : page.index(
            "</table>", page.index('id="schedule"')
        )
    ]
    rows = schedule.split("<tr>")[2:]
    assert len(rows) == 3
    assert vi("paid") in rows[0] and "10/01/2025" in rows[0]
    assert vi("due") in rows[1] and "10/01/2026" in rows[1]
    # The repayment, who recorded it, a Reverse button; the history of the loan.
    assert reverse("loans:repayment_reverse", args=[loan.pk, first.pk]) in page
    assert official.get_full_name() in page
    assert 'id="history"' in page
    # Only the actions the status allows.
    assert reverse("loans:repayment_create", args=[loan.pk]) in page
    assert reverse("loans:loan_approve", args=[loan.pk]) not in page
    assert reverse("loans:loan_disburse", args=[loan.pk]) not in page


def test_detail_of_an_overdue_loan_says_so(official_client, village):
    loan = disbursed_loan(
        household=HouseholdFactory(village=village),
        disbursed_on=date(2023, 1, 5),
        term_months=24,
    )
    response = official_client.get(loan.get_absolute_url())
    page = text_of(response)
    assert 'id="loan-status">' + vi("overdue") in page
    schedule = page[page.index('id="schedule"') :]
    assert vi("late") in schedule


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (LoanStatus.APPLIED, {"loan_approve", "loan_reject"}),
        (LoanStatus.APPROVED, {"loan_disburse", "loan_reject"}),
        (LoanStatus.DISBURSED, {"repayment_create"}),
        (LoanStatus.SETTLED, set()),
        (LoanStatus.REJECTED, set()),
    ],
)
def test_detail_offers_only_the_actions_the_status_allows(
    official_client, village, status, actions
):
    loan = LoanFactory(household=HouseholdFactory(village=village), status=status)
    page = text_of(official_client.get(loan.get_absolute_url()))
    for name in ("loan_approve", "loan_reject", "loan_disburse", "repayment_create"):
        url = reverse(f"loans:{name}", args=[loan.pk])
        assert (url in page) == (name in actions), name


# --- The status actions ------------------------------------------------------------------


def action_url(name, loan, *more) -> str:
    return reverse(f"loans:{name}", args=[loan.pk, *more])


@pytest.fixture
def household(village):
    return HouseholdFactory(village=village, code="T01-050", head_name="Phạm Văn Vay")


def test_approval_copies_the_programs_terms_and_keeps_them(official_client, household):
    loan = LoanFactory(household=household, on=date(2025, 6, 1))
    poor = program("HO_NGHEO")
    poor.annual_rate = Decimal("7.10")
    poor.save()
    page = official_client.get(action_url("loan_approve", loan))
    assert page.status_code == 200
    assert_shows(page, "7,1", money(100_000_000), vi("%(n)s months", n=120))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPLIED  # the GET changed nothing

    response = official_client.post(
        action_url("loan_approve", loan), {"approved_on": "14/06/2025"}
    )
    assert response.status_code == 302
    assert response["Location"] == loan.get_absolute_url()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED
    assert loan.approved_on == date(2025, 6, 14)
    assert (loan.annual_rate, loan.cap_amount, loan.max_term_months) == (
        Decimal("7.10"),
        100_000_000,
        120,
    )
    # The catalogue changes later: the loan keeps the terms it was approved on.
    poor.annual_rate = Decimal("8.00")
    poor.save()
    loan.refresh_from_db()
    assert loan.annual_rate == Decimal("7.10")
    detail = official_client.get(loan.get_absolute_url())
    assert_shows(detail, vi("The loan was approved."), "7,10%")
    assert_not_shows(detail, "8,00%")


def test_rejection_needs_a_reason(official_client, household):
    loan = LoanFactory(household=household, on=date(2025, 6, 1))
    before = state(loan)
    refused = official_client.post(
        action_url("loan_reject", loan), {"rejected_on": "15/06/2025", "reason": " "}
    )
    assert refused.status_code == 200
    assert_shows(refused, vi("Say why the loan is rejected."))
    assert state(loan) == before

    done = official_client.post(
        action_url("loan_reject", loan),
        {"rejected_on": "15/06/2025", "reason": "Hộ đã chuyển khỏi xã"},
    )
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REJECTED
    assert loan.rejection_reason == "Hộ đã chuyển khỏi xã"
    detail = official_client.get(loan.get_absolute_url())
    assert_shows(
        detail, vi("The loan was rejected."), "Hộ đã chuyển khỏi xã", "15/06/2025"
    )


def test_disbursement_sets_the_due_date_and_records_once(official_client, household):
    loan = LoanFactory(
        household=household, status=LoanStatus.APPROVED, on=date(2025, 5, 1)
    )
    page = official_client.get(action_url("loan_disburse", loan))
    assert_shows(page, "15/06/2028")  # paid out today + 36 months
    data = {"disbursed_on": "01/06/2025", "contract_number": "HD-2025-77"}
    history = loan_history(loan)

    first = official_client.post(action_url("loan_disburse", loan), data, follow=True)
    assert first.redirect_chain == [(loan.get_absolute_url(), 302)]
    assert_shows(first, vi("The disbursement was recorded."), "01/06/2028")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DISBURSED
    assert (loan.disbursed_on, loan.due_on) == (date(2025, 6, 1), date(2028, 6, 1))
    assert loan.contract_number == "HD-2025-77"
    after_first = state(loan)
    assert loan_history(loan) == history + 1

    # The same form submitted again: the same answer, nothing recorded twice.
    again = official_client.post(action_url("loan_disburse", loan), data, follow=True)
    assert again.redirect_chain == [(loan.get_absolute_url(), 302)]
    assert_shows(again, vi("The disbursement was recorded."))
    assert state(loan) == after_first
    assert loan_history(loan) == history + 1


def request_key_of(response) -> str:
    return re.search(r'name="request_key" value="([0-9a-f-]{36})"', text_of(response))[
        1
    ]


def test_a_double_submitted_repayment_is_recorded_once(official_client, household):
    loan = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    page = official_client.get(action_url("repayment_create", loan))
    assert page.status_code == 200
    assert_shows(page, money(50_000_000))  # principal outstanding
    data = {
        "paid_on": "14/06/2025",
        "principal": "10.000.000",
        "interest": "",
        "request_key": request_key_of(page),
    }
    url = action_url("repayment_create", loan)
    first = official_client.post(url, data, follow=True)
    assert first.redirect_chain == [(loan.get_absolute_url(), 302)]
    assert_shows(first, vi("The repayment was recorded."))
    # The same form again (a double click): the same answer, recorded once.
    second = official_client.post(url, data, follow=True)
    assert second.redirect_chain == [(loan.get_absolute_url(), 302)]
    assert_shows(second, vi("The repayment was recorded."))
    assert Repayment.objects.filter(loan=loan).count() == 1
    loan.refresh_from_db()
    assert (loan.principal_repaid, loan.interest_paid) == (10_000_000, 0)
    # A new visit to the form is a new payment: another key.
    assert (
        request_key_of(official_client.get(action_url("repayment_create", loan)))
        != (data["request_key"])
    )


def test_a_repayment_above_the_outstanding_principal_is_refused(
    official_client, household
):
    loan = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    repayment(loan, paid_on=date(2025, 4, 10), principal=20_000_000)
    before = state(loan)
    page = official_client.get(action_url("repayment_create", loan))
    response = official_client.post(
        action_url("repayment_create", loan),
        {
            "paid_on": "15/06/2025",
            "principal": "40.000.000",
            "interest": "",
            "request_key": request_key_of(page),
        },
    )
    assert response.status_code == 200
    assert_shows(
        response,
        vi(
            "%(paid)s is more than the %(owed)s of principal outstanding.",
            paid=format_vnd(40_000_000),
            owed=format_vnd(30_000_000),
        ),
    )
    assert state(loan) == before


def test_a_repayment_can_be_reversed_with_a_reason(
    official_client, official, household
):
    loan = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    entry = repayment_record(
        actor=official,
        loan=loan,
        paid_on=date(2025, 6, 1),
        principal=10_000_000,
        interest=0,
    )
    url = action_url("repayment_reverse", loan, entry.pk)
    page = official_client.get(url)
    assert page.status_code == 200
    assert_shows(page, "01/06/2025", money(10_000_000))

    before = state(loan)
    refused = official_client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert_shows(refused, vi("Say why the repayment is reversed."))
    assert state(loan) == before

    done = official_client.post(url, {"reason": "Nhập nhầm số tiền"})
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.principal_repaid == 0
    reversal = Repayment.objects.get(reverses=entry)
    assert (reversal.principal, reversal.reason) == (-10_000_000, "Nhập nhầm số tiền")
    detail = text_of(official_client.get(loan.get_absolute_url()))
    assert vi("The repayment was reversed.") in detail
    assert "Nhập nhầm số tiền" in detail
    assert "text-decoration-line-through" in detail
    # Neither the reversed entry nor its reversal can be reversed again.
    assert url not in detail
    assert action_url("repayment_reverse", loan, reversal.pk) not in detail
    again = official_client.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 200
    assert_shows(again, vi("This repayment has already been reversed."))
    assert Repayment.objects.filter(loan=loan).count() == 2


def vi_action(verb: str) -> str:
    with translation.override("vi"):
        return translation.pgettext("loan action", verb)


def test_an_illegal_transition_is_refused_with_the_services_message(
    official_client, household
):
    loan = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    message = vi(
        "A loan that is %(status)s cannot be %(action)s.",
        status=vi("disbursed"),
        action=vi_action("approved"),
    )
    page = official_client.get(action_url("loan_approve", loan))
    assert page.status_code == 200
    assert_shows(page, message)
    main = text_of(page).split("<main", 1)[1].split("</main>", 1)[0]
    assert 'type="submit"' not in main

    before = state(loan)
    response = official_client.post(
        action_url("loan_approve", loan), {"approved_on": "15/06/2025"}
    )
    assert response.status_code == 200
    assert_shows(response, message)
    assert state(loan) == before
    rejected = official_client.post(
        action_url("loan_reject", loan), {"rejected_on": "15/06/2025", "reason": "x"}
    )
    assert rejected.status_code == 200
    assert state(loan) == before


def test_get_on_an_action_url_changes_nothing(official_client, official, household):
    applied = LoanFactory(household=household, on=date(2025, 6, 1))
    approved = LoanFactory(household=household, status=LoanStatus.APPROVED)
    disbursed = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    entry = repayment_record(
        actor=official,
        loan=disbursed,
        paid_on=date(2025, 6, 1),
        principal=1_000_000,
        interest=0,
    )
    pages = [
        (applied, action_url("loan_approve", applied)),
        (applied, action_url("loan_reject", applied)),
        (approved, action_url("loan_disburse", approved)),
        (disbursed, action_url("repayment_create", disbursed)),
        (disbursed, action_url("repayment_reverse", disbursed, entry.pk)),
    ]
    for loan, url in pages:
        before = state(loan)
        assert official_client.get(url).status_code == 200, url
        assert state(loan) == before, url


def test_officer_gets_404_on_every_url_of_another_villages_loan(
    officer_client, other_village
):
    loan = disbursed_loan(
        household=HouseholdFactory(village=other_village, head_name="Y Bhăm Niê"),
        disbursed_on=date(2025, 3, 10),
    )
    entry = repayment(loan, paid_on=date(2025, 4, 1), principal=1_000_000)
    before = state(loan)
    urls = {
        loan.get_absolute_url(): {},
        action_url("loan_approve", loan): {"approved_on": "15/06/2025"},
        action_url("loan_reject", loan): {"rejected_on": "15/06/2025", "reason": "x"},
        action_url("loan_disburse", loan): {"disbursed_on": "15/06/2025"},
        action_url("repayment_create", loan): {
            "paid_on": "15/06/2025",
            "principal": "1.000.000",
        },
        action_url("repayment_reverse", loan, entry.pk): {"reason": "thử"},
    }
    for url, data in urls.items():
        assert officer_client.get(url).status_code == 404, url
        assert officer_client.post(url, data).status_code == 404, url
    assert state(loan) == before
    listing = officer_client.get(LIST)
    assert loan.pk not in shown(listing)
    assert_not_shows(listing, "Y Bhăm Niê")


def test_a_repayment_of_another_loan_is_a_404(official_client, household):
    loan = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    other = disbursed_loan(household=household, disbursed_on=date(2025, 3, 10))
    entry = repayment(other, paid_on=date(2025, 4, 1), principal=1_000_000)
    url = action_url("repayment_reverse", loan, entry.pk)
    assert official_client.get(url).status_code == 404
    assert official_client.post(url, {"reason": "x"}).status_code == 404
