"""The household lookup and what the "my household" page shows.

``look_up`` is the whole POST: the rate limit first (a refused attempt checks nothing),
then the household by code and the second factor, then one ``PublicAttempt`` row
whatever the outcome. The digits typed are compared, never stored.

The page shows the household's own programme facts and nothing that identifies a
person: no member names, ID numbers, ethnicity, phone or address.
"""

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone
from django.utils.translation import ngettext, pgettext_lazy

from households.models import Commune, Household, PovertyStatus
from loans.interest import repayment_schedule
from loans.models import Loan, LoanStatus
from loans.selectors import today
from trainings.models import Enrolment, EnrolmentStatus, SessionStatus

from .models import AttemptAction, AttemptOutcome, PublicAttempt
from .throttle import lookup_allowed, normalise_code

# Compared when there is nothing real to compare against: a missing household, or a
# head without a phone or ID. Never four ASCII digits, so it never matches.
_NOTHING = b"\x00\x00\x00\x00"
_CANDIDATES = 5  # codes equal once spaces and case are ignored: at most a few


@dataclass(frozen=True)
class LookupResult:
    outcome: AttemptOutcome
    household: Household | None = None


def look_up(*, commune: Commune, address: str, code: str, digits: str) -> LookupResult:
    """Check ``code`` + ``digits`` against ``commune``'s households for a resident at
    ``address`` and log the attempt."""
    code = normalise_code(code)
    if not lookup_allowed(address=address, code=code):
        _log(AttemptOutcome.THROTTLED, commune=commune, address=address, code=code)
        return LookupResult(AttemptOutcome.THROTTLED)
    household = matching_household(commune, code, digits)
    outcome = AttemptOutcome.FOUND if household else AttemptOutcome.NO_MATCH
    _log(outcome, commune=commune, address=address, code=code, household=household)
    return LookupResult(outcome, household)


def matching_household(commune: Commune, code: str, digits: str) -> Household | None:
    """The active household of ``commune`` with this code whose head's phone
    or ID ends in ``digits``. Every candidate is compared against both factors, and a
    dummy when there is no candidate, so the time taken does not tell whether the
    code exists."""
    typed = digits.encode("ascii", "replace")
    found = None
    candidates = _candidates(commune, code) or [None]
    for household in candidates:
        phone = _last_four(household.phone) if household else _NOTHING
        national_id = _last_four(household.head_national_id) if household else _NOTHING
        # ``|``, not ``or``: both comparisons run every time.
        if hmac.compare_digest(typed, phone) | hmac.compare_digest(typed, national_id):
            found = found or household
    return found


def _candidates(commune: Commune, code: str) -> list[Household]:
    """Only the served commune's: another commune may use the same codes, and a code of
    theirs typed here is unknown, like any other."""
    if not code:
        return []
    # The stored code is compared the way the typed one was normalised (no spaces,
    # capitals): "bt - 0012" finds "BT-0012", and "bt0012" finds "BT 0012".
    return list(
        Household.objects.active()
        .filter(commune=commune)
        .annotate(code_key=Upper(Replace("code", Value(" "), Value(""))))
        .filter(code_key=code)
        .order_by("pk")[:_CANDIDATES]
    )


def _last_four(value: str | None) -> bytes:
    digits = "".join(ch for ch in value or "" if ch in "0123456789")
    return digits[-4:].encode() if len(digits) >= 4 else _NOTHING


def _log(
    outcome: AttemptOutcome,
    *,
    commune: Commune,
    address: str,
    code: str,
    household: Household | None = None,
) -> PublicAttempt:
    return PublicAttempt.objects.create(
        action=AttemptAction.LOOKUP,
        outcome=outcome,
        address=address,
        household_code=code,
        household=household,
        village=household.village if household else None,
        commune=commune,
    )


# --- What the page shows --------------------------------------------------------------

# Worded for the resident, not the official's one-word column labels.
STATUS_TEXTS = {
    PovertyStatus.POOR: pgettext_lazy("resident status", "Poor household"),
    PovertyStatus.NEAR_POOR: pgettext_lazy("resident status", "Near-poor household"),
    PovertyStatus.ESCAPED_POOR: pgettext_lazy("resident status", "Escaped poverty"),
    PovertyStatus.ESCAPED_NEAR_POOR: pgettext_lazy(
        "resident status", "Escaped near-poverty"
    ),
    PovertyStatus.AVERAGE: pgettext_lazy("resident status", "Average living standard"),
    PovertyStatus.NONE: pgettext_lazy("resident status", "Not a poor household"),
}
LOAN_TEXTS = {
    LoanStatus.APPLIED: pgettext_lazy("resident loan", "waiting for approval"),
    LoanStatus.APPROVED: pgettext_lazy("resident loan", "approved, not yet paid out"),
    LoanStatus.DISBURSED: pgettext_lazy("resident loan", "borrowing"),
    LoanStatus.SETTLED: pgettext_lazy("resident loan", "paid back in full"),
    LoanStatus.REJECTED: pgettext_lazy("resident loan", "not approved"),
}


