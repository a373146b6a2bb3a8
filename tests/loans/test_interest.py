"""Interest by hand-computed examples, calendar arithmetic, the planned schedule, and what a
loan owes as time passes (time travel).

Day count (loans/interest.py): actual days, a year of 360, so 6.6% a year on 12 million is
12,000,000 × 0.066 / 360 = 2,200 VND a day; past the due date 130% of that, 2,860 VND.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from loans import services
from loans.interest import accrued_interest, add_months, repayment_schedule
from loans.models import Loan, LoanStatus
from loans.selectors import OVERDUE, LoanFilters, loan_list_for, overdue_loans_for
from tests.factories import HouseholdFactory
from tests.factories.loans import LoanFactory, disbursed_loan

RATE = Decimal("6.6")
START = date(2025, 3, 10)
DUE = date(2026, 3, 10)  # 365 days after START


def interest(on, payments=(), amount=12_000_000, rate=RATE, due_on=DUE, start=START):
    return accrued_interest(
        amount=amount,
        annual_rate=rate,
        disbursed_on=start,
        due_on=due_on,
        principal_payments=list(payments),
        on=on,
    )


def days(n: int) -> date:
    return START + timedelta(days=n)


# --- accrued_interest ------------------------------------------------------------------


def test_thirty_days_at_six_point_six_percent():
    assert interest(days(30)) == 66_000


def test_one_day():
    assert interest(days(1)) == 2_200


def test_nothing_accrues_on_or_before_the_disbursement_day():
    assert interest(START) == 0
    assert interest(days(-5)) == 0


def test_a_full_year_until_the_due_date():
    assert interest(DUE) == 365 * 2_200 == 803_000


def test_a_repayment_lowers_the_balance_from_its_date():
    # 10 days on 12 million, then 20 days on 6 million.
    assert interest(days(30), [(days(10), 6_000_000)]) == 10 * 2_200 + 20 * 1_100


def test_a_repayment_on_or_after_the_date_asked_does_not_count_yet():
    assert interest(days(30), [(days(30), 6_000_000)]) == 66_000
    assert interest(days(30), [(days(40), 6_000_000)]) == 66_000


def test_several_repayments_on_one_day_add_up():
    payments = [(days(10), 3_000_000), (days(10), 3_000_000)]
    assert interest(days(30), payments) == 10 * 2_200 + 20 * 1_100


def test_a_reversal_dated_like_the_original_cancels_it():
    payments = [(days(10), 6_000_000), (days(10), -6_000_000)]
    assert interest(days(30), payments) == 66_000


def test_nothing_accrues_once_the_principal_is_repaid():
    assert interest(days(300), [(days(10), 12_000_000)]) == 22_000


def test_the_overdue_part_pays_130_percent():
    # 10 days before the due date and the due date itself at 2,200 VND a day, the 9
    # days after it at 2,860 VND (the loan is overdue from the day after its due date).
    due = days(10)
    assert interest(days(20), due_on=due) == 11 * 2_200 + 9 * 2_860 == 49_940


def test_overdue_interest_on_the_balance_left_after_a_repayment():
    due = days(10)
    # 5 days on 12m, 6 days on 6m (normal, the due date included), then 9 overdue days
    # on 6m at 1,430.
    got = interest(days(20), [(days(5), 6_000_000)], due_on=due)
    assert got == 5 * 2_200 + 6 * 1_100 + 9 * 1_430 == 30_470


def test_a_repayment_after_the_due_date_splits_the_overdue_days():
    due = days(10)
    got = interest(days(20), [(days(15), 6_000_000)], due_on=due)
    assert got == 11 * 2_200 + 4 * 2_860 + 5 * 1_430 == 42_790


def test_a_loan_due_on_its_disbursement_day_is_overdue_from_the_next_day():
    assert interest(days(10), due_on=START) == 2_200 + 9 * 2_860


def test_rounding_is_half_up_once_at_the_end():
    # 100 VND at 1.8%: 0.005 VND a day, exactly.
    assert interest(days(100), amount=100, rate=Decimal("1.8")) == 1  # 0.5 → 1
    assert interest(days(300), amount=100, rate=Decimal("1.8")) == 2  # 1.5 → 2
    assert interest(days(500), amount=100, rate=Decimal("1.8")) == 3  # 2.5 → 3
    assert interest(days(99), amount=100, rate=Decimal("1.8")) == 0  # 0.495 → 0
    # Rounded once: 30 daily amounts of 0.005 make 0.15 → 0, not 30 × 0.01.
    assert interest(days(30), amount=100, rate=Decimal("1.8")) == 0


def test_an_exact_half_vnd_rounds_up_whatever_the_rate():
    # 1,001,000 × 0.066 × 30 / 360 = 5,505.5 exactly.
    assert interest(days(30), amount=1_001_000) == 5_506


# --- add_months ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 30), 1, date(2025, 12, 30)),
        (date(2025, 12, 1), 12, date(2026, 12, 1)),
        (date(2025, 12, 1), 13, date(2027, 1, 1)),
        (date(2025, 3, 10), 0, date(2025, 3, 10)),
        (date(2025, 3, 10), 120, date(2035, 3, 10)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# --- repayment_schedule ------------------------------------------------------------------


def test_schedule_in_yearly_instalments():
    plan = repayment_schedule(
        amount=100_000_000, annual_rate=RATE, disbursed_on=START, term_months=36
    )
    assert [i.due_on for i in plan] == [
        date(2026, 3, 10),
        date(2027, 3, 10),
        date(2028, 3, 10),
    ]
    # Whole thousands, as the savings groups collect; the last takes the rest.
    assert [i.principal for i in plan] == [33_333_000, 33_333_000, 33_334_000]
    assert sum(i.principal for i in plan) == 100_000_000
    assert [i.balance_after for i in plan] == [66_667_000, 33_334_000, 0]
    # 100m × 6.6% × 365/360 = 6,691,666.67 → 6,691,667; then 366 days (2028 is leap)
    # on the last part: 33,334,000 × 0.066 × 366 / 360 = 2,236,711.4 → 2,236,711.
    assert plan[0].interest_estimate == 6_691_667
    assert plan[1].interest_estimate == 4_461_133  # 66,667,000 × 0.066 × 365 / 360
    assert plan[2].interest_estimate == 2_236_711


def test_schedule_last_instalment_on_the_due_date_for_an_odd_term():
    plan = repayment_schedule(
        amount=50_000_000,
        annual_rate=RATE,
        disbursed_on=date(2025, 1, 31),
        term_months=30,
    )
    assert [i.due_on for i in plan] == [
        date(2026, 1, 31),
        date(2027, 1, 31),
        date(2027, 7, 31),
    ]
    assert plan[-1].due_on == add_months(date(2025, 1, 31), 30)
    assert sum(i.principal for i in plan) == 50_000_000
    assert plan[-1].balance_after == 0


def test_schedule_shorter_than_a_period_is_one_instalment():
    [only] = repayment_schedule(
        amount=12_000_000, annual_rate=RATE, disbursed_on=START, term_months=1
    )
    assert only.due_on == date(2025, 4, 10)
    assert only.principal == 12_000_000
    assert only.interest_estimate == 31 * 2_200
    assert only.balance_after == 0


def test_schedule_by_quarter():
    plan = repayment_schedule(
        amount=12_000_000,
        annual_rate=RATE,
        disbursed_on=START,
        term_months=12,
        period_months=3,
    )
    assert len(plan) == 4
    assert [i.principal for i in plan] == [3_000_000] * 4
    assert plan[-1].due_on == DUE
    assert [i.balance_after for i in plan] == [9_000_000, 6_000_000, 3_000_000, 0]


# --- what a loan owes, as time passes ------------------------------------------------------


@pytest.fixture
def loan(village):
    """12 million at 6.6%, disbursed 10/03/2025, due 10/03/2026."""
    loan = disbursed_loan(
        household=HouseholdFactory(village=village),
        amount=12_000_000,
        term_months=12,
        disbursed_on=START,
    )
    assert (loan.annual_rate, loan.due_on) == (RATE, DUE)
    return loan


def owed_today(loan):
    return services.loan_amounts_due(
        Loan.objects.get(pk=loan.pk), on=timezone.localdate()
    )


@pytest.mark.parametrize(
    ("today", "expected_interest", "overdue"),
    [
        (date(2025, 3, 10), 0, False),
        (date(2025, 4, 9), 66_000, False),
        (date(2026, 3, 9), 364 * 2_200, False),
        (date(2026, 3, 10), 803_000, False),
        # The due date (10/03) itself at the normal rate; overdue from the 11th.
        (date(2026, 3, 11), 803_000 + 2_200, True),
        (date(2026, 3, 20), 803_000 + 2_200 + 9 * 2_860, True),
    ],
)
def test_amounts_due_as_time_passes(loan, today, expected_interest, overdue):
    with time_machine.travel(today, tick=False):
        due = owed_today(loan)
    assert due.on == today
    assert due.principal == 12_000_000
    assert due.interest == expected_interest
    assert due.total == 12_000_000 + expected_interest
    assert due.overdue is overdue


def test_overdue_membership_changes_as_time_passes(loan, official):
    with time_machine.travel(date(2026, 3, 10), tick=False):
        assert not Loan.objects.overdue(timezone.localdate()).exists()
        assert not loan_list_for(user=official, filters=LoanFilters(status=OVERDUE))
        assert not overdue_loans_for(user=official)
    with time_machine.travel(date(2026, 3, 11), tick=False):
        assert list(Loan.objects.overdue(timezone.localdate())) == [loan]
        assert list(
            loan_list_for(user=official, filters=LoanFilters(status=OVERDUE))
        ) == [loan]
        assert list(overdue_loans_for(user=official)) == [loan]


def test_a_repayment_recorded_today_lowers_the_interest_from_today(loan, official):
    with time_machine.travel(date(2025, 4, 9), tick=False):
        services.repayment_record(
            actor=official,
            loan=loan,
            paid_on=timezone.localdate(),
            principal=6_000_000,
            interest=66_000,
        )
    with time_machine.travel(date(2025, 4, 19), tick=False):
        due = owed_today(loan)
    assert (due.principal, due.interest) == (6_000_000, 10 * 1_100)


def test_settling_an_overdue_loan_takes_it_off_the_overdue_list(loan, official):
    with time_machine.travel(date(2026, 3, 20), tick=False):
        today = timezone.localdate()
        due = owed_today(loan)
        assert due.interest == 830_940
        assert Loan.objects.overdue(today).exists()
        services.repayment_record(
            actor=official,
            loan=loan,
            paid_on=today,
            principal=12_000_000,
            interest=830_940,
        )
        assert not Loan.objects.overdue(today).exists()
        settled = Loan.objects.get(pk=loan.pk)
        assert settled.status == LoanStatus.SETTLED
        assert not settled.is_overdue(today)
    with time_machine.travel(date(2027, 1, 1), tick=False):
        due = owed_today(loan)
    assert (due.principal, due.interest, due.overdue) == (0, 0, False)


def test_a_repayment_dated_tomorrow_is_refused_today(loan, official):
    with (
        time_machine.travel(date(2025, 4, 9), tick=False),
        pytest.raises(ValidationError),
    ):
        services.repayment_record(
            actor=official,
            loan=loan,
            paid_on=date(2025, 4, 10),
            principal=1_000_000,
            interest=0,
        )
    assert not loan.repayments.exists()


def test_amounts_due_on_a_loan_not_yet_disbursed_are_zero(village):
    applied = LoanFactory(household=HouseholdFactory(village=village))
    due = services.loan_amounts_due(applied, on=date(2026, 1, 1))
    assert (due.principal, due.interest, due.overdue, due.total) == (0, 0, False, 0)
