"""The loan book's invariants hold in the database itself, whatever path writes the row.

Each test writes one row that breaks one rule, directly (no service), and expects the
database to refuse it; a valid neighbour of the row is accepted, so the test can fail.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import translation

from loans.models import (
    Eligibility,
    Loan,
    LoanProgram,
    LoanStatus,
    Repayment,
    SavingsGroup,
)
from tests.factories import HouseholdFactory
from tests.factories.loans import (
    LoanFactory,
    SavingsGroupFactory,
    disbursed_loan,
    program,
    repayment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are English source strings until the translations arrive."""
    with translation.override("en"):
        yield


def rejected():
    """The database refuses the row; the surrounding test transaction stays usable."""
    return pytest.raises(IntegrityError)


def refuse_save(loan: Loan, **changes) -> None:
    """Apply ``changes`` to ``loan``, expect the database to refuse the save, and check
    the stored row did not move."""
    before = Loan.objects.values().get(pk=loan.pk)
    for name, value in changes.items():
        setattr(loan, name, value)
    with rejected(), transaction.atomic():
        loan.save()
    assert Loan.objects.values().get(pk=loan.pk) == before


def accept_save(loan: Loan, **changes) -> None:
    for name, value in changes.items():
        setattr(loan, name, value)
    with transaction.atomic():
        loan.save()
    stored = Loan.objects.values().get(pk=loan.pk)
    for name, value in changes.items():
        assert stored[name] == value


@pytest.fixture
def household(village):
    return HouseholdFactory(village=village)


@pytest.fixture
def group(village):
    return SavingsGroupFactory(village=village)


def new_loan(household, group, **fields) -> Loan:
    """An application row written with ``objects.create`` (no factory defaults)."""
    values = {
        "commune": household.commune,
        "household": household,
        "program": program(),
        "savings_group": group,
        "amount": 50_000_000,
        "purpose": "coffee",
        "term_months": 36,
        "applied_on": date(2025, 3, 1),
        "eligibility": Eligibility.QUALIFIES,
    }
    values.update(fields)
    return Loan.objects.create(**values)


# --- amounts and terms ---------------------------------------------------------------


@pytest.mark.parametrize("amount", [0, -1, -50_000_000])
def test_amount_must_be_more_than_zero(household, group, amount):
    with rejected(), transaction.atomic():
        new_loan(household, group, amount=amount)
    assert not Loan.objects.exists()
    new_loan(household, group, amount=1)
    assert Loan.objects.count() == 1


def test_amount_above_the_copied_cap_is_refused():
    loan = LoanFactory(status=LoanStatus.APPROVED, amount=100_000_000)
    assert loan.cap_amount == 100_000_000
    refuse_save(loan, amount=100_000_001)
    accept_save(loan, amount=99_000_000)


def test_cap_applies_only_once_copied_at_approval():
    """Before approval the cap is empty: only the services hold the amount back."""
    loan = LoanFactory(status=LoanStatus.APPLIED)
    assert loan.cap_amount is None
    accept_save(loan, amount=250_000_000)


def test_per_month_cap_copied_for_a_student_loan_holds():
    loan = LoanFactory(
        status=LoanStatus.APPROVED,
        program=program("HSSV"),
        term_months=12,
        amount=48_000_000,
        purpose="study",
    )
    assert loan.cap_amount == 48_000_000
    assert loan.max_term_months is None
    refuse_save(loan, amount=48_000_001)


def test_term_above_the_copied_maximum_is_refused():
    loan = LoanFactory(status=LoanStatus.APPROVED, term_months=120)
    assert loan.max_term_months == 120
    refuse_save(loan, term_months=121)
    accept_save(loan, term_months=60)


def test_term_of_zero_months_is_refused(household, group):
    with rejected(), transaction.atomic():
        new_loan(household, group, term_months=0)
    assert not Loan.objects.exists()


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "due_on", [date(2025, 3, 10), date(2025, 3, 9), date(2024, 1, 1)]
)
def test_due_date_must_come_after_disbursement(due_on):
    loan = disbursed_loan(disbursed_on=date(2025, 3, 10))
    refuse_save(loan, due_on=due_on)
    accept_save(loan, due_on=date(2025, 3, 11))


