"""Reports of the loan book: the overdue list by village and savings group, and the period
report (distinct households, loans and amount disbursed, by program and by village, and the
principal outstanding at a date), each with its xlsx export.

Both start from scoped selectors: a village officer's figures cover their villages only.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from households.selectors import villages_for
from households.views._common import StaffMixin, xlsx_response

from .. import selectors
from ..forms.reports import PeriodReportForm, VillageFilterForm
from ..models import Loan
from ..report_sheets import overdue_xlsx, period_report_xlsx

BILLION = Decimal(1_000_000_000)


# --- Overdue --------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRow:
    loan: Loan
    days: int
    outstanding: int
    group_outstanding: int
    village_outstanding: int


def overdue_rows(*, user, village: int | None, today: date) -> list[OverdueRow]:
    """The overdue loans in the selector's order (village, group, longest overdue first),
    each with its group's and its village's outstanding for the subtotals."""
    loans = list(selectors.overdue_loans_for(user=user, on=today, village=village))
    by_group: dict[tuple[int, int], int] = {}
    by_village: dict[int, int] = {}
    for loan in loans:
        key = (loan.household.village_id, loan.savings_group_id)
        by_group[key] = by_group.get(key, 0) + loan.outstanding
        by_village[key[0]] = by_village.get(key[0], 0) + loan.outstanding
    return [
        OverdueRow(
            loan=loan,
            days=(today - loan.due_on).days,
            outstanding=loan.outstanding,
            group_outstanding=by_group[
                (loan.household.village_id, loan.savings_group_id)
            ],
            village_outstanding=by_village[loan.household.village_id],
        )
        for loan in loans
    ]


class _OverdueMixin(StaffMixin):
    def overdue(self):
        self.filter_form = VillageFilterForm(
            self.request.GET or None, villages=villages_for(self.request.user)
        )
        self.today = selectors.today()
        return overdue_rows(
            user=self.request.user,
            village=self.filter_form.village_pk(),
            today=self.today,
        )


class OverdueListView(_OverdueMixin, TemplateView):
    template_name = "loans/overdue_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = self.overdue()
        ctx["rows"] = rows
        ctx["today"] = self.today
        ctx["filter_form"] = self.filter_form
        ctx["querystring"] = self.request.GET.urlencode()
        ctx["total"] = {
            "loans": len(rows),
            "households": len({row.loan.household_id for row in rows}),
            "outstanding": sum(row.outstanding for row in rows),
        }
        return ctx


class OverdueExportView(_OverdueMixin, View):
    def get(self, request):
        rows = self.overdue()
        return xlsx_response(
            overdue_xlsx(rows=rows, today=self.today),
            f"no-qua-han-{self.today:%Y%m%d}.xlsx",
        )


# --- The period report ----------------------------------------------------------------


def _quick_periods(today: date, village: str) -> list[tuple[str, str]]:
    """(label, query string) of the periods people ask for most."""

    def query(start: date, end: date) -> str:
        params = QueryDict(mutable=True)
        params["start"] = start.strftime("%d/%m/%Y")
        params["end"] = end.strftime("%d/%m/%Y")
        if village:
            params["village"] = village
        return params.urlencode()

    links = []
    for year in (today.year, today.year - 1):
        links.append(
            (
                _("First nine months of %(year)s") % {"year": year},
                query(date(year, 1, 1), date(year, 9, 30)),
            )
        )
    links.append(
        (
            _("Whole year %(year)s") % {"year": today.year - 1},
            query(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        )
    )
    links.append(
        (
            _("This year so far (%(year)s)") % {"year": today.year},
            query(date(today.year, 1, 1), today),
        )
    )
    return links


class _PeriodReportMixin(StaffMixin):
    def report_form(self) -> PeriodReportForm:
        return PeriodReportForm.from_query(
            self.request.GET, villages=villages_for(self.request.user)
        )

    def build_report(self, form: PeriodReportForm):
        return selectors.period_report(user=self.request.user, **form.report_kwargs())


class PeriodReportView(_PeriodReportMixin, TemplateView):
    template_name = "loans/period_report.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = self.report_form()
        ctx["form"] = form
        ctx["quick_periods"] = _quick_periods(
            selectors.today(), self.request.GET.get("village", "")
        )
        if form.is_valid():
            report = self.build_report(form)
            ctx["report"] = report
            ctx["village"] = form.cleaned_data.get("village")
            ctx["billions"] = Decimal(report.total.amount) / BILLION
            ctx["export_query"] = form.data.urlencode()
            ctx["breakdowns"] = [
                {
                    "key": "by-program",
                    "title": _("By program"),
                    "label": _("Program"),
                    "rows": report.by_program,
                    "note": _(
                        "A household that borrowed under two programs counts in both "
                        "rows but once in the total."
                    ),
                },
                {
                    "key": "by-village",
                    "title": _("By village"),
                    "label": _("Village"),
                    "rows": report.by_village,
                    "note": "",
                },
            ]
        return ctx


class PeriodReportExportView(_PeriodReportMixin, View):
    def get(self, request):
        form = self.report_form()
        if not form.is_valid():
            # The report page shows what is wrong with the dates.
            url = reverse("loans:period_report")
            return redirect(f"{url}?{request.GET.urlencode()}")
        report = self.build_report(form)
        content = period_report_xlsx(
            report=report, village=form.cleaned_data.get("village")
        )
        return xlsx_response(
            content,
            f"bao-cao-vay-von-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx",
        )
