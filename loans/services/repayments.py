"""Repayments: recorded once, within what is owed, corrected only by reversal.

The loan row is locked first, so two officials recording at once are serialised and each
sees the other's payment; ``Loan.principal_repaid`` moves in the same transaction, and its
check constraint refuses a repayment above the principal outstanding even if a future caller
skipped the checks here.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, diff, snapshot
from households.poverty import format_vnd
from households.services import _ensure_village_allowed

from ..interest import accrued_interest
from ..models import Loan, LoanStatus, Repayment
from ._common import _ensure_plausible_date, _ensure_transition

REPAYMENT_FIELDS = ("paid_on", "principal", "interest", "reason")


@dataclass(frozen=True)
class AmountsDue:
    """What a loan owes on a date: principal outstanding and interest not yet paid."""

    on: date
    principal: int
    interest: int
    overdue: bool

    @property
    def total(self) -> int:
        return self.principal + self.interest


def loan_amounts_due(loan: Loan, *, on: date) -> AmountsDue:
    """Principal outstanding and the interest earned up to ``on`` less interest paid."""
    if loan.status not in (LoanStatus.DISBURSED, LoanStatus.SETTLED):
        return AmountsDue(on, 0, 0, False)
    payments = loan.repayments.values_list("paid_on", "principal")
    earned = accrued_interest(
        amount=loan.amount,
        annual_rate=loan.annual_rate,
        disbursed_on=loan.disbursed_on,
        due_on=loan.due_on,
        principal_payments=list(payments),
        on=on,
    )
    return AmountsDue(
        on=on,
        principal=loan.amount - loan.principal_repaid,
        interest=max(0, earned - loan.interest_paid),
        overdue=loan.is_overdue(on),
    )


def _locked(loan: Loan) -> Loan:
    return (
        Loan.objects.select_for_update()
        .select_related("household__village")
        .get(pk=loan.pk)
    )


def _last_paid_on(loan: Loan) -> date | None:
    last = (
        loan.repayments.filter(reverses__isnull=True, reversed_by__isnull=True)
        .order_by("-paid_on")
        .values_list("paid_on", flat=True)
        .first()
    )
    return last


@transaction.atomic
def repayment_record(
    *,
    actor,
    loan: Loan,
    paid_on: date,
    principal: int,
    interest: int,
    request_key: uuid.UUID | None = None,
) -> Repayment:
    """Record a payment of principal and interest on a disbursed loan.

    The principal may not exceed what is outstanding, nor the interest what is due on
    that date; the payment that clears the principal must clear the interest too, and
    settles the loan. A form's ``request_key`` makes a double submit record once.
    """
    loan = _locked(loan)
    _ensure_village_allowed(actor, loan.household.village)
    if request_key is not None:
        # Looked up under the loan's lock: a concurrent first submit has committed.
        done = Repayment.objects.filter(request_key=request_key).first()
        if done is not None:
            if (done.loan_id, done.paid_on, done.principal, done.interest) == (
                loan.pk,
                paid_on,
                principal,
                interest,
            ):
                return done  # the same form sent twice: recorded once
            # The same form sent again with other figures (the Back button): never
            # drop the second payment silently.
            raise ValidationError(
                _(
                    "This form has already recorded a repayment. Open the repayment "
                    "form again to record another one."
                )
            )
    if loan.status != LoanStatus.DISBURSED:
        raise ValidationError(
            _("Repayments are recorded on disbursed loans; this loan is %(status)s.")
            % {"status": loan.get_status_display()}
        )
    _ensure_plausible_date(paid_on, "paid_on")
    if paid_on < loan.disbursed_on:
        raise ValidationError(
            {"paid_on": _("A repayment cannot come before the disbursement.")}
        )
    last = _last_paid_on(loan)
    if last and paid_on < last:
        raise ValidationError(
            {
                "paid_on": _(
                    "Repayments are entered in date order; the last one is dated "
                    "%(date)s."
                )
                % {"date": last.strftime("%d/%m/%Y")}
            }
        )
    if principal < 0 or interest < 0 or principal + interest <= 0:
        raise ValidationError(_("Enter the principal or the interest paid."))
    due = loan_amounts_due(loan, on=paid_on)
    errors = {}
    if principal > due.principal:
        errors["principal"] = _(
            "%(paid)s is more than the %(owed)s of principal outstanding."
        ) % {"paid": format_vnd(principal), "owed": format_vnd(due.principal)}
    if interest > due.interest:
        errors["interest"] = _(
            "%(paid)s is more than the %(due)s of interest due on that date."
        ) % {"paid": format_vnd(interest), "due": format_vnd(due.interest)}
    elif principal == due.principal and interest < due.interest:
        errors["interest"] = _(
            "This payment clears the principal: the %(due)s of interest due on that "
            "date must be paid with it."
        ) % {"due": format_vnd(due.interest)}
    if errors:
        raise ValidationError(errors)
    repayment = Repayment(
        loan=loan,
        paid_on=paid_on,
        principal=principal,
        interest=interest,
        request_key=request_key,
        recorded_by=actor,
    )
    repayment.full_clean(validate_unique=False)  # the key was checked above
    repayment.save()
    _move_totals(loan, principal, interest, paid_on=paid_on, actor=actor)
    audit_created(actor=actor, instance=repayment, fields=REPAYMENT_FIELDS, parent=loan)
    return repayment


def _move_totals(loan: Loan, principal: int, interest: int, *, paid_on, actor) -> None:
    """Add a (possibly negative) entry to the loan's running sums, settling the loan when
    the principal reaches zero or reopening it when a reversal makes it owe again. One
    save, so the constraints see the sums and the status together."""
    before = snapshot(loan, ["status", "settled_on"])
    loan.principal_repaid += principal
    loan.interest_paid += interest
    if loan.principal_repaid == loan.amount and loan.status == LoanStatus.DISBURSED:
        _ensure_transition(loan, LoanStatus.SETTLED)
        loan.status, loan.settled_on = LoanStatus.SETTLED, paid_on
    elif loan.principal_repaid < loan.amount and loan.status == LoanStatus.SETTLED:
        _ensure_transition(loan, LoanStatus.DISBURSED)
        loan.status, loan.settled_on = LoanStatus.DISBURSED, None
    loan.save(
        update_fields=[
            "principal_repaid",
            "interest_paid",
            "status",
            "settled_on",
            "updated_at",
        ]
    )
    changed = diff(before, snapshot(loan, ["status", "settled_on"]))
    if changed:
        audit_record(
            actor=actor,
            instance=loan,
            action=AuditAction.UPDATE,
            changes=changed,
            parent=loan.household,
        )


def repayment_reversal_refusal(
    loan: Loan, repayment: Repayment, *, already_reversed: bool
) -> list[str]:
    """Why ``repayment`` cannot be reversed now (empty when it can): for the service and
    for the pages that offer the button."""
    if repayment.is_reversal:
        return [_("A reversal cannot itself be reversed.")]
    if already_reversed:
        return [_("This repayment has already been reversed.")]
    if loan.status == LoanStatus.SETTLED and repayment.principal == 0:
        # The loan would stay settled yet owe interest no repayment could then collect.
        return [
            _(
                "The loan is settled: reverse the repayment that settled it first, "
                "then this one."
            )
        ]
    return []


@transaction.atomic
def repayment_reverse(*, actor, repayment: Repayment, reason: str) -> Repayment:
    """Cancel a repayment entered by mistake with an entry of the opposite amounts,
    dated like the original so balances at past dates stay right. A settled loan that
    owes again goes back to disbursed. The original entry is kept, marked reversed."""
    loan = _locked(repayment.loan)
    _ensure_village_allowed(actor, loan.household.village)
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
    refused = repayment_reversal_refusal(
        loan,
        repayment,
        already_reversed=Repayment.objects.filter(reverses=repayment).exists(),
    )
    if refused:
        raise ValidationError(refused)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the repayment is reversed.")})
    reversal = Repayment(
        loan=loan,
        paid_on=repayment.paid_on,
        principal=-repayment.principal,
        interest=-repayment.interest,
        reverses=repayment,
        reason=reason.strip(),
        recorded_by=actor,
    )
    reversal.full_clean()
    reversal.save()
    _move_totals(
        loan, -repayment.principal, -repayment.interest, paid_on=None, actor=actor
    )
    audit_created(
        actor=actor,
        instance=reversal,
        fields=REPAYMENT_FIELDS,
        parent=loan,
        note=reason.strip(),
    )
    return reversal
