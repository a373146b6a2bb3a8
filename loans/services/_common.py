"""Checks every loan write starts with, and the transition guard."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import EARLIEST_DATE, TRANSITIONS, Loan, LoanStatus


def _ensure_transition(loan: Loan, target: str) -> None:
    """Refuse a status change the pipeline does not allow, saying why."""
    if target not in TRANSITIONS[loan.status]:
        _refuse(loan, target)


def _refuse(loan: Loan, target: str) -> None:
    raise ValidationError(
        _("A loan that is %(status)s cannot be %(action)s.")
        % {"status": loan.get_status_display(), "action": _action(target)},
        code="illegal_transition",
    )


def _action(target: str) -> str:
    # The verb after "cannot be": a context of its own, because in Vietnamese the
    # action ("phê duyệt") is worded unlike the status ("đã phê duyệt").
    labels = {
        LoanStatus.APPROVED: pgettext("loan action", "approved"),
        LoanStatus.DISBURSED: pgettext("loan action", "disbursed"),
        LoanStatus.SETTLED: pgettext("loan action", "settled"),
        LoanStatus.REJECTED: pgettext("loan action", "rejected"),
    }
    return str(labels.get(target, target))


def _ensure_plausible_date(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    if day < EARLIEST_DATE:
        raise ValidationError(
            {field: _("Dates before 01/01/2000 are not accepted; check the year.")}
        )


# What an official may ask for, from which status. TRANSITIONS also holds the steps only
# repayments make (disbursed → settled, and back on a reversal).
ACTIONS_FROM: dict[str, frozenset[str]] = {
    LoanStatus.APPROVED: frozenset({LoanStatus.APPLIED}),
    LoanStatus.REJECTED: frozenset({LoanStatus.APPLIED, LoanStatus.APPROVED}),
    LoanStatus.DISBURSED: frozenset({LoanStatus.APPROVED}),
}


def loan_action_refusal(loan: Loan, target: str) -> list[str]:
    """Why an official cannot move ``loan`` to ``target`` now (empty when they can):
    the same message the service raises, for pages that show it before the POST."""
    try:
        _ensure_action(loan, target)
    except ValidationError as exc:
        return exc.messages
    return []


def _ensure_action(loan: Loan, target: str) -> None:
    if loan.status not in ACTIONS_FROM.get(target, frozenset()):
        _refuse(loan, target)
    _ensure_transition(loan, target)