def test_approval_before_application_is_refused():
    loan = LoanFactory(status=LoanStatus.APPROVED, on=date(2025, 3, 10))
    refuse_save(loan, approved_on=date(2025, 3, 9))
    accept_save(loan, approved_on=date(2025, 3, 10))


def test_disbursement_before_approval_is_refused():
    loan = disbursed_loan(disbursed_on=date(2025, 3, 10))
    assert loan.approved_on == date(2025, 3, 10)
    refuse_save(loan, disbursed_on=date(2025, 3, 9))


def test_settlement_before_disbursement_is_refused():
    loan = LoanFactory(status=LoanStatus.SETTLED, on=date(2025, 3, 10))
    refuse_save(loan, settled_on=date(2025, 3, 9))
    accept_save(loan, settled_on=date(2025, 3, 10))


def test_rejection_before_application_is_refused():
    loan = LoanFactory(status=LoanStatus.REJECTED, on=date(2025, 3, 10))
    refuse_save(loan, rejected_on=date(2025, 3, 9))


def test_rejection_before_approval_is_refused():
    loan = LoanFactory(status=LoanStatus.APPROVED, on=date(2025, 3, 1))
    loan.approved_on = date(2025, 3, 10)
    loan.save()
    refuse_save(
        loan,
        status=LoanStatus.REJECTED,
        rejected_on=date(2025, 3, 5),
        rejection_reason="Hồ sơ thiếu",
    )


# --- each status carries its facts ------------------------------------------------


@pytest.mark.parametrize(
    ("status", "changes"),
    [
        (LoanStatus.APPROVED, {"approved_on": None}),
        (LoanStatus.APPROVED, {"annual_rate": None}),
        (LoanStatus.APPROVED, {"rejected_on": date(2025, 3, 11)}),
        (LoanStatus.APPROVED, {"disbursed_on": date(2025, 3, 11)}),
        (LoanStatus.APPROVED, {"settled_on": date(2025, 3, 11)}),
        (LoanStatus.APPLIED, {"due_on": date(2026, 3, 10)}),
        (LoanStatus.APPLIED, {"rejected_on": date(2025, 3, 11)}),
        (LoanStatus.DISBURSED, {"due_on": None}),
        (LoanStatus.DISBURSED, {"disbursed_on": None}),
        (LoanStatus.DISBURSED, {"approved_on": None}),
        (LoanStatus.DISBURSED, {"settled_on": date(2025, 6, 1)}),
        (LoanStatus.SETTLED, {"settled_on": None}),
        (LoanStatus.REJECTED, {"rejection_reason": ""}),
        (LoanStatus.REJECTED, {"rejected_on": None}),
    ],
    ids=lambda v: str(v),
)
def test_status_without_its_facts_is_refused(status, changes):
    loan = LoanFactory(status=status, on=date(2025, 3, 10))
    refuse_save(loan, **changes)


@pytest.mark.parametrize("status", list(LoanStatus))
def test_the_factory_rows_of_every_status_are_accepted(status):
    """The neighbour of the refused rows above: each status with its facts is fine."""
    loan = LoanFactory(status=status)
    loan.full_clean()
    assert Loan.objects.get(pk=loan.pk).status == status


# --- running sums ---------------------------------------------------------------------


def test_principal_repaid_above_the_amount_is_refused():
    loan = disbursed_loan(amount=50_000_000)
    refuse_save(loan, principal_repaid=50_000_001)


@pytest.mark.parametrize("changes", [{"principal_repaid": -1}, {"interest_paid": -1}])
def test_negative_running_sums_are_refused(changes):
    loan = disbursed_loan(amount=50_000_000)
    refuse_save(loan, **changes)


def test_settled_with_principal_left_is_refused():
    loan = LoanFactory(status=LoanStatus.SETTLED, amount=50_000_000)
    refuse_save(loan, principal_repaid=49_999_999)


