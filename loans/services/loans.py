"""A loan's life: application (with the eligibility rule's verdict), approval (the
program's terms copied), rejection and disbursement. Each function locks the loan, checks
the transition, validates, saves only what changed and writes the audit history.
"""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created, audited_update
from households.models import Household
from households.services import _ensure_active, _ensure_village_allowed

from ..eligibility import Outcome
from ..interest import add_months
from ..models import Eligibility, Loan, LoanProgram, LoanStatus, SavingsGroup
from ..selectors import eligibility_for_household
from ._common import _ensure_action, _ensure_plausible_date

LOAN_FIELDS = (
    "program",
    "savings_group",
    "amount",
    "purpose",
    "term_months",
    "applied_on",
    "contract_number",
    "eligibility",
    "override_reason",
    "notes",
)


def _ensure_group_fits(household: Household, group: SavingsGroup) -> None:
    if group.village_id != household.village_id:
        raise ValidationError(
            {
                "savings_group": _(
                    "The savings group must be in the household's village."
                )
            }
        )
    if not group.is_active:
        raise ValidationError({"savings_group": _("This savings group is closed.")})


@transaction.atomic
def loan_apply(
    *,
    actor,
    household: Household,
    program: LoanProgram,
    savings_group: SavingsGroup,
    amount: int,
    purpose: str,
    term_months: int,
    applied_on: date,
    override_reason: str = "",
    contract_number: str = "",
    notes: str = "",
    request_key: uuid.UUID | None = None,
) -> Loan:
    """Enter an application. The program's rule judges the household; when it does not
    say "qualifies", the official must give a reason, recorded with the verdict. The
    household joins the savings group if it is not a member yet (the bank lends to members).
    A form's ``request_key`` makes a double submit enter one application.
    """
    household = (
        Household.objects.select_for_update()
        .select_related("village", "commune", "ethnic_group")
        .get(pk=household.pk)
    )
    _ensure_village_allowed(actor, household.village)
    if request_key is not None:
        # Looked up under the household's lock: a concurrent first submit has committed.
        done = Loan.objects.filter(request_key=request_key).first()
        if done is not None:
            if done.household_id == household.pk and done.program_id == program.pk:
                return done  # the same form sent twice
            raise ValidationError(
                _(
                    "This form has already entered an application. Open the "
                    "application form again to enter another one."
                )
            )
    _ensure_active(household)
    if not program.is_active:
        raise ValidationError(
            {"program": _("This program is retired and takes no new applications.")}
        )
    _ensure_group_fits(household, savings_group)
    _ensure_plausible_date(applied_on, "applied_on")
    program.check_terms(amount=amount, term_months=term_months)
    with translation.override("vi"):  # the stored verdict is part of the record
        [(_program, judgement)] = eligibility_for_household(
            household, programs=[program], year=applied_on.year
        )
        reasons = "\n".join(str(r) for r in judgement.reasons)
    override_reason = override_reason.strip()
    if judgement.outcome != Outcome.QUALIFIES and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "For %(program)s the rule says: %(outcome)s. Give the reason "
                    "for entering the application anyway."
                )
                % {"outcome": judgement.outcome.label, "program": program}
            }
        )
    loan = Loan(
        commune=household.commune,
        household=household,
        program=program,
        savings_group=savings_group,
        amount=amount,
        purpose=purpose,
        term_months=term_months,
        applied_on=applied_on,
        contract_number=contract_number.strip(),
        eligibility=Eligibility(judgement.outcome.value),
        eligibility_reasons=reasons,
        override_reason=override_reason
        if judgement.outcome != Outcome.QUALIFIES
        else "",
        notes=notes,
        request_key=request_key,
        created_by=actor,
    )
    loan.full_clean(validate_unique=False)  # the key was checked above
    loan.save()
    savings_group.members.add(household)
    audit_created(actor=actor, instance=loan, fields=LOAN_FIELDS, parent=household)
    return loan


