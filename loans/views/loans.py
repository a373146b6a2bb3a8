"""The loan book's main screens: the filtered list with its totals and xlsx export, the
application entered from a household (each program with the rule's verdict), the loan's
page (schedule, repayments, history) and its status actions, each a confirmation page
whose POST calls one service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import floatformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from eakutur.audit.selectors import audit_history_for
from eakutur.templatetags.portal import vnd
from households.selectors import household_get_for, villages_for
from households.views._common import StaffMixin, add_service_errors, xlsx_response

from .. import selectors, services
from ..forms.loans import (
    LoanApplyForm,
    LoanApproveForm,
    LoanDisburseForm,
    LoanFilterForm,
    LoanRejectForm,
    RepaymentForm,
    RepaymentReverseForm,
)
from ..interest import add_months
from ..models import TRANSITIONS, LoanStatus
from ._loan_common import (
    LoanActionView,
    LoanScopedMixin,
    mark_status,
    program_verdicts,
    schedule_rows,
    transition_refused,
)
from ._paging import NarrowFirstPaginator

__all__ = [
    "LoanApplyView",
    "LoanApproveView",
    "LoanDetailView",
    "LoanDisburseView",
    "LoanExportView",
    "LoanListView",
    "LoanRejectView",
    "LoanScopedMixin",
    "RepaymentCreateView",
    "RepaymentReverseView",
]


# --- The list and its export -------------------------------------------------------------


def _filter_form(request) -> LoanFilterForm:
    return LoanFilterForm(
        request.GET or None,
        villages=villages_for(request.user),
        savings_groups=selectors.savings_groups_for(request.user),
    )


class LoanListView(StaffMixin, ListView):
    template_name = "loans/loan_list.html"
    context_object_name = "loans"
    paginate_by = 50
    paginator_class = NarrowFirstPaginator

    @cached_property
    def filter_form(self) -> LoanFilterForm:
        return _filter_form(self.request)

    def get_queryset(self):
        return selectors.loan_list_for(
            user=self.request.user, filters=self.filter_form.to_filters()
        )

    @cached_property
    def totals(self) -> dict[str, int]:
        """The filtered loans' totals, live: one aggregate over the whole filtered set."""
        return selectors.loan_totals(self.object_list)

    def get_paginator(self, queryset, per_page, **kwargs):
        # The totals have counted the filtered loans: the pages need no COUNT of their own.
        return super().get_paginator(
            queryset, per_page, count=self.totals["loans"], **kwargs
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = selectors.today()
        page = ctx["page_obj"]
        page.object_list = ctx["loans"] = list(page.object_list)
        mark_status(ctx["loans"], today)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            totals=self.totals,
            querystring=params.urlencode(),
            filtered=any(v for k, v in params.items() if k != "sort"),
            filters_open=any(v for k, v in params.items() if k not in ("q", "sort"))
            or bool(self.filter_form.errors),
            today=today,
        )
        return ctx


class LoanExportView(StaffMixin, View):
    def get(self, request):
        from ..spreadsheets import loans_xlsx

        loans = selectors.loan_list_for(
            user=request.user, filters=_filter_form(request).to_filters()
        )
        today = selectors.today()
        return xlsx_response(
            loans_xlsx(loans, today=today), f"khoan-vay-{today:%Y-%m-%d}.xlsx"
        )


# --- Applying from a household -----------------------------------------------------------