def test_disbursed_with_all_principal_repaid_is_refused():
    loan = disbursed_loan(amount=50_000_000)
    refuse_save(loan, principal_repaid=50_000_000)
    accept_save(loan, principal_repaid=49_999_999)


@pytest.mark.parametrize("status", [LoanStatus.APPLIED, LoanStatus.APPROVED])
@pytest.mark.parametrize("changes", [{"principal_repaid": 1}, {"interest_paid": 1}])
def test_nothing_is_repaid_before_disbursement(status, changes):
    loan = LoanFactory(status=status)
    refuse_save(loan, **changes)


# --- eligibility override ----------------------------------------------------------


@pytest.mark.parametrize("eligibility", [Eligibility.DOES_NOT, Eligibility.MAY_QUALIFY])
def test_override_reason_required_unless_the_rule_says_qualifies(
    household, group, eligibility
):
    with rejected(), transaction.atomic():
        new_loan(household, group, eligibility=eligibility, override_reason="")
    assert not Loan.objects.exists()
    new_loan(
        household,
        group,
        eligibility=eligibility,
        override_reason="Hộ vừa bị thiên tai, UBND xã đề nghị",
    )
    assert Loan.objects.count() == 1


def test_qualifying_application_needs_no_override(household, group):
    new_loan(household, group, eligibility=Eligibility.QUALIFIES, override_reason="")
    assert Loan.objects.count() == 1


# --- contract numbers ---------------------------------------------------------------


def test_duplicate_contract_number_in_a_commune_is_refused(
    household, group, other_village
):
    new_loan(household, group, contract_number="HĐ-2025-001")
    neighbour = HouseholdFactory(village=other_village)
    neighbours_group = SavingsGroupFactory(village=other_village)
    with rejected(), transaction.atomic():
        new_loan(neighbour, neighbours_group, contract_number="HĐ-2025-001")
    assert Loan.objects.filter(contract_number="HĐ-2025-001").count() == 1


def test_same_contract_number_allowed_in_another_commune(
    household, group, foreign_village
):
    new_loan(household, group, contract_number="HĐ-2025-001")
    foreign = HouseholdFactory(village=foreign_village)
    new_loan(
        foreign,
        SavingsGroupFactory(village=foreign_village),
        contract_number="HĐ-2025-001",
    )
    assert Loan.objects.filter(contract_number="HĐ-2025-001").count() == 2


def test_many_loans_may_have_no_contract_number_yet(household, group):
    new_loan(household, group, contract_number="")
    new_loan(household, group, contract_number="")
    assert Loan.objects.filter(contract_number="").count() == 2


# --- repayments --------------------------------------------------------------------


@pytest.fixture
def loan():
    return disbursed_loan(amount=50_000_000, disbursed_on=date(2025, 3, 10))


def new_repayment(loan, **fields) -> Repayment:
    values = {"loan": loan, "paid_on": date(2025, 6, 1), "principal": 0, "interest": 0}
    values.update(fields)
    return Repayment.objects.create(**values)


@pytest.mark.parametrize(
    "amounts",
    [
        {"principal": 0, "interest": 0},
        {"principal": -1_000_000, "interest": 0},
        {"principal": 0, "interest": -1},
        {"principal": 5_000_000, "interest": -1},
    ],
    ids=["nothing", "negative principal", "negative interest", "mixed signs"],
)
def test_a_payment_pays_something_and_nothing_negative(loan, amounts):
    with rejected(), transaction.atomic():
        new_repayment(loan, **amounts)
    assert not Repayment.objects.exists()


@pytest.mark.parametrize(
    "amounts",
    [{"principal": 5_000_000}, {"interest": 300_000}],
)
def test_a_payment_of_principal_or_interest_alone_is_accepted(loan, amounts):
    new_repayment(loan, **amounts)
    assert Repayment.objects.count() == 1


