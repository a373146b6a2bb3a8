"""Reads of the loan book: the period report and balances against sums computed here in
plain Python from the rows the test wrote, the list filters and totals, and the facts the
eligibility rules read about a registered household."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from households.models import Village
from loans import selectors, services
from loans.eligibility import Outcome
from loans.models import Loan, LoanProgram, LoanStatus, Repayment
from loans.selectors import (
    OVERDUE,
    LoanFilters,
    eligibility_for_household,
    facts_for_household,
    loan_list_for,
    loan_totals,
    loans_for,
    outstanding_on,
    period_report,
)
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    VillageFactory,
    ede,
    indicators,
)
from tests.factories.loans import (
    LoanFactory,
    SavingsGroupFactory,
    disbursed_loan,
    program,
    repayment,
)

START, END = date(2025, 1, 1), date(2025, 9, 30)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# --- the period report -----------------------------------------------------------------


@pytest.fixture
def third_village(commune):
    return VillageFactory(commune=commune, code="T03", name="Thôn 3")


@pytest.fixture
def book(village, other_village, third_village, foreign_village):
    """Loans across three villages and three programs, in and around Jan–Sep 2025."""
    an = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    binh = HouseholdFactory(village=village, head_name="Trần Thị Bình")
    hen = HouseholdFactory(village=other_village, head_name="H'Hen Niê")
    nue = HouseholdFactory(village=third_village, head_name="Y Nuê Êban")
    stranger = HouseholdFactory(village=foreign_village)

    def lend(household, code, amount, on, **kw):
        return disbursed_loan(
            household=household,
            program=program(code),
            amount=amount,
            disbursed_on=on,
            term_months=kw.pop("term_months", 36),
            **kw,
        )

    first = lend(an, "HO_NGHEO", 50_000_000, START)  # first day of the period
    lend(an, "NUOC_SACH", 20_000_000, date(2025, 4, 15))  # same household again
    settled = lend(binh, "HO_CAN_NGHEO", 80_000_000, date(2025, 2, 1), term_months=3)
    repayment(settled, paid_on=date(2025, 5, 1), principal=80_000_000, interest=1)
    lend(binh, "HO_NGHEO", 45_000_000, END)  # last day of the period
    lend(hen, "HO_NGHEO", 30_000_000, date(2025, 6, 1))
    lend(hen, "HO_NGHEO", 40_000_000, date(2025, 7, 1))  # same program twice
    lend(nue, "NUOC_SACH", 25_000_000, date(2025, 8, 8))
    # Outside the period.
    before = lend(an, "HO_NGHEO", 10_000_000, date(2024, 12, 31))
    lend(nue, "HO_NGHEO", 60_000_000, date(2025, 10, 1))
    # Never disbursed, though applied for (and approved) within the period.
    for status in (LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.REJECTED):
        LoanFactory(household=nue, status=status, on=date(2025, 5, 1))
    # Another commune's loan in the period.
    lend(stranger, "HO_NGHEO", 99_000_000, date(2025, 5, 5))
    # Repayments: before the end, after the end, and one reversed.
    repayment(first, paid_on=date(2025, 3, 1), principal=10_000_000, interest=100)
    repayment(first, paid_on=date(2025, 10, 15), principal=5_000_000)
    mistake = repayment(before, paid_on=date(2025, 2, 2), principal=4_000_000)
    Repayment.objects.create(
        loan=before,
        paid_on=mistake.paid_on,
        principal=-4_000_000,
        interest=0,
        reverses=mistake,
        reason="Nhập nhầm",
    )
    before.principal_repaid -= 4_000_000
    before.save()
    return {"an": an, "binh": binh, "hen": hen, "nue": nue}


def expected_rows(loans, key):
    """(households, loans, amount) by ``key``, summed in plain Python."""
    households, counts, amounts = defaultdict(set), defaultdict(int), defaultdict(int)
    for loan in loans:
        k = key(loan)
        households[k].add(loan.household_id)
        counts[k] += 1
        amounts[k] += loan.amount
    return {k: (len(households[k]), counts[k], amounts[k]) for k in counts}


def in_period(commune, start=START, end=END, villages=None):
    return [
        loan
        for loan in Loan.objects.select_related("household__village", "program")
        if loan.household.commune_id == commune.pk
        and loan.disbursed_on is not None
        and start <= loan.disbursed_on <= end
        and (villages is None or loan.household.village in villages)
    ]


def expected_outstanding(commune, day, villages=None):
    loans = [
        loan
        for loan in Loan.objects.select_related("household__village")
        if loan.household.commune_id == commune.pk
        and loan.disbursed_on is not None
        and loan.disbursed_on <= day
        and (villages is None or loan.household.village in villages)
    ]
    lent = sum(loan.amount for loan in loans)
    repaid = sum(
        r.principal
        for r in Repayment.objects.all()
        if r.loan_id in {loan.pk for loan in loans} and r.paid_on <= day
    )
    return lent - repaid


def as_dict(rows):
    return {r.label: (r.households, r.loans, r.amount) for r in rows}


def test_period_report_against_sums_computed_by_hand(official, commune, book):
    report = period_report(user=official, start=START, end=END)
    loans = in_period(commune)
    assert len(loans) == 7
    [total] = expected_rows(loans, key=lambda _loan: "all").values()
    assert (report.total.households, report.total.loans, report.total.amount) == total
    assert total == (4, 7, 290_000_000)
    assert as_dict(report.by_program) == expected_rows(
        loans, key=lambda x: str(x.program)
    )
    assert as_dict(report.by_program) == {
        "Loans to poor households": (3, 4, 165_000_000),
        "Loans to near-poor households": (1, 1, 80_000_000),
        "Clean water and rural sanitation": (2, 2, 45_000_000),
    }
    # Largest amount first.
    assert [r.amount for r in report.by_program] == [
        165_000_000,
        80_000_000,
        45_000_000,
    ]
    assert as_dict(report.by_village) == expected_rows(
        loans, key=lambda x: str(x.household.village)
    )
    # In the villages' own order.
    order = [str(v) for v in Village.objects.filter(commune=commune)]
    labels = [r.label for r in report.by_village]
    assert labels == [v for v in order if v in labels]
    assert report.outstanding_on == END
    assert report.outstanding == expected_outstanding(commune, END)
    # 290m lent in the period + 10m before it, less 10m and 80m repaid (the 4m reversed).
    assert report.outstanding == 210_000_000


def test_period_report_for_one_village(official, commune, village, book):
    report = period_report(user=official, start=START, end=END, village=village.pk)
    loans = in_period(commune, villages=[village])
    [total] = expected_rows(loans, key=lambda _loan: "all").values()
    assert (report.total.households, report.total.loans, report.total.amount) == total
    assert [r.label for r in report.by_village] == ["Thôn 1"]
    assert report.outstanding == expected_outstanding(commune, END, villages=[village])


def test_period_report_outstanding_at_another_date(official, commune, book):
    day = date(2024, 12, 31)
    report = period_report(user=official, start=START, end=END, outstanding_at=day)
    assert report.outstanding_on == day
    assert report.outstanding == expected_outstanding(commune, day) == 10_000_000


def test_period_report_of_an_empty_period(official, book):
    report = period_report(
        user=official, start=date(2023, 1, 1), end=date(2023, 12, 31)
    )
    assert (report.total.households, report.total.loans, report.total.amount) == (
        0,
        0,
        0,
    )
    assert report.by_program == report.by_village == []
    assert report.outstanding == 0


def test_period_report_queries_do_not_grow_with_the_data(
    official, village, django_assert_num_queries, django_assert_max_num_queries
):
    def lend(n):
        for i in range(n):
            disbursed_loan(
                household=HouseholdFactory(village=village),
                disbursed_on=date(2025, 2, 1 + i),
            )

    lend(2)
    with django_assert_max_num_queries(8) as small:
        period_report(user=official, start=START, end=END)
    lend(20)
    with django_assert_num_queries(len(small.captured_queries)):
        period_report(user=official, start=START, end=END)


# --- outstanding_on ------------------------------------------------------------------


def test_outstanding_on_several_dates(official, village, other_village):
    a = disbursed_loan(
        household=HouseholdFactory(village=village),
        amount=50_000_000,
        disbursed_on=date(2024, 6, 1),
    )
    repayment(a, paid_on=date(2024, 9, 1), principal=10_000_000, interest=50_000)
    wrong = services.repayment_record(
        actor=official,
        loan=a,
        paid_on=date(2025, 2, 1),
        principal=5_000_000,
        interest=0,
    )
    services.repayment_reverse(actor=official, repayment=wrong, reason="Sai số")
    b = disbursed_loan(
        household=HouseholdFactory(village=other_village),
        amount=30_000_000,
        disbursed_on=date(2025, 1, 15),
    )
    repayment(b, paid_on=date(2025, 3, 1), principal=30_000_000, interest=1)
    LoanFactory(household=HouseholdFactory(village=village), status=LoanStatus.APPROVED)
    expected = {
        date(2024, 5, 31): 0,
        date(2024, 6, 1): 50_000_000,
        date(2024, 8, 31): 50_000_000,
        date(2024, 9, 1): 40_000_000,
        date(2025, 1, 14): 40_000_000,
        date(2025, 1, 15): 70_000_000,
        date(2025, 2, 1): 70_000_000,  # the reversed payment nets out on its own date
        date(2025, 3, 1): 40_000_000,  # b settled
        date(2026, 1, 1): 40_000_000,
    }
    got = {day: outstanding_on(user=official, day=day) for day in expected}
    assert got == expected
    assert outstanding_on(user=official, day=date(2025, 2, 1), village=village.pk) == (
        40_000_000
    )
    assert (
        outstanding_on(user=official, day=date(2025, 2, 1), village=other_village.pk)
        == 30_000_000
    )


# --- loan_totals and loan_list_for -----------------------------------------------------


@pytest.fixture
def listed(village, other_village):
    an = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    hen = HouseholdFactory(village=other_village, head_name="H'Hen Niê")
    group = SavingsGroupFactory(village=village, name="Tổ Phụ nữ 1")
    loans = {
        "applied": LoanFactory(
            household=an,
            savings_group=group,
            amount=20_000_000,
            on=date(2025, 5, 1),
        ),
        "disbursed": disbursed_loan(
            household=an,
            savings_group=group,
            amount=50_000_000,
            disbursed_on=date(2025, 3, 10),
            contract_number="6505-LAV-0042",
        ),
        "overdue": disbursed_loan(
            household=hen,
            program=program("HO_CAN_NGHEO"),
            amount=30_000_000,
            disbursed_on=date(2024, 1, 10),
            term_months=12,
        ),
        "settled": LoanFactory(
            household=hen,
            status=LoanStatus.SETTLED,
            amount=10_000_000,
            on=date(2024, 6, 1),
            term_months=6,
        ),
        "rejected": LoanFactory(
            household=an, status=LoanStatus.REJECTED, amount=5_000_000
        ),
    }
    repayment(loans["disbursed"], paid_on=date(2025, 6, 1), principal=12_000_000)
    loans["disbursed"].refresh_from_db()
    return loans


def test_loan_totals_of_a_filtered_list(official, listed):
    qs = loans_for(official)
    rows = list(qs)
    assert loan_totals(qs) == {
        "loans": len(rows),
        "households": len({loan.household_id for loan in rows}),
        "amount": sum(loan.amount for loan in rows),
        "outstanding": sum(
            loan.amount - loan.principal_repaid
            for loan in rows
            if loan.status == LoanStatus.DISBURSED
        ),
    }
    assert loan_totals(qs)["outstanding"] == 38_000_000 + 30_000_000
    assert loan_totals(qs.filter(status=LoanStatus.REJECTED)) == {
        "loans": 1,
        "households": 1,
        "amount": 5_000_000,
        "outstanding": 0,
    }
    assert loan_totals(qs.none()) == {
        "loans": 0,
        "households": 0,
        "amount": 0,
        "outstanding": 0,
    }


def listing(user, **filters) -> set[Loan]:
    return set(loan_list_for(user=user, filters=LoanFilters(**filters)))


def test_loan_list_filters(official, listed, village, other_village):
    everything = set(listed.values())
    assert listing(official) == everything
    assert listing(official, status=LoanStatus.APPLIED) == {listed["applied"]}
    assert listing(official, status=LoanStatus.SETTLED) == {listed["settled"]}
    with time_machine.travel(date(2025, 7, 1), tick=False):
        assert listing(official, status=OVERDUE) == {listed["overdue"]}
    with time_machine.travel(date(2025, 1, 10), tick=False):
        assert listing(official, status=OVERDUE) == set()
    assert listing(official, program=program("HO_CAN_NGHEO").pk) == {listed["overdue"]}
    assert listing(official, village=other_village.pk) == {
        listed["overdue"],
        listed["settled"],
    }
    group = listed["applied"].savings_group
    assert listing(official, savings_group=group.pk) == {
        listed["applied"],
        listed["disbursed"],
    }
    assert listing(
        official, disbursed_from=date(2024, 6, 1), disbursed_to=date(2025, 3, 10)
    ) == {listed["settled"], listed["disbursed"]}
    assert listing(official, disbursed_from=date(2025, 3, 11)) == set()
    assert listing(official, disbursed_to=date(2024, 1, 10)) == {listed["overdue"]}
    assert listing(official, village=village.pk, status=LoanStatus.DISBURSED) == {
        listed["disbursed"]
    }


def test_loan_list_search(official, listed):
    an = {listed["applied"], listed["disbursed"], listed["rejected"]}
    assert listing(official, q="Nguyen An") == an
    assert listing(official, q="nguyễn văn an") == an
    assert listing(official, q="hen nie") == {listed["overdue"], listed["settled"]}
    assert listing(official, q="lav-0042") == {listed["disbursed"]}
    assert listing(official, q="Nguyen 0042") == {listed["disbursed"]}
    assert listing(official, q="Nguyen 9999") == set()  # every word must match
    assert listing(official, q=listed["overdue"].household.code) == {
        listed["overdue"],
        listed["settled"],
    }


def test_loan_list_search_finds_a_contract_number_with_vietnamese_letters(
    official, village
):
    loan = disbursed_loan(
        household=HouseholdFactory(village=village), contract_number="HĐ-2025/17"
    )
    assert listing(official, q="HĐ-2025/17") == {loan}


def test_loan_list_sorts(official, listed):
    def order(sort):
        return [
            loan.pk
            for loan in loan_list_for(user=official, filters=LoanFilters(sort=sort))
        ]

    by_amount = sorted(listed.values(), key=lambda loan: -loan.amount)
    assert order("-amount") == [loan.pk for loan in by_amount]
    assert order("applied_on") == [
        loan.pk for loan in sorted(listed.values(), key=lambda x: (x.applied_on, x.pk))
    ]
    assert order("unknown") == order("-applied_on")


# --- facts_for_household ------------------------------------------------------------------


@pytest.fixture
def hen(other_village):
    """An Ê Đê household in an ethnic-minority hamlet, reviewed three years running."""
    household = HouseholdFactory(
        village=other_village,
        head_name="H'Hen Niê",
        ethnic_group=ede(),
        main_crops=["coffee"],
        farmed_area_ha=Decimal("1.5"),
    )
    PovertyReviewFactory(household=household, year=2023, status="poor")
    PovertyReviewFactory(
        household=household,
        year=2024,
        status="near_poor",
        deprivations=indicators("water_source"),
    )
    PovertyReviewFactory(
        household=household,
        year=2025,
        status="escaped_near_poor",
        income_per_person=3_000_000,
        deprivations=indicators("housing_quality", "latrine"),
    )
    MemberFactory(household=household, is_student=True)
    MemberFactory(household=household, is_student=False, birth_year=2015)
    MemberFactory(
        household=household, is_student=True, is_active=False, removed_reason="Tách hộ"
    )
    return household


def test_facts_from_the_registry(hen):
    poor_loan = disbursed_loan(
        household=hen, amount=50_000_000, disbursed_on=date(2025, 3, 10)
    )
    repayment(poor_loan, paid_on=date(2025, 6, 1), principal=10_000_000)
    LoanFactory(
        household=hen,
        program=program("HSSV"),
        amount=24_000_000,
        term_months=12,
        purpose="study",
    )
    LoanFactory(
        household=hen,
        program=program("NUOC_SACH"),
        status=LoanStatus.SETTLED,
        amount=10_000_000,
        term_months=12,
    )
    LoanFactory(
        household=hen, program=program("HO_CAN_NGHEO"), status=LoanStatus.REJECTED
    )
    with time_machine.travel(date(2025, 11, 1), tick=False):
        facts = facts_for_household(hen, year=2025)
    assert facts.year == 2025
    assert (facts.status, facts.status_year) == ("escaped_near_poor", 2025)
    assert facts.past_statuses == {
        2023: "poor",
        2024: "near_poor",
        2025: "escaped_near_poor",
    }
    assert facts.head_is_ethnic_minority is True
    assert facts.in_ethnic_minority_village is True
    assert facts.rural is True
    assert facts.members == 3  # head, student, child; the removed member left out
    assert facts.students == 1
    assert facts.lacks_solid_house is True
    assert facts.lacks_clean_water is False
    assert facts.lacks_latrine is True
    assert facts.does_production is True
    assert facts.open_loans == {"HO_NGHEO": 40_000_000, "HSSV": 24_000_000}
    assert facts.has_overdue_loan is False


def test_facts_of_an_earlier_year_use_that_years_review(hen):
    facts = facts_for_household(hen, year=2024)
    assert (facts.status, facts.status_year) == ("near_poor", 2024)
    assert facts.past_statuses == {2023: "poor", 2024: "near_poor"}
    assert facts.lacks_clean_water is True
    assert facts.lacks_solid_house is False
    assert facts.lacks_latrine is False


def test_facts_default_to_this_year(hen):
    with time_machine.travel(date(2024, 7, 1), tick=False):
        facts = facts_for_household(hen)
    assert facts.year == 2024
    assert facts.status == "near_poor"


def test_facts_of_an_unreviewed_household_are_unknown(village):
    household = HouseholdFactory(village=village)
    facts = facts_for_household(household, year=2025)
    assert facts.status is None and facts.status_year is None
    assert facts.past_statuses == {}
    assert facts.lacks_solid_house is None
    assert facts.lacks_clean_water is None
    assert facts.lacks_latrine is None
    assert facts.head_is_ethnic_minority is False
    assert facts.in_ethnic_minority_village is False
    assert facts.does_production is False
    assert facts.members == 1
    assert facts.students == 0
    assert facts.open_loans == {}


def test_facts_flag_an_overdue_loan_as_time_passes(hen):
    disbursed_loan(household=hen, disbursed_on=date(2025, 3, 10), term_months=12)
    with time_machine.travel(date(2026, 3, 10), tick=False):
        assert facts_for_household(hen, year=2026).has_overdue_loan is False
    with time_machine.travel(date(2026, 3, 11), tick=False):
        assert facts_for_household(hen, year=2026).has_overdue_loan is True


# --- eligibility_for_household ------------------------------------------------------


@pytest.fixture
def poor(village):
    household = HouseholdFactory(village=village)
    PovertyReviewFactory(household=household, year=2025, status="poor")
    return household


def test_eligibility_for_every_open_program_in_catalogue_order(poor):
    retired = program("NOXH")
    retired.is_active = False
    retired.save()
    verdicts = eligibility_for_household(poor, year=2025)
    codes = [p.code for p, _j in verdicts]
    assert codes == list(
        LoanProgram.objects.filter(is_active=True).values_list("code", flat=True)
    )
    assert "NOXH" not in codes
    assert all(j.program_code == p.code for p, j in verdicts)
    outcome = {p.code: j.outcome for p, j in verdicts}
    assert outcome["HO_NGHEO"] == Outcome.QUALIFIES
    assert outcome["HO_CAN_NGHEO"] == Outcome.DOES_NOT
    assert outcome["HO_MOI_THOAT_NGHEO"] == Outcome.DOES_NOT
    assert outcome["HSSV"] == Outcome.DOES_NOT  # nobody studies
    assert all(j.reasons for _p, j in verdicts)


def test_eligibility_for_given_programs_keeps_their_order(poor):
    chosen = [program("HO_CAN_NGHEO"), program("HO_NGHEO")]
    verdicts = eligibility_for_household(poor, programs=chosen, year=2025)
    assert [(p.code, j.outcome) for p, j in verdicts] == [
        ("HO_CAN_NGHEO", Outcome.DOES_NOT),
        ("HO_NGHEO", Outcome.QUALIFIES),
    ]


def test_eligibility_in_a_year_without_a_review_may_qualify(poor):
    [(_p, judgement)] = eligibility_for_household(
        poor, programs=[program("HO_NGHEO")], year=2026
    )
    assert judgement.outcome == Outcome.MAY_QUALIFY
    assert "2026" in " ".join(judgement.reasons)


def test_eligibility_sees_an_open_loan_of_the_program(poor):
    disbursed_loan(household=poor, amount=100_000_000, disbursed_on=date(2025, 3, 10))
    [(_p, judgement)] = eligibility_for_household(
        poor, programs=[program("HO_NGHEO")], year=2025
    )
    assert judgement.outcome == Outcome.DOES_NOT
    assert "100.000.000 ₫" in judgement.reasons[0]


def test_an_open_student_loan_is_not_compared_with_the_monthly_amount(poor):
    MemberFactory(household=poor, is_student=True)
    MemberFactory(household=poor, is_student=True, birth_year=2006)
    LoanFactory(
        household=poor,
        program=program("HSSV"),
        status=LoanStatus.DISBURSED,
        amount=24_000_000,
        term_months=12,
        purpose="study",
    )
    [(_p, judgement)] = eligibility_for_household(
        poor, programs=[program("HSSV")], year=2025
    )
    assert judgement.outcome != Outcome.DOES_NOT
    assert "4.000.000 ₫ cap" not in " ".join(judgement.reasons)


# --- small readers ----------------------------------------------------------------


def test_loan_repayments_in_date_order_with_reversals(official, village):
    loan = disbursed_loan(household=HouseholdFactory(village=village))
    late = repayment(loan, paid_on=date(2025, 6, 1), principal=1_000_000)
    early = repayment(loan, paid_on=date(2025, 4, 1), principal=1_000_000)
    reversal = services.repayment_reverse(actor=official, repayment=early, reason="Sai")
    assert [r.pk for r in selectors.loan_repayments(loan)] == [
        early.pk,
        reversal.pk,
        late.pk,
    ]
    assert selectors.last_repayment_on(loan) == date(2025, 6, 1)


def test_loans_of_household_and_group_lists(official, village):
    household = HouseholdFactory(village=village)
    group = SavingsGroupFactory(village=village, members=[household])
    old = LoanFactory(household=household, savings_group=group, on=date(2024, 1, 1))
    new = LoanFactory(household=household, savings_group=group, on=date(2025, 1, 1))
    assert selectors.loans_of_household(household) == [new, old]
    assert list(selectors.savings_group_loans(group, user=official)) == [new, old]
    assert list(selectors.savings_group_members(group, user=official)) == [household]
    [row] = selectors.savings_group_list_for(user=official, village=village.pk)
    assert row.member_count == 1
    assert row.open_loans == 0


def test_savings_group_list_search_by_name_and_leader(official, village):
    group = SavingsGroupFactory(
        village=village, name="Tổ Hội Phụ nữ 1", leader_name="H'Hen Niê"
    )
    SavingsGroupFactory(village=village, name="Tổ Cựu chiến binh", leader_name="Y Moan")
    assert list(selectors.savings_group_list_for(user=official, q="Phụ nữ")) == [group]
    assert list(selectors.savings_group_list_for(user=official, q="hen")) == [group]


def test_savings_group_list_search_without_diacritics(official, village):
    group = SavingsGroupFactory(village=village, name="Tổ Hội Phụ nữ 1")
    assert list(selectors.savings_group_list_for(user=official, q="Hoi Phu nu")) == [
        group
    ]
