"""Coverage per village: households reached in the last 30, 90 or 180 days, the poor and
near-poor not reached, the ethnic-minority households reached, the village meetings;
its xlsx export; and the households behind each figure (the village officer's to-do list
of poor and near-poor households not reached).

The coverage page and its export are counts per village, not any household's data, so
they are not audited reads. The households behind a figure are: each shows its poverty
status (and the ethnic-minority list says each one's group is a minority), so each page
of them is one read audit entry (``audit_read``), with the list's filters, never the codes.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from eakutur.audit.models import SensitiveField
from eakutur.audit.services import audit_read
from households.models import Household
from households.selectors import villages_for
from households.views._common import StaffMixin, xlsx_response

from .. import selectors
from ..forms import CoverageForm
from ..models import ContactChannel
from .contacts import OutreachTabsMixin

__all__ = ["CoverageExportView", "CoverageHouseholdsView", "CoverageView"]


def _coverage_form(request) -> CoverageForm:
    return CoverageForm(request.GET or None, villages=villages_for(request.user))


def _households_url(days: int, village, show: str) -> str:
    params = {"days": days, "show": show}
    if village is not None:
        params["village"] = village.pk
    return f"{reverse('contacts:coverage_households')}?{urlencode(params)}"


def _row_links(row, coverage) -> dict[str, str]:
    """The list behind each figure of a coverage row."""
    days, village = coverage.days, row.village
    household_list = reverse("households:household_list")
    contacts = {
        "scope": selectors.SCOPE_VILLAGE,
        "channel": ContactChannel.MEETING,
        "date_from": f"{coverage.start:%d/%m/%Y}",
        "date_to": f"{coverage.end:%d/%m/%Y}",
    }
    announcements = {**contacts, "channel": ""}
    if village is not None:
        contacts["village"] = announcements["village"] = village.pk
    return {
        "households": household_list
        + (f"?village={village.pk}" if village is not None else ""),
        "reached": _households_url(days, village, selectors.SHOW_REACHED),
        "poor": _households_url(days, village, selectors.SHOW_POOR),
        "near_poor": _households_url(days, village, selectors.SHOW_NEAR_POOR),
        "to_do": _households_url(days, village, selectors.SHOW_TO_DO),
        "minority": _households_url(days, village, selectors.SHOW_MINORITY_REACHED),
        "meetings": f"{reverse('contacts:contact_list')}?{urlencode(contacts)}",
        "announcements": (
            f"{reverse('contacts:contact_list')}?{urlencode(announcements)}"
        ),
        "log": (
            f"{reverse('contacts:contact_create')}?village={village.pk}"
            if village is not None
            else ""
        ),
    }


class CoverageView(OutreachTabsMixin, TemplateView):
    template_name = "outreach/coverage.html"
    outreach_tab = "coverage"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        days, _village, _show = _coverage_form(self.request).values()
        coverage = selectors.coverage_by_village(
            self.request.user, today=selectors.today(), days=days
        )
        for row in [*coverage.rows, coverage.total]:
            row.links = _row_links(row, coverage)
        ctx.update(
            coverage=coverage,
            periods=[
                (d, f"{reverse('contacts:coverage')}?days={d}")
                for d in selectors.COVERAGE_PERIODS
            ],
            export_url=f"{reverse('contacts:coverage_export')}?days={days}",
        )
        return ctx


class CoverageExportView(StaffMixin, View):
    def get(self, request):
        from ..spreadsheets import coverage_xlsx

        days, _village, _show = _coverage_form(request).values()
        today = selectors.today()
        coverage = selectors.coverage_by_village(request.user, today=today, days=days)
        return xlsx_response(
            coverage_xlsx(coverage), f"do-phu-{days}-ngay-{today:%Y-%m-%d}.xlsx"
        )


def show_title(show: str, days: int) -> str:
    titles = {
        selectors.SHOW_TO_DO: _(
            "Poor and near-poor households not reached in the last %(days)s days"
        ),
        selectors.SHOW_POOR: _("Poor households not reached in the last %(days)s days"),
        selectors.SHOW_NEAR_POOR: _(
            "Near-poor households not reached in the last %(days)s days"
        ),
        selectors.SHOW_REACHED: _("Households reached in the last %(days)s days"),
        selectors.SHOW_MINORITY_REACHED: _(
            "Ethnic-minority households reached in the last %(days)s days"
        ),
        selectors.SHOW_NOT_REACHED: _(
            "Households not reached in the last %(days)s days"
        ),
    }
    return titles.get(show, titles[selectors.SHOW_TO_DO]) % {"days": days}


class CoverageHouseholdsView(OutreachTabsMixin, ListView):
    """The households behind a coverage figure; by default the poor and near-poor
    households not reached, the village officer's to-do list. Another village is 404."""

    template_name = "outreach/coverage_households.html"
    context_object_name = "households"
    paginate_by = 50
    outreach_tab = "coverage"

    @cached_property
    def form(self) -> CoverageForm:
        return _coverage_form(self.request)

    @cached_property
    def values(self) -> tuple[int, int | None, str]:
        form = self.form
        if form.is_bound and not form.is_valid() and "village" in form.errors:
            raise Http404  # a village outside the user's scope
        return form.values()

    def get_queryset(self):
        days, village, show = self.values
        return selectors.coverage_households(
            self.request.user,
            today=selectors.today(),
            days=days,
            village=village,
            show=show,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        days, village_pk, show = self.values
        village = (
            self.form.cleaned_data.get("village") if village_pk is not None else None
        )
        start, end = selectors.coverage_window(selectors.today(), days)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            title=show_title(show, days),
            village=village,
            days=days,
            show=show,
            start=start,
            end=end,
            querystring=params.urlencode(),
            periods=[
                (d, _households_url(d, village, show))
                for d in selectors.COVERAGE_PERIODS
            ],
            coverage_url=f"{reverse('contacts:coverage')}?days={days}",
            log_url=reverse("contacts:contact_create"),
        )
        if ctx["households"]:  # an empty page showed nobody's data
            self.audit_read(ctx, village=village)
        return ctx

    def audit_read(self, ctx, *, village) -> None:
        """One entry for the page: the list it is (the values the page applied, defaults
        included), which page and how many households, not their codes."""
        fields = [SensitiveField.POVERTY_STATUS]
        if ctx["show"] == selectors.SHOW_MINORITY_REACHED:
            fields.append(SensitiveField.ETHNICITY)
        filters = {"days": str(ctx["days"]), "show": ctx["show"]}
        if village is not None:
            filters["village"] = str(village)
        audit_read(
            actor=self.request.user,
            instance=Household,
            fields=fields,
            details={
                "filters": filters,
                "page": ctx["page_obj"].number,
                "rows": len(ctx["households"]),
            },
            note=self.request.path,
        )