def test_a_reversal_needs_a_reason(loan):
    original = new_repayment(loan, principal=5_000_000, interest=300_000)
    with rejected(), transaction.atomic():
        new_repayment(
            loan, principal=-5_000_000, interest=-300_000, reverses=original, reason=""
        )
    assert Repayment.objects.count() == 1
    new_repayment(
        loan,
        principal=-5_000_000,
        interest=-300_000,
        reverses=original,
        reason="Nhập nhầm hộ",
    )
    assert Repayment.objects.count() == 2


def test_a_reversal_takes_back_never_pays(loan):
    original = new_repayment(loan, principal=5_000_000)
    with rejected(), transaction.atomic():
        new_repayment(
            loan, principal=5_000_000, reverses=original, reason="Nhập nhầm hộ"
        )
    assert Repayment.objects.count() == 1


def test_an_entry_is_reversed_at_most_once(loan):
    original = new_repayment(loan, principal=5_000_000)
    new_repayment(loan, principal=-5_000_000, reverses=original, reason="Nhập nhầm")
    with rejected(), transaction.atomic():
        new_repayment(loan, principal=-5_000_000, reverses=original, reason="Lần hai")
    assert Repayment.objects.filter(reverses=original).count() == 1
    assert Repayment.objects.get(reverses=original).reason == "Nhập nhầm"


def test_request_key_is_unique(loan):
    key = "0f6b1c1e-8a3e-4d0a-9f5e-3c1d2b4a5e6f"
    new_repayment(loan, principal=1_000_000, request_key=key)
    with rejected(), transaction.atomic():
        new_repayment(loan, principal=1_000_000, request_key=key)
    new_repayment(loan, principal=1_000_000, request_key=None)
    new_repayment(loan, principal=1_000_000, request_key=None)
    assert Repayment.objects.count() == 3


def test_is_reversal(loan):
    original = new_repayment(loan, principal=5_000_000)
    reversal = new_repayment(
        loan, principal=-5_000_000, reverses=original, reason="Nhập nhầm"
    )
    assert not original.is_reversal
    assert reversal.is_reversal


# --- programs ------------------------------------------------------------------------


def new_program(**fields) -> LoanProgram:
    values = {
        "code": "THU_NGHIEM",
        "name_vi": "Chương trình thử",
        "name_en": "Trial program",
        "max_amount": 10_000_000,
        "annual_rate": Decimal("6.6"),
        "max_term_months": 12,
        "who_qualifies_vi": "Mọi hộ",
        "who_qualifies_en": "Everyone",
    }
    values.update(fields)
    return LoanProgram.objects.create(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"annual_rate": Decimal("0")},
        {"annual_rate": Decimal("-1")},
        {"annual_rate": Decimal("100.01")},
        {"max_amount": 0},
        {"max_amount": -10_000_000},
        {"max_term_months": 0},
        {"cap_is_per_month": True, "max_amount": None},
    ],
    ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()),
)
def test_implausible_program_terms_are_refused(db, fields):
    with rejected(), transaction.atomic():
        new_program(**fields)
    assert not LoanProgram.objects.filter(code="THU_NGHIEM").exists()


def test_plausible_program_terms_are_accepted(db):
    new_program(annual_rate=Decimal("100"), max_amount=None, max_term_months=None)
    new_program(code="THEO_THANG", cap_is_per_month=True, max_amount=4_000_000)
    assert (
        LoanProgram.objects.filter(code__in=["THU_NGHIEM", "THEO_THANG"]).count() == 2
    )


def test_program_code_is_unique(db):
    with rejected(), transaction.atomic():
        new_program(code="HO_NGHEO")


def test_a_program_with_loans_cannot_be_deleted():
    loan = LoanFactory(program=program("HO_CAN_NGHEO"))
    with pytest.raises(ProtectedError), transaction.atomic():
        loan.program.delete()
    assert LoanProgram.objects.filter(code="HO_CAN_NGHEO").exists()


def test_a_program_without_loans_can_be_deleted(db):
    new_program().delete()
    assert not LoanProgram.objects.filter(code="THU_NGHIEM").exists()


