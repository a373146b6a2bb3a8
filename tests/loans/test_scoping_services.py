"""Village scoping of the loan book: a village officer reads and writes the loans, groups
and households of their own villages only, and another commune's official sees nothing of
Ea Ktur. Each refused write leaves the database as it was."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from eakutur.audit.models import AuditEntry
from loans import selectors, services
from loans.models import Loan, LoanStatus, Repayment, SavingsGroup
from loans.selectors import LoanFilters
from tests.factories import HouseholdFactory, PovertyReviewFactory
from tests.factories.loans import (
    LoanFactory,
    SavingsGroupFactory,
    disbursed_loan,
    program,
    repayment,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def snapshot() -> tuple:
    return (
        list(Loan.objects.order_by("pk").values()),
        list(Repayment.objects.order_by("pk").values()),
        list(SavingsGroup.objects.order_by("pk").values()),
        list(SavingsGroup.members.through.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def mine(village):
    """The officer's village: a poor household, its group and loans in each state."""
    household = HouseholdFactory(village=village, head_name="Nguyễn Văn An")
    PovertyReviewFactory(household=household, year=2025, status="poor")
    group = SavingsGroupFactory(village=village, name="Tổ Thôn 1")
    return {
        "household": household,
        "group": group,
        "applied": LoanFactory(household=household, savings_group=group),
        "disbursed": disbursed_loan(
            household=household,
            savings_group=group,
            amount=12_000_000,
            disbursed_on=date(2025, 3, 10),
            term_months=12,
        ),
    }


@pytest.fixture
def theirs(other_village):
    """Another village of the same commune, with the same kinds of records."""
    household = HouseholdFactory(village=other_village, head_name="H'Hen Niê")
    PovertyReviewFactory(household=household, year=2025, status="poor")
    group = SavingsGroupFactory(village=other_village, name="Tổ Buôn Tiêu")
    applied = LoanFactory(household=household, savings_group=group)
    approved = LoanFactory(
        household=household, savings_group=group, status=LoanStatus.APPROVED
    )
    disbursed = disbursed_loan(
        household=household,
        savings_group=group,
        amount=12_000_000,
        disbursed_on=date(2025, 3, 10),
        term_months=12,
    )
    paid = repayment(disbursed, paid_on=date(2025, 4, 9), principal=1_000_000)
    return {
        "household": household,
        "group": group,
        "applied": applied,
        "approved": approved,
        "disbursed": disbursed,
        "repayment": paid,
        "village": other_village,
    }


def write_attempts(records):
    """Every loan-book service, aimed at ``records``."""
    return {
        "loan_apply": lambda actor: services.loan_apply(
            actor=actor,
            household=records["household"],
            program=program("HO_NGHEO"),
            savings_group=records["group"],
            amount=10_000_000,
            purpose="coffee",
            term_months=12,
            applied_on=date(2025, 5, 1),
            override_reason="Thử",
        ),
        "loan_approve": lambda actor: services.loan_approve(
            actor=actor, loan=records["applied"], approved_on=date(2025, 5, 1)
        ),
        "loan_reject": lambda actor: services.loan_reject(
            actor=actor,
            loan=records["applied"],
            rejected_on=date(2025, 5, 1),
            reason="Thử",
        ),
        "loan_disburse": lambda actor: services.loan_disburse(
            actor=actor, loan=records["approved"], disbursed_on=date(2025, 5, 1)
        ),
        "repayment_record": lambda actor: services.repayment_record(
            actor=actor,
            loan=records["disbursed"],
            paid_on=date(2025, 5, 1),
            principal=1_000_000,
            interest=0,
        ),
        "repayment_reverse": lambda actor: services.repayment_reverse(
            actor=actor, repayment=records["repayment"], reason="Thử"
        ),
        "savings_group_create": lambda actor: services.savings_group_create(
            actor=actor,
            village=records["village"],
            name="Tổ mới",
            organisation="youth_union",
            leader_name="Y Moan",
        ),
        "savings_group_update": lambda actor: services.savings_group_update(
            actor=actor, group=records["group"], changes={"leader_name": "Y Moan"}
        ),
        "savings_group_add_member": lambda actor: services.savings_group_add_member(
            actor=actor, group=records["group"], household=records["household"]
        ),
        "savings_group_remove_member": lambda actor: (
            services.savings_group_remove_member(
                actor=actor,
                group=records["group"],
                household=records["household"],
                reason="Thử",
            )
        ),
    }


