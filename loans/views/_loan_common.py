"""What the loan screens share: the mixin that loads the loan through the scoped selector,
the base of the status-action pages (a GET confirmation page, the POST performs it), the
status badges, the programs with their verdicts for the application page, and the rows
of the planned schedule.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import FormView

from households.views._common import StaffMixin, add_service_errors

from .. import selectors
from ..eligibility import Outcome
from ..interest import repayment_schedule
from ..models import Eligibility, Loan, LoanStatus
from ..services import loan_action_refusal

BADGES = {
    LoanStatus.APPLIED: "text-bg-info",
    LoanStatus.APPROVED: "text-bg-primary",
    LoanStatus.DISBURSED: "text-bg-success",
    LoanStatus.SETTLED: "text-bg-secondary",
    LoanStatus.REJECTED: "text-bg-dark",
}
OVERDUE_BADGE = "text-bg-danger"


VERDICT_BADGES = {
    Outcome.QUALIFIES: "text-bg-success",
    Outcome.MAY_QUALIFY: "text-bg-warning",
    Outcome.DOES_NOT: "text-bg-secondary",
}
VERDICT_ORDER = {Outcome.QUALIFIES: 0, Outcome.MAY_QUALIFY: 1, Outcome.DOES_NOT: 2}


def program_verdicts(household, *, year: int) -> list[dict]:
    """Every open program with the rule's verdict for ``household``, qualifying ones
    first (catalogue order within each verdict)."""
    rows = [
        {
            "program": program,
            "outcome": judgement.outcome,
            "label": Eligibility(judgement.outcome.value).label,
            "badge": VERDICT_BADGES[judgement.outcome],
            "reasons": judgement.reasons,
        }
        for program, judgement in selectors.eligibility_for_household(
            household, year=year
        )
    ]
    return sorted(rows, key=lambda row: VERDICT_ORDER[row["outcome"]])


def mark_status(loans, today: date) -> None:
    """Give each loan what its status badge shows: overdue (in red) or its status."""
    for loan in loans:
        loan.overdue_now = loan.is_overdue(today)
        loan.badge_class = OVERDUE_BADGE if loan.overdue_now else BADGES[loan.status]


def transition_refused(loan: Loan, target: str) -> list[str]:
    """The service's own message when ``loan`` cannot move to ``target``, else []."""
    return loan_action_refusal(loan, target)


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    due_on: date
    principal: int
    interest_estimate: int
    balance_after: int
    state: str  # paid | due | late


PAID, DUE, LATE = "paid", "due", "late"


def schedule_rows(loan: Loan, today: date) -> list[ScheduleRow]:
    """The planned instalments of a disbursed loan at its copied rate, each marked paid
    when the principal repaid so far covers it, late when its date has passed."""
    if (
        loan.status not in (LoanStatus.DISBURSED, LoanStatus.SETTLED)
        or loan.disbursed_on is None
        or loan.annual_rate is None
    ):
        return []
    plan = repayment_schedule(
        amount=loan.amount,
        annual_rate=loan.annual_rate,
        disbursed_on=loan.disbursed_on,
        term_months=loan.term_months,
    )
    rows, planned = [], 0
    for number, instalment in enumerate(plan, start=1):
        planned += instalment.principal
        if loan.principal_repaid >= planned:
            state = PAID
        elif instalment.due_on < today:
            state = LATE
        else:
            state = DUE
        rows.append(
            ScheduleRow(
                number,
                instalment.due_on,
                instalment.principal,
                instalment.interest_estimate,
                instalment.balance_after,
                state,
            )
        )
    return rows


class LoanScopedMixin(StaffMixin):
    """Loads ``self.loan`` through the scoped selector before anything else runs: a loan
    of another village is a 404 for GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.loan = selectors.loan_get_for(user=request.user, pk=kwargs["pk"])
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Load what else the page works on (within ``self.loan``), or raise Http404."""


class LoanActionView(LoanScopedMixin, FormView):
    """GET shows what will happen and a small form; POST calls the service.

    A service ValidationError (an illegal transition, a date out of order, an amount
    above what is owed) goes on the form and the page is shown again with status 200;
    nothing has changed. Subclasses set the texts and implement ``perform``.
    """

    template_name = "loans/loan_action.html"
    title = ""
    button = ""
    button_class = "btn-success"
    explanation = ""

    def refused(self) -> list[str]:
        """Why the action cannot be done on this loan now (the page then says so)."""
        return []

    def facts(self, form) -> list[tuple[str, str]]:
        """(label, text) rows the confirmation page shows above the form."""
        return []

    # Each action view defines ``perform(self, data) -> str``: it calls the service with
    # the form's cleaned data and returns the success message.

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        shown = set(form.non_field_errors()) if form.is_bound else set()
        refused = self.refused()
        ctx.update(
            loan=self.loan,
            title=self.title,
            button=self.button,
            button_class=self.button_class,
            explanation=self.explanation,
            facts=self.facts(form),
            refused=refused,
            refused_unshown=[m for m in refused if m not in shown],
        )
        return ctx

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.loan)