def test_a_loan_with_repayments_and_a_group_with_loans_cannot_be_deleted(loan):
    repayment(loan, paid_on=date(2025, 6, 1), principal=1_000_000)
    with pytest.raises(ProtectedError), transaction.atomic():
        loan.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        loan.savings_group.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        loan.household.delete()
    assert Loan.objects.filter(pk=loan.pk).exists()
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_the_catalogue_is_shipped(db):
    codes = set(LoanProgram.objects.values_list("code", flat=True))
    assert {"HO_NGHEO", "HO_CAN_NGHEO", "HSSV", "NOXH", "NUOC_SACH"} <= codes
    poor = program("HO_NGHEO")
    assert (poor.max_amount, poor.annual_rate, poor.max_term_months) == (
        100_000_000,
        Decimal("6.60"),
        120,
    )
    assert program("HSSV").cap_is_per_month


def test_program_name_follows_the_language(db):
    poor = program("HO_NGHEO")
    assert str(poor) == "Loans to poor households"
    with translation.override("vi"):
        assert str(poor) == "Cho vay hộ nghèo"
        assert poor.who_qualifies.startswith("Hộ có tên")


# --- full_clean names the broken rule in words ------------------------------------


def messages_of(exc: pytest.ExceptionInfo) -> list[str]:
    return exc.value.messages


@pytest.mark.parametrize(
    ("status", "changes", "message"),
    [
        (
            LoanStatus.APPROVED,
            {"amount": 100_000_001},
            "The amount is above the program's maximum.",
        ),
        (
            LoanStatus.APPROVED,
            {"term_months": 121},
            "The term is longer than the program allows.",
        ),
        (
            LoanStatus.DISBURSED,
            {"due_on": date(2025, 3, 10)},
            "The due date must come after the disbursement date.",
        ),
        (
            LoanStatus.APPROVED,
            {"approved_on": date(2025, 3, 1)},
            "The dates are out of order: application, approval, disbursement and "
            "settlement follow one another.",
        ),
        (
            LoanStatus.DISBURSED,
            {"principal_repaid": 50_000_001},
            "A repayment cannot be more than the principal outstanding.",
        ),
        (
            LoanStatus.APPLIED,
            {"eligibility": Eligibility.DOES_NOT, "override_reason": ""},
            "The rule does not say this household qualifies: give the reason for "
            "lending anyway.",
        ),
    ],
    ids=["cap", "term", "due", "dates", "repaid", "override"],
)
def test_full_clean_says_which_rule_is_broken(status, changes, message):
    loan = LoanFactory(status=status, amount=50_000_000, on=date(2025, 3, 10))
    loan.full_clean()
    for name, value in changes.items():
        setattr(loan, name, value)
    with pytest.raises(ValidationError) as exc:
        loan.full_clean()
    assert message in messages_of(exc)


def test_full_clean_names_a_duplicate_contract_number(household, group):
    new_loan(household, group, contract_number="HĐ-2025-001")
    other = LoanFactory(household=household, savings_group=group)
    other.contract_number = "HĐ-2025-001"
    with pytest.raises(ValidationError) as exc:
        other.full_clean()
    assert "Another loan already has this contract number." in messages_of(exc)


def test_full_clean_names_a_duplicate_group_name(village, other_village):
    SavingsGroupFactory(village=village, name="Tổ Hội Phụ nữ 1")
    twin = SavingsGroup(
        village=village,
        name="Tổ Hội Phụ nữ 1",
        organisation="farmers",
        leader_name="Y Nuê",
    )
    with pytest.raises(ValidationError) as exc:
        twin.full_clean()
    assert messages_of(exc) == [
        "This village already has a savings group with that name."
    ]
    twin.village = other_village
    twin.full_clean()


def test_full_clean_names_a_bad_repayment(loan):
    entry = Repayment(loan=loan, paid_on=date(2025, 6, 1), principal=0, interest=0)
    with pytest.raises(ValidationError) as exc:
        entry.full_clean()
    assert (
        "A repayment pays something and a reversal takes it back, with a reason."
        in messages_of(exc)
    )


# --- cap_for, outstanding, is_overdue ------------------------------------------------


