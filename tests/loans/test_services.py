"""Writes to the loan book, against a real database: one use case per service.

Every refusal is checked twice: the message the official reads, and that nothing in the
database moved (loans, repayments, audit entries, group members).
"""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import translation

from eakutur.audit.models import AuditAction, AuditEntry
from loans import services
from loans.models import (
    TRANSITIONS,
    Eligibility,
    Loan,
    LoanStatus,
    Repayment,
    SavingsGroup,
)
from tests.factories import HouseholdFactory, MemberFactory, PovertyReviewFactory
from tests.factories.loans import (
    LoanFactory,
    SavingsGroupFactory,
    program,
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are English source strings until the translations arrive."""
    with translation.override("en"):
        yield


# --- helpers -------------------------------------------------------------------------


def snapshot() -> tuple:
    """Everything a refused write must leave as it was."""
    return (
        list(Loan.objects.order_by("pk").values()),
        list(Repayment.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
        list(SavingsGroup.members.through.objects.order_by("pk").values()),
    )


def entries_for(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    ).order_by("id")


def field_errors(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


def fresh(loan: Loan) -> Loan:
    return Loan.objects.get(pk=loan.pk)


@pytest.fixture
def poor(village):
    """A household on the 2025 poor list."""
    household = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    PovertyReviewFactory(household=household, year=2025, status="poor")
    return household


@pytest.fixture
def not_poor(village):
    household = HouseholdFactory(village=village, head_name="Trần Thị Bình")
    PovertyReviewFactory(
        household=household, year=2025, status="none", income_per_person=5_000_000
    )
    return household


@pytest.fixture
def group(village):
    return SavingsGroupFactory(village=village, name="Tổ Hội Phụ nữ thôn 1")


def apply(actor, household, group, **overrides) -> Loan:
    fields = {
        "household": household,
        "program": program("HO_NGHEO"),
        "savings_group": group,
        "amount": 50_000_000,
        "purpose": "coffee",
        "term_months": 36,
        "applied_on": date(2025, 3, 1),
    }
    fields.update(overrides)
    return services.loan_apply(actor=actor, **fields)


def approve(actor, loan, on=date(2025, 3, 5)) -> Loan:
    return services.loan_approve(actor=actor, loan=loan, approved_on=on)


def disburse(actor, loan, on=date(2025, 3, 10), **kw) -> Loan:
    return services.loan_disburse(actor=actor, loan=loan, disbursed_on=on, **kw)


def pay(actor, loan, on, principal, interest=0, **kw) -> Repayment:
    return services.repayment_record(
        actor=actor, loan=loan, paid_on=on, principal=principal, interest=interest, **kw
    )


def interest_due(loan, on) -> int:
    return services.loan_amounts_due(fresh(loan), on=on).interest


# --- loan_apply ----------------------------------------------------------------------


def test_apply_for_a_qualifying_household(official, poor, group):
    loan = apply(official, poor, group, notes="Mua phân bón", contract_number=" ")
    loan = fresh(loan)
    assert loan.status == LoanStatus.APPLIED
    assert loan.eligibility == Eligibility.QUALIFIES
    assert "2025" in loan.eligibility_reasons
    assert loan.override_reason == ""
    assert loan.commune == poor.commune
    assert loan.created_by == official
    assert loan.contract_number == ""
    assert loan.annual_rate is None and loan.cap_amount is None
    assert (loan.principal_repaid, loan.interest_paid) == (0, 0)
    [entry] = entries_for(loan)
    assert entry.action == AuditAction.CREATE
    assert entry.actor == official
    assert entry.parent_id == poor.pk
    assert entry.changes["amount"] == [None, 50_000_000]


def test_the_verdict_is_stored_in_vietnamese_whatever_the_language(
    official, poor, group, village
):
    twin = HouseholdFactory(village=village)
    PovertyReviewFactory(household=twin, year=2025, status="poor")
    with translation.override("en"):
        loan = apply(official, poor, group)
    with translation.override("vi"):
        expected = apply(official, twin, group).eligibility_reasons
    assert fresh(loan).eligibility_reasons == expected


def test_apply_without_override_when_the_rule_says_no_is_refused(
    official, not_poor, group
):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        apply(official, not_poor, group)
    [message] = field_errors(exc)["override_reason"]
    assert "Loans to poor households" in message
    assert "does not qualify" in message
    assert snapshot() == before
    assert not group.members.filter(pk=not_poor.pk).exists()


def test_apply_with_a_blank_override_is_refused(official, not_poor, group):
    with pytest.raises(ValidationError) as exc:
        apply(official, not_poor, group, override_reason="   ")
    assert "override_reason" in field_errors(exc)
    assert not Loan.objects.exists()


def test_apply_with_an_override_records_the_reason_and_the_verdict(
    official, not_poor, group
):
    loan = apply(
        official, not_poor, group, override_reason="  Hộ bị lũ cuốn mất nhà năm 2025 "
    )
    loan = fresh(loan)
    assert loan.eligibility == Eligibility.DOES_NOT
    assert loan.override_reason == "Hộ bị lũ cuốn mất nhà năm 2025"
    assert "2025" in loan.eligibility_reasons
    assert loan.eligibility_reasons.strip()


def test_an_override_given_for_a_qualifying_household_is_not_stored(
    official, poor, group
):
    loan = apply(official, poor, group, override_reason="Không cần")
    assert fresh(loan).override_reason == ""


def test_apply_to_a_retired_program_is_refused(official, poor, group):
    retired = program("HO_NGHEO")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group, program=retired)
    assert field_errors(exc)["program"] == [
        "This program is retired and takes no new applications."
    ]
    assert not Loan.objects.exists()


def test_apply_through_another_villages_group_is_refused(official, poor, other_village):
    foreign_group = SavingsGroupFactory(village=other_village)
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, foreign_group)
    assert field_errors(exc)["savings_group"] == [
        "The savings group must be in the household's village."
    ]
    assert not Loan.objects.exists()
    assert not foreign_group.members.exists()


def test_apply_through_a_closed_group_is_refused(official, poor, group):
    group.is_active = False
    group.save()
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group)
    assert field_errors(exc)["savings_group"] == ["This savings group is closed."]
    assert not Loan.objects.exists()


def test_apply_over_the_cap_names_the_cap(official, poor, group):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group, amount=100_000_001)
    assert field_errors(exc)["amount"] == [
        "100.000.001 ₫ is above the maximum of 100.000.000 ₫ for "
        "Loans to poor households."
    ]
    assert snapshot() == before


def test_apply_exactly_at_the_cap_is_accepted(official, poor, group):
    loan = apply(official, poor, group, amount=100_000_000)
    assert fresh(loan).amount == 100_000_000


def test_student_loan_cap_is_per_month_of_study(official, poor, group):
    MemberFactory(household=poor, is_student=True)
    students = program("HSSV")
    with pytest.raises(ValidationError) as exc:
        apply(
            official,
            poor,
            group,
            program=students,
            amount=48_000_001,
            term_months=12,
            purpose="study",
        )
    [message] = field_errors(exc)["amount"]
    assert "48.000.000 ₫" in message
    loan = apply(
        official,
        poor,
        group,
        program=students,
        amount=48_000_000,
        term_months=12,
        purpose="study",
    )
    assert fresh(loan).eligibility == Eligibility.QUALIFIES


def test_apply_for_longer_than_the_program_allows_is_refused(official, poor, group):
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group, term_months=121)
    assert field_errors(exc)["term_months"] == [
        "Loans to poor households lends for at most 120 months."
    ]
    assert not Loan.objects.exists()


def test_apply_with_zero_amount_is_refused(official, poor, group):
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group, amount=0)
    assert "amount" in field_errors(exc)
    assert not Loan.objects.exists()


def test_apply_dated_in_the_future_is_refused(official, poor, group):
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group, applied_on=date(2099, 1, 1))
    assert field_errors(exc)["applied_on"] == ["This date is in the future."]
    assert not Loan.objects.exists()


def test_apply_for_an_archived_household_is_refused(official, poor, group):
    poor.is_active = False
    poor.archived_reason = "Chuyển đi nơi khác"
    poor.save()
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group)
    assert exc.value.messages == [
        "This household is archived; restore it before changing its records."
    ]
    assert not Loan.objects.exists()


def test_the_household_joins_the_group_on_application(official, poor, group):
    assert not group.members.filter(pk=poor.pk).exists()
    apply(official, poor, group)
    assert list(group.members.all()) == [poor]
    apply(official, poor, group, override_reason="Vay thêm")  # still one membership
    assert group.members.count() == 1


def test_a_second_loan_of_the_same_program_needs_an_override(official, poor, group):
    apply(official, poor, group)
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group)
    assert "may qualify" in field_errors(exc)["override_reason"][0]
    second = apply(official, poor, group, override_reason="Mở rộng vườn cà phê")
    assert fresh(second).eligibility == Eligibility.MAY_QUALIFY
    assert "50.000.000 ₫" in fresh(second).eligibility_reasons


def test_duplicate_contract_number_is_refused_on_application(official, poor, group):
    apply(official, poor, group, contract_number="HĐ-001")
    with pytest.raises(ValidationError) as exc:
        apply(official, poor, group, contract_number="HĐ-001", override_reason="Thêm")
    assert "Another loan already has this contract number." in exc.value.messages
    assert Loan.objects.count() == 1


# --- the legal walk -------------------------------------------------------------------


def test_applied_approved_disbursed_settled(official, poor, group):
    loan = apply(official, poor, group, amount=12_000_000, term_months=12)
    approve(official, loan, on=date(2025, 3, 5))
    assert fresh(loan).status == LoanStatus.APPROVED
    disburse(official, loan, on=date(2025, 3, 10), contract_number=" HĐ-9 ")
    loan = fresh(loan)
    assert loan.status == LoanStatus.DISBURSED
    assert loan.contract_number == "HĐ-9"
    assert loan.due_on == date(2026, 3, 10)
    assert loan.outstanding == 12_000_000
    # 30 days at 6.6% a year on 12 million, actual/360: 66,000 VND.
    assert interest_due(loan, date(2025, 4, 9)) == 66_000
    pay(official, loan, date(2025, 4, 9), 12_000_000, 66_000)
    loan = fresh(loan)
    assert loan.status == LoanStatus.SETTLED
    assert loan.settled_on == date(2025, 4, 9)
    assert loan.outstanding == 0
    assert (loan.principal_repaid, loan.interest_paid) == (12_000_000, 66_000)
    statuses = [
        e.changes.get("status") for e in entries_for(loan) if "status" in e.changes
    ]
    assert statuses == [
        ["applied", "approved"],
        ["approved", "disbursed"],
        ["disbursed", "settled"],
    ]


def test_applied_to_rejected(official, poor, group):
    loan = apply(official, poor, group)
    services.loan_reject(
        actor=official, loan=loan, rejected_on=date(2025, 3, 2), reason="  Thiếu hồ sơ "
    )
    loan = fresh(loan)
    assert loan.status == LoanStatus.REJECTED
    assert loan.rejected_on == date(2025, 3, 2)
    assert loan.rejection_reason == "Thiếu hồ sơ"
    assert entries_for(loan).last().note == "Thiếu hồ sơ"


def test_approved_to_rejected(official, poor, group):
    loan = approve(official, apply(official, poor, group))
    services.loan_reject(
        actor=official, loan=loan, rejected_on=date(2025, 3, 6), reason="Hộ rút hồ sơ"
    )
    assert fresh(loan).status == LoanStatus.REJECTED


def test_reject_needs_a_reason(official, poor, group):
    loan = apply(official, poor, group)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.loan_reject(
            actor=official, loan=loan, rejected_on=date(2025, 3, 2), reason="  "
        )
    assert field_errors(exc) == {"reason": ["Say why the loan is rejected."]}
    assert snapshot() == before


def test_reject_before_the_application_is_refused(official, poor, group):
    loan = apply(official, poor, group)
    with pytest.raises(ValidationError) as exc:
        services.loan_reject(
            actor=official, loan=loan, rejected_on=date(2025, 2, 28), reason="Sai"
        )
    assert "rejected_on" in field_errors(exc)
    assert fresh(loan).status == LoanStatus.APPLIED


def test_reject_before_the_approval_is_refused(official, poor, group):
    loan = approve(official, apply(official, poor, group), on=date(2025, 3, 10))
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.loan_reject(
            actor=official, loan=loan, rejected_on=date(2025, 3, 5), reason="Sai"
        )
    assert "rejected_on" in field_errors(exc)
    assert snapshot() == before


# --- every illegal transition ----------------------------------------------------------

ACTIONS = {
    LoanStatus.APPROVED: (
        "approved",
        lambda a, loan: approve(a, loan, date(2025, 6, 1)),
    ),
    LoanStatus.REJECTED: (
        "rejected",
        lambda a, loan: services.loan_reject(
            actor=a, loan=loan, rejected_on=date(2025, 6, 1), reason="Thử"
        ),
    ),
    LoanStatus.DISBURSED: (
        "disbursed",
        lambda a, loan: disburse(a, loan, on=date(2025, 6, 1)),
    ),
}

ILLEGAL = [
    (status, target)
    for status in LoanStatus
    for target in ACTIONS
    if target not in TRANSITIONS[status]
]


def test_the_table_of_illegal_transitions_is_complete():
    assert {(str(s), str(t)) for s, t in ILLEGAL} == {
        ("approved", "approved"),
        ("disbursed", "approved"),
        ("settled", "approved"),
        ("rejected", "approved"),
        ("disbursed", "rejected"),
        ("settled", "rejected"),
        ("rejected", "rejected"),
        ("applied", "disbursed"),
        ("disbursed", "disbursed"),
        ("rejected", "disbursed"),
    }


@pytest.mark.parametrize(("status", "target"), ILLEGAL, ids=lambda v: str(v))
def test_illegal_transition_is_refused_with_a_message(
    official, village, status, target
):
    loan = LoanFactory(
        status=status, on=date(2025, 3, 10), household=HouseholdFactory(village=village)
    )
    before = snapshot()
    label, action = ACTIONS[target]
    with pytest.raises(ValidationError) as exc:
        action(official, loan)
    assert exc.value.messages == [f"A loan that is {status.label} cannot be {label}."]
    assert snapshot() == before


def test_disbursing_a_settled_loan_is_refused_with_a_message(official, village):
    loan = LoanFactory(
        status=LoanStatus.SETTLED,
        on=date(2025, 3, 10),
        household=HouseholdFactory(village=village),
    )
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        disburse(official, loan, on=date(2025, 6, 1))
    assert snapshot() == before
    assert exc.value.messages == ["A loan that is settled cannot be disbursed."]


@pytest.mark.parametrize(
    "status",
    [LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.SETTLED, LoanStatus.REJECTED],
)
def test_repayment_on_a_loan_that_is_not_disbursed_is_refused(
    official, village, status
):
    loan = LoanFactory(
        status=status, on=date(2025, 3, 10), household=HouseholdFactory(village=village)
    )
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 6, 1), 1_000_000)
    assert exc.value.messages == [
        f"Repayments are recorded on disbursed loans; this loan is {status.label}."
    ]
    assert snapshot() == before


# --- approval copies the program's terms -----------------------------------------------


def test_approval_copies_rate_cap_and_term(official, poor, group):
    loan = approve(official, apply(official, poor, group, term_months=60))
    loan = fresh(loan)
    assert loan.approved_on == date(2025, 3, 5)
    assert loan.annual_rate == Decimal("6.60")
    assert loan.cap_amount == 100_000_000
    assert loan.max_term_months == 120


def test_approval_of_a_student_loan_copies_the_cap_for_its_term(official, poor, group):
    MemberFactory(household=poor, is_student=True)
    loan = apply(
        official,
        poor,
        group,
        program=program("HSSV"),
        amount=40_000_000,
        term_months=24,
        purpose="study",
    )
    loan = fresh(approve(official, loan))
    assert loan.cap_amount == 96_000_000
    assert loan.max_term_months is None


def test_catalogue_changes_after_approval_do_not_rewrite_the_loan(
    official, poor, group
):
    loan = disburse(official, approve(official, apply(official, poor, group)))
    catalogue = program("HO_NGHEO")
    catalogue.annual_rate = Decimal("9.00")
    catalogue.max_amount = 30_000_000
    catalogue.max_term_months = 24
    catalogue.save()
    loan = fresh(loan)
    assert (loan.annual_rate, loan.cap_amount, loan.max_term_months) == (
        Decimal("6.60"),
        100_000_000,
        120,
    )
    # Interest still follows the copied 6.6%: 30 days on 50 million = 275,000 VND.
    assert interest_due(loan, date(2025, 4, 9)) == 275_000


def test_approval_checks_the_catalogue_as_it_is_then(official, poor, group):
    loan = apply(official, poor, group, amount=50_000_000)
    catalogue = program("HO_NGHEO")
    catalogue.max_amount = 30_000_000
    catalogue.save()
    with pytest.raises(ValidationError) as exc:
        approve(official, loan)
    assert "30.000.000 ₫" in field_errors(exc)["amount"][0]
    assert fresh(loan).status == LoanStatus.APPLIED


def test_approval_before_the_application_is_refused(official, poor, group):
    loan = apply(official, poor, group, applied_on=date(2025, 3, 1))
    with pytest.raises(ValidationError) as exc:
        approve(official, loan, on=date(2025, 2, 28))
    assert field_errors(exc) == {
        "approved_on": ["A loan cannot be approved before it was applied for."]
    }
    assert fresh(loan).status == LoanStatus.APPLIED


def test_approval_in_the_future_is_refused(official, poor, group):
    loan = apply(official, poor, group)
    with pytest.raises(ValidationError) as exc:
        approve(official, loan, on=date(2099, 1, 1))
    assert field_errors(exc) == {"approved_on": ["This date is in the future."]}
    assert fresh(loan).status == LoanStatus.APPLIED


# --- disbursement ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disbursed_on", "term", "due_on"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
        (date(2025, 3, 10), 36, date(2028, 3, 10)),
    ],
)
def test_disbursement_computes_the_due_date(
    official, poor, group, disbursed_on, term, due_on
):
    loan = apply(
        official,
        poor,
        group,
        applied_on=disbursed_on,
        term_months=term,
        override_reason="Xét theo năm trước",
    )
    loan = approve(official, loan, on=disbursed_on)
    disburse(official, loan, on=disbursed_on)
    assert fresh(loan).due_on == due_on


def test_disbursement_with_a_given_due_date(official, poor, group):
    loan = approve(official, apply(official, poor, group))
    disburse(official, loan, due_on=date(2026, 1, 15))
    assert fresh(loan).due_on == date(2026, 1, 15)


@pytest.mark.parametrize("due_on", [date(2025, 3, 10), date(2025, 3, 9)])
def test_due_date_not_after_disbursement_is_refused(official, poor, group, due_on):
    loan = approve(official, apply(official, poor, group))
    with pytest.raises(ValidationError) as exc:
        disburse(official, loan, on=date(2025, 3, 10), due_on=due_on)
    assert field_errors(exc) == {
        "due_on": ["The due date must come after the disbursement date."]
    }
    assert fresh(loan).status == LoanStatus.APPROVED


def test_disbursement_repeated_records_once(official, poor, group):
    loan = disburse(official, approve(official, apply(official, poor, group)))
    before = snapshot()
    again = disburse(official, loan, on=date(2025, 3, 10), contract_number="HĐ-X")
    assert again.pk == loan.pk
    assert snapshot() == before
    assert fresh(loan).contract_number == ""


def test_disbursement_on_another_date_after_disbursing_is_refused(
    official, poor, group
):
    loan = disburse(official, approve(official, apply(official, poor, group)))
    with pytest.raises(ValidationError) as exc:
        disburse(official, loan, on=date(2025, 3, 11))
    assert exc.value.messages == ["A loan that is disbursed cannot be disbursed."]
    assert fresh(loan).disbursed_on == date(2025, 3, 10)


def test_disbursement_before_approval_is_refused(official, poor, group):
    loan = approve(official, apply(official, poor, group), on=date(2025, 3, 5))
    with pytest.raises(ValidationError) as exc:
        disburse(official, loan, on=date(2025, 3, 4))
    assert field_errors(exc) == {
        "disbursed_on": ["A loan cannot be paid out before it was approved."]
    }
    assert fresh(loan).status == LoanStatus.APPROVED


def test_disbursement_in_the_future_is_refused(official, poor, group):
    loan = approve(official, apply(official, poor, group))
    with pytest.raises(ValidationError) as exc:
        disburse(official, loan, on=date(2099, 1, 1))
    assert field_errors(exc) == {"disbursed_on": ["This date is in the future."]}
    assert fresh(loan).status == LoanStatus.APPROVED


def test_disbursement_with_a_contract_number_used_elsewhere_is_refused(
    official, poor, group
):
    loan = approve(official, apply(official, poor, group))
    LoanFactory(household=poor, savings_group=group, contract_number="HĐ-001")
    with pytest.raises(ValidationError) as exc:
        disburse(official, loan, contract_number="HĐ-001")
    assert "Another loan already has this contract number." in exc.value.messages
    assert fresh(loan).status == LoanStatus.APPROVED


# --- repayments -------------------------------------------------------------------------


@pytest.fixture
def loan(official, poor, group):
    """12 million at 6.6% disbursed 10/03/2025 for 12 months: 2,200 VND a day."""
    loan = apply(official, poor, group, amount=12_000_000, term_months=12)
    return disburse(official, approve(official, loan))


def test_repayment_over_the_principal_is_refused(official, loan):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 9), 12_000_001)
    assert field_errors(exc)["principal"] == [
        "12.000.001 ₫ is more than the 12.000.000 ₫ of principal outstanding."
    ]
    assert snapshot() == before


def test_repayment_over_the_principal_left_after_a_payment_is_refused(official, loan):
    pay(official, loan, date(2025, 4, 9), 5_000_000, 66_000)
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 9), 7_000_001)
    assert "7.000.000 ₫ of principal outstanding" in field_errors(exc)["principal"][0]
    assert Repayment.objects.count() == 1


def test_repayment_over_the_interest_due_is_refused(official, loan):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 9), 1_000_000, 66_001)
    assert field_errors(exc) == {
        "interest": ["66.001 ₫ is more than the 66.000 ₫ of interest due on that date."]
    }
    assert snapshot() == before


def test_interest_paid_is_not_due_again(official, loan):
    pay(official, loan, date(2025, 4, 9), 0, 66_000)
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 9), 0, 1)
    assert "0 ₫ of interest due" in field_errors(exc)["interest"][0]
    assert interest_due(loan, date(2025, 4, 19)) == 22_000


@pytest.mark.parametrize(
    ("principal", "interest"), [(0, 0), (-1_000_000, 0), (1_000_000, -1), (-5, 5)]
)
def test_repayment_of_nothing_or_a_negative_amount_is_refused(
    official, loan, principal, interest
):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 9), principal, interest)
    assert exc.value.messages == ["Enter the principal or the interest paid."]
    assert snapshot() == before


def test_repayments_are_entered_in_date_order(official, loan):
    pay(official, loan, date(2025, 5, 1), 1_000_000)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 30), 1_000_000)
    assert field_errors(exc) == {
        "paid_on": [
            "Repayments are entered in date order; the last one is dated 01/05/2025."
        ]
    }
    assert snapshot() == before
    pay(official, loan, date(2025, 5, 1), 1_000_000)  # the same day is fine
    assert Repayment.objects.count() == 2


def test_repayment_before_disbursement_is_refused(official, loan):
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 3, 9), 1_000_000)
    assert field_errors(exc) == {
        "paid_on": ["A repayment cannot come before the disbursement."]
    }
    assert not Repayment.objects.exists()


def test_repayment_in_the_future_is_refused(official, loan):
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2099, 1, 1), 1_000_000)
    assert field_errors(exc) == {"paid_on": ["This date is in the future."]}
    assert not Repayment.objects.exists()


def test_the_payment_clearing_the_principal_must_clear_the_interest(official, loan):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        pay(official, loan, date(2025, 4, 9), 12_000_000, 65_999)
    assert field_errors(exc) == {
        "interest": [
            "This payment clears the principal: the 66.000 ₫ of interest due on "
            "that date must be paid with it."
        ]
    }
    assert snapshot() == before


def test_repayment_on_the_disbursement_day_owes_no_interest(official, loan):
    pay(official, loan, date(2025, 3, 10), 12_000_000)
    loan = fresh(loan)
    assert loan.status == LoanStatus.SETTLED
    assert loan.settled_on == date(2025, 3, 10)


def test_partial_repayment_lowers_what_is_outstanding(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 4_000_000, 66_000)
    loan = fresh(loan)
    assert loan.status == LoanStatus.DISBURSED
    assert loan.outstanding == 8_000_000
    assert (loan.principal_repaid, loan.interest_paid) == (4_000_000, 66_000)
    assert (entry.recorded_by, entry.request_key) == (loan.created_by, None)
    # From 09/04 the balance is 8 million: 1,466.67 VND a day, 10 days → 14,667.
    assert interest_due(loan, date(2025, 4, 19)) == 14_667


def test_repayment_settles_the_loan_and_is_audited(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 12_000_000, 66_000)
    loan = fresh(loan)
    assert loan.status == LoanStatus.SETTLED
    [created] = entries_for(entry)
    assert created.action == AuditAction.CREATE
    assert created.parent_type == ContentType.objects.get_for_model(Loan)
    assert created.parent_id == loan.pk
    assert created.changes["principal"] == [None, 12_000_000]
    settled = entries_for(loan).last()
    assert settled.changes["status"] == ["disbursed", "settled"]
    assert settled.changes["settled_on"] == [None, "2025-04-09"]
    assert settled.parent_id == loan.household_id


def test_same_request_key_twice_records_once(official, loan):
    key = uuid.uuid4()
    first = pay(official, loan, date(2025, 4, 9), 1_000_000, 66_000, request_key=key)
    after_first = snapshot()
    second = pay(official, loan, date(2025, 4, 9), 1_000_000, 66_000, request_key=key)
    assert second.pk == first.pk
    assert snapshot() == after_first
    assert Repayment.objects.count() == 1
    assert fresh(loan).principal_repaid == 1_000_000


def test_different_request_keys_record_twice(official, loan):
    pay(official, loan, date(2025, 4, 9), 1_000_000, request_key=uuid.uuid4())
    pay(official, loan, date(2025, 4, 9), 1_000_000, request_key=uuid.uuid4())
    assert fresh(loan).principal_repaid == 2_000_000


@pytest.mark.parametrize("interest", [66_000, 0])
def test_a_concurrent_double_submit_records_once(official, loan, monkeypatch, interest):
    """Simulates two requests with the same key: the second has looked the key up
    (not found yet) and waits on the loan's row lock while the first commits."""
    from loans.services import repayments as module

    key = uuid.uuid4()
    real_locked = module._locked
    twin = {}

    def locked_after_the_twin_committed(target):
        if not twin:
            monkeypatch.setattr(module, "_locked", real_locked)
            twin["entry"] = pay(
                official, loan, date(2025, 4, 9), 1_000_000, interest, request_key=key
            )
        return real_locked(target)

    monkeypatch.setattr(module, "_locked", locked_after_the_twin_committed)
    second = pay(official, loan, date(2025, 4, 9), 1_000_000, interest, request_key=key)
    assert second.pk == twin["entry"].pk
    assert Repayment.objects.count() == 1
    assert fresh(loan).principal_repaid == 1_000_000


# --- reversals --------------------------------------------------------------------------


def reverse(actor, entry, reason="Nhập nhầm số tiền") -> Repayment:
    return services.repayment_reverse(actor=actor, repayment=entry, reason=reason)


def test_reversal_restores_what_is_outstanding_and_keeps_the_original(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 4_000_000, 66_000)
    reversal = reverse(official, entry, reason="  Ghi nhầm khoản vay ")
    loan = fresh(loan)
    assert loan.outstanding == 12_000_000
    assert (loan.principal_repaid, loan.interest_paid) == (0, 0)
    assert Repayment.objects.filter(loan=loan).count() == 2
    assert Repayment.objects.filter(pk=entry.pk).exists()
    reversal = Repayment.objects.get(pk=reversal.pk)
    assert reversal.reverses_id == entry.pk
    assert (reversal.principal, reversal.interest) == (-4_000_000, -66_000)
    assert reversal.paid_on == entry.paid_on
    assert reversal.reason == "Ghi nhầm khoản vay"
    assert reversal.recorded_by == official
    [created] = entries_for(reversal)
    assert created.note == "Ghi nhầm khoản vay"
    assert created.parent_id == loan.pk
    # The interest paid is due again, and the balance never dropped.
    assert interest_due(loan, date(2025, 4, 19)) == 88_000


def test_reversal_of_the_settling_payment_reopens_the_loan(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 12_000_000, 66_000)
    assert fresh(loan).status == LoanStatus.SETTLED
    reverse(official, entry)
    loan = fresh(loan)
    assert loan.status == LoanStatus.DISBURSED
    assert loan.settled_on is None
    assert loan.outstanding == 12_000_000
    assert entries_for(loan).last().changes["status"] == ["settled", "disbursed"]
    # and it can be settled again, correctly this time
    pay(official, loan, date(2025, 4, 9), 12_000_000, 66_000)
    assert fresh(loan).status == LoanStatus.SETTLED


def test_reversal_of_an_earlier_payment_of_a_settled_loan_reopens_it(official, loan):
    first = pay(official, loan, date(2025, 4, 9), 2_000_000, 66_000)
    pay(official, loan, date(2025, 4, 19), 10_000_000, 18_333)
    assert fresh(loan).status == LoanStatus.SETTLED
    reverse(official, first)
    loan = fresh(loan)
    assert loan.status == LoanStatus.DISBURSED
    assert loan.outstanding == 2_000_000


def test_reversing_interest_of_a_settled_loan_leaves_nothing_uncollectable(
    official, loan
):
    interest_only = pay(official, loan, date(2025, 4, 9), 0, 66_000)
    pay(official, loan, date(2025, 4, 19), 12_000_000, 22_000)
    assert fresh(loan).status == LoanStatus.SETTLED
    try:
        reverse(official, interest_only)
    except ValidationError:
        return  # refusing the reversal is one consistent answer
    owed = interest_due(loan, date(2025, 4, 19))
    assert owed == 66_000
    pay(official, loan, date(2025, 4, 19), 0, owed)  # must be collectable


def test_a_repayment_cannot_be_reversed_twice(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 4_000_000, 66_000)
    reverse(official, entry)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        reverse(official, entry, reason="Lần nữa")
    assert exc.value.messages == ["This repayment has already been reversed."]
    assert snapshot() == before


def test_a_reversal_cannot_be_reversed(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 4_000_000, 66_000)
    reversal = reverse(official, entry)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        reverse(official, reversal)
    assert exc.value.messages == ["A reversal cannot itself be reversed."]
    assert snapshot() == before


def test_a_reversal_needs_a_reason(official, loan):
    entry = pay(official, loan, date(2025, 4, 9), 4_000_000, 66_000)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        reverse(official, entry, reason="   ")
    assert field_errors(exc) == {"reason": ["Say why the repayment is reversed."]}
    assert snapshot() == before


def test_after_reversing_the_last_payment_an_earlier_date_is_accepted(official, loan):
    entry = pay(official, loan, date(2025, 5, 1), 4_000_000)
    reverse(official, entry)
    pay(official, loan, date(2025, 4, 9), 4_000_000, 66_000)
    assert fresh(loan).principal_repaid == 4_000_000


# --- savings groups -------------------------------------------------------------------


def create_group(actor, village, **overrides) -> SavingsGroup:
    fields = {
        "name": "Tổ Hội Nông dân 2",
        "organisation": "farmers",
        "leader_name": "Y Nuê Êban",
        "leader_phone": "0912345678",
    }
    fields.update(overrides)
    return services.savings_group_create(actor=actor, village=village, **fields)


def test_savings_group_create(official, village):
    group = create_group(official, village)
    assert SavingsGroup.objects.get(pk=group.pk).leader_name == "Y Nuê Êban"
    [entry] = entries_for(group)
    assert entry.action == AuditAction.CREATE
    assert entry.changes["name"] == [None, "Tổ Hội Nông dân 2"]


def test_savings_group_duplicate_name_in_a_village_is_refused(
    official, village, other_village
):
    create_group(official, village)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        create_group(official, village, organisation="veterans")
    assert exc.value.messages == [
        "This village already has a savings group with that name."
    ]
    assert snapshot() == before
    create_group(official, other_village)
    assert SavingsGroup.objects.filter(name="Tổ Hội Nông dân 2").count() == 2


def test_savings_group_create_with_an_unknown_organisation_is_refused(
    official, village
):
    with pytest.raises(ValidationError) as exc:
        create_group(official, village, organisation="party")
    assert "organisation" in field_errors(exc)
    assert not SavingsGroup.objects.exists()


def test_savings_group_update(official, group):
    services.savings_group_update(
        actor=official, group=group, changes={"leader_name": "H'Hen Niê"}
    )
    group.refresh_from_db()
    assert group.leader_name == "H'Hen Niê"
    assert entries_for(group).last().changes["leader_name"][1] == "H'Hen Niê"


def test_a_group_with_members_stays_in_its_village(
    official, group, poor, other_village
):
    group.members.add(poor)
    with pytest.raises(ValidationError) as exc:
        services.savings_group_update(
            actor=official, group=group, changes={"village": other_village}
        )
    assert "village" in field_errors(exc)
    group.refresh_from_db()
    assert group.village_id == poor.village_id


def test_add_member(official, group, poor):
    services.savings_group_add_member(actor=official, group=group, household=poor)
    services.savings_group_add_member(actor=official, group=group, household=poor)
    assert list(group.members.all()) == [poor]
    assert entries_for(group).filter(action=AuditAction.UPDATE).count() == 1


def test_add_member_from_another_village_is_refused(official, group, other_village):
    stranger = HouseholdFactory(village=other_village)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.savings_group_add_member(
            actor=official, group=group, household=stranger
        )
    assert exc.value.messages == ["Only households of Thôn 1 can join this group."]
    assert snapshot() == before


def test_add_an_archived_household_is_refused(official, group, poor):
    poor.is_active = False
    poor.archived_reason = "Chuyển đi"
    poor.save()
    with pytest.raises(ValidationError):
        services.savings_group_add_member(actor=official, group=group, household=poor)
    assert not group.members.exists()


def test_remove_member_with_an_open_loan_is_refused(official, group, poor):
    loan = apply(official, poor, group)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.savings_group_remove_member(
            actor=official, group=group, household=poor, reason="Chuyển tổ"
        )
    assert exc.value.messages == [
        "The household has a loan through this group that is not settled."
    ]
    assert snapshot() == before
    # once the loan is rejected the household may leave
    services.loan_reject(
        actor=official, loan=loan, rejected_on=date(2025, 3, 2), reason="Rút hồ sơ"
    )
    services.savings_group_remove_member(
        actor=official, group=group, household=poor, reason="Chuyển tổ"
    )
    assert not group.members.exists()
    assert entries_for(group).last().note == "Chuyển tổ"


def test_remove_member_needs_a_reason(official, group, poor):
    group.members.add(poor)
    with pytest.raises(ValidationError) as exc:
        services.savings_group_remove_member(
            actor=official, group=group, household=poor, reason=" "
        )
    assert field_errors(exc) == {"reason": ["Say why the household leaves the group."]}
    assert list(group.members.all()) == [poor]