SERVICES = [
    "loan_apply",
    "loan_approve",
    "loan_reject",
    "loan_disburse",
    "repayment_record",
    "repayment_reverse",
    "savings_group_create",
    "savings_group_update",
    "savings_group_add_member",
    "savings_group_remove_member",
]


def test_the_list_covers_every_service():
    writers = {
        name
        for name in services.__all__
        if name.startswith(("loan_", "repayment_", "savings_group_"))
    } - {
        "loan_amounts_due",
        "loan_action_refusal",
        "repayment_reversal_refusal",
    }
    assert writers <= set(SERVICES), writers - set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_officer_cannot_write_another_villages_records(officer, mine, theirs, name):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        write_attempts(theirs)[name](officer)
    assert snapshot() == before


@pytest.mark.parametrize("name", SERVICES)
def test_foreign_official_cannot_write_this_communes_records(
    foreign_official, mine, theirs, name
):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        write_attempts(theirs)[name](foreign_official)
    assert snapshot() == before


def test_officer_can_write_in_their_own_village(officer, village, mine):
    """The control: the same calls succeed inside the officer's village."""
    paid = services.repayment_record(
        actor=officer,
        loan=mine["disbursed"],
        paid_on=date(2025, 4, 9),
        principal=1_000_000,
        interest=0,
    )
    records = {**mine, "village": village, "repayment": paid}
    records["approved"] = LoanFactory(
        household=mine["household"],
        savings_group=mine["group"],
        status=LoanStatus.APPROVED,
    )
    attempts = write_attempts(records)
    for name in ["loan_apply", "loan_approve", "repayment_reverse"]:
        attempts[name](officer)
    attempts["loan_disburse"](officer)
    attempts["savings_group_create"](officer)
    attempts["savings_group_update"](officer)
    attempts["savings_group_add_member"](officer)
    assert Loan.objects.get(pk=mine["applied"].pk).status == LoanStatus.APPROVED
    assert Loan.objects.get(pk=records["approved"].pk).status == LoanStatus.DISBURSED
    assert SavingsGroup.objects.filter(name="Tổ mới", village=village).exists()


def test_officer_cannot_apply_for_a_foreign_household_through_their_own_group(
    officer, mine, theirs
):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.loan_apply(
            actor=officer,
            household=theirs["household"],
            program=program("HO_NGHEO"),
            savings_group=mine["group"],
            amount=10_000_000,
            purpose="coffee",
            term_months=12,
            applied_on=date(2025, 5, 1),
        )
    assert snapshot() == before


def test_officer_cannot_move_their_group_to_another_village(officer, village, theirs):
    group = SavingsGroupFactory(village=village)
    with pytest.raises(PermissionDenied):
        services.savings_group_update(
            actor=officer, group=group, changes={"village": theirs["village"]}
        )
    group.refresh_from_db()
    assert group.village_id == village.pk


def test_a_known_request_key_does_not_bypass_the_village_check(
    officer, official, theirs
):
    key = uuid.uuid4()
    services.repayment_record(
        actor=official,
        loan=theirs["disbursed"],
        paid_on=date(2025, 4, 9),
        principal=1_000_000,
        interest=0,
        request_key=key,
    )
    with pytest.raises(PermissionDenied):
        services.repayment_record(
            actor=officer,
            loan=theirs["disbursed"],
            paid_on=date(2025, 4, 9),
            principal=1_000_000,
            interest=0,
            request_key=key,
        )


# --- reads ---------------------------------------------------------------------------------


def test_loans_for_sees_the_officers_villages_only(officer, official, mine, theirs):
    own = {mine["applied"], mine["disbursed"]}
    everything = own | {theirs[k] for k in ("applied", "approved", "disbursed")}
    assert set(selectors.loans_for(officer)) == own
    assert set(selectors.loans_for(official)) == everything
    assert set(selectors.loan_list_for(user=officer, filters=LoanFilters())) == own
    # Filtering on another village does not open it up.
    assert not selectors.loan_list_for(
        user=officer, filters=LoanFilters(village=theirs["village"].pk)
    ).exists()