def test_cap_for_a_fixed_cap_ignores_the_term(db):
    poor = program("HO_NGHEO")
    assert poor.cap_for(12) == 100_000_000
    assert poor.cap_for(120) == 100_000_000
    assert poor.cap_for(None) == 100_000_000


def test_cap_for_a_student_loan_is_per_month_of_study(db):
    students = program("HSSV")
    assert students.max_amount == 4_000_000
    assert students.cap_for(1) == 4_000_000
    assert students.cap_for(12) == 48_000_000
    assert students.cap_for(48) == 192_000_000
    assert students.cap_for(None) == 0
    assert students.cap_for(0) == 0
    assert students.cap_for(-3) == 0


def test_cap_for_a_program_without_a_cap_is_none(db):
    assert program("NOXH").cap_for(240) is None


@pytest.mark.parametrize(
    ("status", "repaid", "outstanding"),
    [
        (LoanStatus.APPLIED, 0, 0),
        (LoanStatus.APPROVED, 0, 0),
        (LoanStatus.REJECTED, 0, 0),
        (LoanStatus.DISBURSED, 0, 50_000_000),
        (LoanStatus.DISBURSED, 12_500_000, 37_500_000),
        (LoanStatus.SETTLED, 50_000_000, 0),
    ],
)
def test_outstanding(status, repaid, outstanding):
    loan = LoanFactory(status=status, amount=50_000_000, principal_repaid=repaid)
    assert loan.outstanding == outstanding
    assert Loan.objects.get(pk=loan.pk).outstanding == outstanding


def test_with_outstanding_as_values():
    loan = disbursed_loan(amount=50_000_000, principal_repaid=12_500_000)
    rows = (
        Loan.objects.with_outstanding()
        .filter(pk=loan.pk)
        .values("principal_outstanding")
    )
    assert list(rows) == [{"principal_outstanding": 37_500_000}]


def test_with_outstanding_loads_loans():
    loan = disbursed_loan(amount=50_000_000, principal_repaid=12_500_000)
    annotated = Loan.objects.with_outstanding().get(pk=loan.pk)
    assert annotated.principal_outstanding == annotated.outstanding == 37_500_000


def test_is_overdue_only_after_the_due_date():
    loan = disbursed_loan(disbursed_on=date(2025, 3, 10), term_months=12)
    assert loan.due_on == date(2026, 3, 10)
    assert not loan.is_overdue(date(2026, 3, 9))
    assert not loan.is_overdue(date(2026, 3, 10))
    assert loan.is_overdue(date(2026, 3, 11))
    assert list(Loan.objects.overdue(date(2026, 3, 10))) == []
    assert list(Loan.objects.overdue(date(2026, 3, 11))) == [loan]


@pytest.mark.parametrize(
    "status",
    [LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.SETTLED, LoanStatus.REJECTED],
)
def test_only_a_disbursed_loan_is_overdue(status):
    loan = LoanFactory(status=status, on=date(2020, 1, 1), term_months=12)
    assert not loan.is_overdue(date(2026, 1, 1))
    assert not Loan.objects.overdue(date(2026, 1, 1)).exists()


def test_open_loans_and_disbursed_between():
    by_status = {s: LoanFactory(status=s, on=date(2025, 3, 10)) for s in LoanStatus}
    assert set(Loan.objects.open()) == {
        by_status[LoanStatus.APPLIED],
        by_status[LoanStatus.APPROVED],
        by_status[LoanStatus.DISBURSED],
    }
    assert set(
        Loan.objects.disbursed_between(date(2025, 3, 10), date(2025, 3, 10))
    ) == {
        by_status[LoanStatus.DISBURSED],
        by_status[LoanStatus.SETTLED],
    }
    assert not Loan.objects.disbursed_between(date(2025, 3, 11), date(2025, 12, 31))


def test_str_is_the_contract_number_or_the_id():
    loan = LoanFactory()
    assert str(loan) == f"loan no. {loan.pk}"
    loan.contract_number = "HĐ-7"
    assert str(loan) == "HĐ-7"