def status_text(household: Household) -> str:
    return str(STATUS_TEXTS.get(household.current_status, ""))


@dataclass(frozen=True)
class LoanLine:
    program: str
    status: str
    status_label: str
    amount: int
    outstanding: int
    next_due_on: date | None
    next_principal: int | None
    next_interest: int | None
    overdue: bool

    @property
    def running(self) -> bool:
        return self.status == LoanStatus.DISBURSED


def loan_lines(household: Household, on: date | None = None) -> list[LoanLine]:
    """The household's loans, newest first, with the next planned payment of a running
    one (the planned yearly instalments, as the savings groups collect them)."""
    on = on or today()
    loans = (
        Loan.objects.filter(household=household)
        .select_related("program")
        .order_by("-applied_on", "-pk")
    )
    return [_loan_line(loan, on) for loan in loans]


def _loan_line(loan: Loan, on: date) -> LoanLine:
    next_due_on = next_principal = next_interest = None
    late = False
    if loan.status == LoanStatus.DISBURSED and loan.annual_rate is not None:
        plan = repayment_schedule(
            amount=loan.amount,
            annual_rate=loan.annual_rate,
            disbursed_on=loan.disbursed_on,
            term_months=loan.term_months,
        )
        planned = 0
        for instalment in plan:
            planned += instalment.principal
            if loan.principal_repaid < planned:
                next_due_on = instalment.due_on
                next_principal = planned - loan.principal_repaid
                next_interest = instalment.interest_estimate
                late = instalment.due_on < on
                break
    return LoanLine(
        program=loan.program.name,
        status=loan.status,
        status_label=str(LOAN_TEXTS[loan.status]),
        amount=loan.amount,
        outstanding=loan.outstanding,
        next_due_on=next_due_on,
        next_principal=next_principal,
        next_interest=next_interest,
        overdue=loan.is_overdue(on) or late,
    )


@dataclass(frozen=True)
class TrainingLine:
    """One course the household's people took part in, over all its sessions."""

    course: str
    first_day: date
    last_day: date
    tally: list[str]  # e.g. ["attended 8 sessions", "absent 2 sessions"]
    next_at: datetime | None  # the next session someone is registered for


TRAININGS_SHOWN = 10
# The order a resident reads a course's tally in.
_TALLY_ORDER = (
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.ABSENT,
    EnrolmentStatus.REGISTERED,
    EnrolmentStatus.WAITLISTED,
)
_CANCELLED = "cancelled"


def training_lines(household: Household) -> list[TrainingLine]:
    """The courses the household's people enrolled in, the latest first: one line per
    course with how many sessions were attended, missed or are to come (counted per
    enrolment, so two members make two; never their names)."""
    enrolments = (
        Enrolment.objects.filter(household=household)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("session__course")
        .order_by("-session__starts_at", "pk")
    )
    by_course: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments:
        by_course.setdefault(enrolment.session.course_id, []).append(enrolment)
    now = timezone.now()
    return [
        _training_line(rows, now) for rows in list(by_course.values())[:TRAININGS_SHOWN]
    ]


def _training_line(rows: list[Enrolment], now: datetime) -> TrainingLine:
    counts: dict[str, int] = {}
    upcoming = []
    for row in rows:
        cancelled = row.session.status == SessionStatus.CANCELLED
        key = _CANCELLED if cancelled else row.status
        counts[key] = counts.get(key, 0) + 1
        if not cancelled and row.session.starts_at > now:
            upcoming.append(row.session.starts_at)
    days = [timezone.localdate(row.session.starts_at) for row in rows]
    return TrainingLine(
        course=rows[0].session.course.title,
        first_day=min(days),
        last_day=max(days),
        tally=[
            _tally(key, counts[key])
            for key in (*_TALLY_ORDER, _CANCELLED)
            if key in counts
        ],
        next_at=min(upcoming) if upcoming else None,
    )


def _tally(key: str, count: int) -> str:
    label = (
        SessionStatus.CANCELLED.label
        if key == _CANCELLED
        else EnrolmentStatus(key).label
    )
    if count == 1:
        return str(label)
    sessions = ngettext("%(count)s session", "%(count)s sessions", count) % {
        "count": count
    }
    return f"{label} {sessions}"