class LoanApplyView(StaffMixin, FormView):
    template_name = "loans/loan_apply.html"
    form_class = LoanApplyForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.household = household_get_for(
            user=request.user, pk=kwargs["household_pk"], include_archived=False
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def verdicts(self) -> list[dict]:
        return program_verdicts(self.household, year=selectors.today().year)

    @cached_property
    def savings_groups(self):
        return selectors.savings_groups_of_village(self.household.village)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programs"] = selectors.programs_open()
        kwargs["savings_groups"] = self.savings_groups
        code = self.request.GET.get("program")
        chosen = next((r for r in self.verdicts if r["program"].code == code), None)
        if chosen:
            kwargs.setdefault("initial", {})["program"] = chosen["program"].pk
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        value = ctx["form"]["program"].value()
        ctx.update(
            household=self.household,
            programs=self.verdicts,
            selected_program=str(value) if value else "",
            has_groups=self.savings_groups.exists(),
            this_year=selectors.today().year,
        )
        return ctx

    def form_valid(self, form):
        try:
            loan = services.loan_apply(
                actor=self.request.user, household=self.household, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Application recorded"))
        return redirect(loan)


# --- The loan's page ---------------------------------------------------------------------


class LoanDetailView(LoanScopedMixin, TemplateView):
    template_name = "loans/loan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        loan, today = self.loan, selectors.today()
        mark_status([loan], today)
        repayments = selectors.loan_repayments(loan)
        reversed_ids = {r.reverses_id for r in repayments if r.reverses_id}
        for entry in repayments:
            entry.is_reversed = entry.pk in reversed_ids
            entry.can_reverse = not services.repayment_reversal_refusal(
                loan, entry, already_reversed=entry.is_reversed
            )
        allowed = TRANSITIONS[loan.status]
        ctx.update(
            loan=loan,
            household=loan.household,
            today=today,
            due=services.loan_amounts_due(loan, on=today),
            schedule=schedule_rows(loan, today),
            repayments=repayments,
            reasons=[r for r in loan.eligibility_reasons.splitlines() if r.strip()],
            history=list(audit_history_for(instance=loan, limit=50)),
            can_approve=LoanStatus.APPROVED in allowed,
            can_reject=LoanStatus.REJECTED in allowed,
            can_disburse=LoanStatus.DISBURSED in allowed
            and loan.status == LoanStatus.APPROVED,
            can_repay=loan.status == LoanStatus.DISBURSED,
        )
        return ctx


# --- The status actions ------------------------------------------------------------------


class LoanApproveView(LoanActionView):
    form_class = LoanApproveForm
    title = gettext_lazy("Approve the loan")
    button = gettext_lazy("Approve")
    explanation = gettext_lazy(
        "The program's current rate, maximum and longest term are copied onto the "
        "loan now; later changes to the catalogue do not change this loan."
    )

    def refused(self):
        return transition_refused(self.loan, LoanStatus.APPROVED)

    def facts(self, form):
        program = self.loan.program
        cap = program.cap_for(self.loan.term_months)
        return [
            (_("Program"), program.name),
            (_("Amount"), vnd(self.loan.amount)),
            (
                _("Annual interest rate"),
                _("%(rate)s%% a year") % {"rate": floatformat(program.annual_rate, -2)},
            ),
            (
                _("Program maximum"),
                vnd(cap) if cap is not None else _("depends on the case"),
            ),
            (
                _("Longest term"),
                _("%(n)s months") % {"n": program.max_term_months}
                if program.max_term_months
                else _("no fixed limit"),
            ),
        ]

    def perform(self, data):
        services.loan_approve(
            actor=self.request.user, loan=self.loan, approved_on=data["approved_on"]
        )
        return _("The loan was approved.")


class LoanRejectView(LoanActionView):
    form_class = LoanRejectForm
    title = gettext_lazy("Reject the loan")
    button = gettext_lazy("Reject")
    button_class = "btn-danger"
    explanation = gettext_lazy(
        "The application is closed with the reason given; it stays in the records."
    )

    def refused(self):
        return transition_refused(self.loan, LoanStatus.REJECTED)

    def perform(self, data):
        services.loan_reject(
            actor=self.request.user,
            loan=self.loan,
            rejected_on=data["rejected_on"],
            reason=data["reason"],
        )
        return _("The loan was rejected.")


class LoanDisburseView(LoanActionView):
    form_class = LoanDisburseForm
    title = gettext_lazy("Record the disbursement")
    button = gettext_lazy("Record the disbursement")

    def get_initial(self):
        return {"contract_number": self.loan.contract_number}

    def refused(self):
        return transition_refused(self.loan, LoanStatus.DISBURSED)

    def facts(self, form):
        day = selectors.today()
        if form.is_bound and form.is_valid():
            day = form.cleaned_data["disbursed_on"]
        return [
            (_("Amount"), vnd(self.loan.amount)),
            (_("Term"), _("%(n)s months") % {"n": self.loan.term_months}),
            (
                _("Due date"),
                _("%(due)s if paid out on %(day)s")
                % {
                    "due": add_months(day, self.loan.term_months).strftime("%d/%m/%Y"),
                    "day": day.strftime("%d/%m/%Y"),
                },
            ),
        ]

    def perform(self, data):
        services.loan_disburse(
            actor=self.request.user,
            loan=self.loan,
            disbursed_on=data["disbursed_on"],
            contract_number=data["contract_number"],
        )
        return _("The disbursement was recorded.")


class RepaymentCreateView(LoanActionView):
    form_class = RepaymentForm
    title = gettext_lazy("Record a repayment")
    button = gettext_lazy("Record the repayment")

    def refused(self):
        if self.loan.status == LoanStatus.DISBURSED:
            return []
        return [
            _("Repayments are recorded on disbursed loans; this loan is %(status)s.")
            % {"status": self.loan.get_status_display()}
        ]

    def facts(self, form):
        due = services.loan_amounts_due(self.loan, on=selectors.today())
        rows = [
            (_("Principal outstanding"), vnd(due.principal)),
            (_("Interest due today"), vnd(due.interest)),
            (_("Total due today"), vnd(due.total)),
        ]
        if due.overdue:
            rows.append(
                (
                    _("Overdue"),
                    _("due on %(date)s; overdue principal pays 130%% of the rate")
                    % {"date": self.loan.due_on.strftime("%d/%m/%Y")},
                )
            )
        return rows

    def perform(self, data):
        repayment = services.repayment_record(
            actor=self.request.user,
            loan=self.loan,
            paid_on=data["paid_on"],
            principal=data["principal"],
            interest=data["interest"],
            request_key=data["request_key"],
        )
        if repayment.loan.status == LoanStatus.SETTLED:
            return _("The repayment was recorded. The loan is settled.")
        return _("The repayment was recorded.")


class RepaymentReverseView(LoanActionView):
    form_class = RepaymentReverseForm
    title = gettext_lazy("Reverse a repayment")
    button = gettext_lazy("Reverse")
    button_class = "btn-danger"
    explanation = gettext_lazy(
        "A reversing entry of the opposite amounts is recorded; the original entry is "
        "kept, struck through."
    )

    def load(self, **kwargs):
        entries = selectors.loan_repayments(self.loan)
        self.repayment = next(
            (r for r in entries if r.pk == kwargs["repayment_pk"]), None
        )
        if self.repayment is None:
            raise Http404
        self.already_reversed = any(r.reverses_id == self.repayment.pk for r in entries)

    def refused(self):
        return services.repayment_reversal_refusal(
            self.loan, self.repayment, already_reversed=self.already_reversed
        )

    def facts(self, form):
        entry = self.repayment
        recorder = entry.recorded_by
        return [
            (_("Paid on"), entry.paid_on.strftime("%d/%m/%Y")),
            (_("Principal"), vnd(entry.principal)),
            (_("Interest"), vnd(entry.interest)),
            (
                _("Recorded by"),
                (recorder.get_full_name() or recorder.username) if recorder else "—",
            ),
        ]

    def perform(self, data):
        services.repayment_reverse(
            actor=self.request.user, repayment=self.repayment, reason=data["reason"]
        )
        return _("The repayment was reversed.")