def _locked(loan: Loan) -> Loan:
    locked = (
        Loan.objects.select_for_update()
        .select_related("household__village", "program")
        .get(pk=loan.pk)
    )
    return locked


def _status_change(loan: Loan, changes: dict, *, actor, note: str = "") -> Loan:
    audited_update(loan, changes, actor=actor, parent=loan.household, note=note)
    return loan


@transaction.atomic
def loan_approve(*, actor, loan: Loan, approved_on: date) -> Loan:
    """Approve, copying the program's rate, cap and longest term onto the loan."""
    loan = _locked(loan)
    _ensure_village_allowed(actor, loan.household.village)
    _ensure_action(loan, LoanStatus.APPROVED)
    _ensure_plausible_date(approved_on, "approved_on")
    if approved_on < loan.applied_on:
        raise ValidationError(
            {"approved_on": _("A loan cannot be approved before it was applied for.")}
        )
    program = loan.program
    program.check_terms(amount=loan.amount, term_months=loan.term_months)
    return _status_change(
        loan,
        {
            "status": LoanStatus.APPROVED,
            "approved_on": approved_on,
            "annual_rate": program.annual_rate,
            "cap_amount": program.cap_for(loan.term_months),
            "max_term_months": program.max_term_months,
        },
        actor=actor,
    )


@transaction.atomic
def loan_reject(*, actor, loan: Loan, rejected_on: date, reason: str) -> Loan:
    loan = _locked(loan)
    _ensure_village_allowed(actor, loan.household.village)
    _ensure_action(loan, LoanStatus.REJECTED)
    _ensure_plausible_date(rejected_on, "rejected_on")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the loan is rejected.")})
    if rejected_on < loan.applied_on:
        raise ValidationError(
            {"rejected_on": _("A loan cannot be rejected before it was applied for.")}
        )
    if loan.approved_on and rejected_on < loan.approved_on:
        raise ValidationError(
            {"rejected_on": _("A loan cannot be rejected before it was approved.")}
        )
    return _status_change(
        loan,
        {
            "status": LoanStatus.REJECTED,
            "rejected_on": rejected_on,
            "rejection_reason": reason.strip(),
        },
        actor=actor,
        note=reason.strip(),
    )


@transaction.atomic
def loan_disburse(
    *,
    actor,
    loan: Loan,
    disbursed_on: date,
    due_on: date | None = None,
    contract_number: str = "",
) -> Loan:
    """Record the payout. The due date defaults to the disbursement plus the term.

    Idempotent: the same disbursement submitted twice (a double click, a resent form)
    finds the loan already disbursed on that date and changes nothing.
    """
    loan = _locked(loan)
    _ensure_village_allowed(actor, loan.household.village)
    if loan.status == LoanStatus.DISBURSED and loan.disbursed_on == disbursed_on:
        return loan
    # Only an approved loan is paid out (settled → disbursed is a reversal's step).
    _ensure_action(loan, LoanStatus.DISBURSED)
    _ensure_plausible_date(disbursed_on, "disbursed_on")
    if disbursed_on < loan.approved_on:
        raise ValidationError(
            {"disbursed_on": _("A loan cannot be paid out before it was approved.")}
        )
    due_on = due_on or add_months(disbursed_on, loan.term_months)
    if due_on <= disbursed_on:
        raise ValidationError(
            {"due_on": _("The due date must come after the disbursement date.")}
        )
    if due_on > add_months(disbursed_on, loan.term_months):
        raise ValidationError(
            {
                "due_on": _(
                    "The due date is more than the term (%(months)s months) after "
                    "the disbursement."
                )
                % {"months": loan.term_months}
            }
        )
    changes = {
        "status": LoanStatus.DISBURSED,
        "disbursed_on": disbursed_on,
        "due_on": due_on,
    }
    if contract_number.strip():
        changes["contract_number"] = contract_number.strip()
    return _status_change(loan, changes, actor=actor)
