"""Checks every loan write starts with, and the transition guard."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import TRANSITIONS, Loan, LoanStatus


def _ensure_transition(
    loan: Loan, target: str, *, only_from: str | None = None
) -> None:
    """Refuse a status change the pipeline does not allow, saying why. ``only_from``
    narrows the allowed starting status for one use case."""
    allowed = target in TRANSITIONS[loan.status]
    if not allowed or (only_from is not None and loan.status != only_from):
        raise ValidationError(
            _("A loan that is %(status)s cannot be %(action)s.")
            % {
                "status": loan.get_status_display(),
                "action": _action(target),
            },
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


def _ensure_not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