def test_loan_get_for_is_a_404_outside_the_scope(officer, mine, theirs):
    assert (
        selectors.loan_get_for(user=officer, pk=mine["applied"].pk) == mine["applied"]
    )
    with pytest.raises(Http404):
        selectors.loan_get_for(user=officer, pk=theirs["applied"].pk)
    with pytest.raises(Http404):
        selectors.loan_get_for(user=officer, pk=10**9)


def test_savings_groups_for_sees_the_officers_villages_only(officer, mine, theirs):
    assert list(selectors.savings_groups_for(officer)) == [mine["group"]]
    assert [g.pk for g in selectors.savings_group_list_for(user=officer)] == [
        mine["group"].pk
    ]
    assert (
        selectors.savings_group_get_for(user=officer, pk=mine["group"].pk)
        == mine["group"]
    )
    with pytest.raises(Http404):
        selectors.savings_group_get_for(user=officer, pk=theirs["group"].pk)


def test_overdue_loans_for_sees_the_officers_villages_only(
    officer, official, mine, theirs
):
    on = date(2026, 3, 11)  # both disbursed loans are past their due date
    assert list(selectors.overdue_loans_for(user=officer, on=on)) == [mine["disbursed"]]
    assert set(selectors.overdue_loans_for(user=official, on=on)) == {
        mine["disbursed"],
        theirs["disbursed"],
    }


def test_period_report_sees_the_officers_villages_only(officer, official, mine, theirs):
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    report = selectors.period_report(user=officer, start=start, end=end)
    assert (report.total.households, report.total.loans, report.total.amount) == (
        1,
        1,
        12_000_000,
    )
    assert [r.label for r in report.by_village] == ["Thôn 1"]
    assert report.outstanding == 12_000_000
    # Asking for another village's figures gives nothing, not their figures.
    other = selectors.period_report(
        user=officer, start=start, end=end, village=theirs["village"].pk
    )
    assert (other.total.loans, other.total.amount, other.outstanding) == (0, 0, 0)
    assert other.by_village == []
    whole = selectors.period_report(user=official, start=start, end=end)
    assert (whole.total.households, whole.total.loans, whole.total.amount) == (
        2,
        2,
        24_000_000,
    )
    assert whole.outstanding == 24_000_000 - 1_000_000


def test_outstanding_on_sees_the_officers_villages_only(
    officer, official, mine, theirs
):
    day = date(2025, 12, 31)
    assert selectors.outstanding_on(user=officer, day=day) == 12_000_000
    assert selectors.outstanding_on(user=official, day=day) == 23_000_000


def test_a_foreign_official_sees_nothing_of_this_commune(
    foreign_official, foreign_village, mine, theirs
):
    own = disbursed_loan(
        household=HouseholdFactory(village=foreign_village, head_name="Lê Thị Mai"),
        disbursed_on=date(2025, 3, 10),
        amount=7_000_000,
        term_months=12,
    )
    assert list(selectors.loans_for(foreign_official)) == [own]
    assert list(selectors.savings_groups_for(foreign_official)) == [own.savings_group]
    with pytest.raises(Http404):
        selectors.loan_get_for(user=foreign_official, pk=mine["disbursed"].pk)
    with pytest.raises(Http404):
        selectors.savings_group_get_for(user=foreign_official, pk=theirs["group"].pk)
    assert list(
        selectors.overdue_loans_for(user=foreign_official, on=date(2026, 12, 1))
    ) == [own]
    report = selectors.period_report(
        user=foreign_official, start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    assert (report.total.loans, report.total.amount, report.outstanding) == (
        1,
        7_000_000,
        7_000_000,
    )
    assert [r.label for r in report.by_village] == [foreign_village.name]
    assert not selectors.household_choices_for(user=foreign_official, q="Nguyen Van An")
    assert list(selectors.household_choices_for(user=foreign_official, q="mai")) == [
        own.household
    ]


def test_household_choices_for_sees_the_officers_villages_only(officer, mine, theirs):
    assert list(selectors.household_choices_for(user=officer, q="")) == [
        mine["household"]
    ]
    assert not selectors.household_choices_for(user=officer, q="Hen Nie")
