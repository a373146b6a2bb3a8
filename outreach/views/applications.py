"""The assisted application screens: the filtered list and its xlsx export, recording an
application (find the household first, or come from its page with ``?household=<pk>``),
the application's page with its status change and history, and correcting it.

Every application is reached through its household's village: another village's
application or household is a 404.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from eakutur.audit.selectors import audit_history_for
from households.selectors import household_get_for, villages_for
from households.spreadsheets import (
    BOLD,
    EXPORT_CHUNK_SIZE,
    _cell_text,
    _sheet_title,
    _to_bytes,
)
from households.views._common import StaffMixin, add_service_errors, xlsx_response

from .. import selectors, services
from ..forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationHouseholdSearchForm,
    ApplicationStatusForm,
)
from ..models import ApplicationStatus, AssistedApplication
from .contacts import OutreachTabsMixin

__all__ = [
    "ApplicationCreateView",
    "ApplicationDetailView",
    "ApplicationExportView",
    "ApplicationListView",
    "ApplicationStatusView",
    "ApplicationUpdateView",
    "applications_xlsx",
]

APPLICATION_BADGES = {
    ApplicationStatus.FILED: "text-bg-light border",
    ApplicationStatus.PROCESSING: "text-bg-info",
    ApplicationStatus.NEEDS_MORE: "text-bg-warning",
    ApplicationStatus.DONE: "text-bg-success",
    ApplicationStatus.REJECTED: "text-bg-dark",
}


class ApplicationsTabMixin(OutreachTabsMixin):
    outreach_tab = "applications"


def application_url(application) -> str:
    return reverse("contacts:application_detail", args=[application.pk])


def mark_applications(applications: Iterable[AssistedApplication], today) -> None:
    """Give each row its badge and whether its follow-up date has come."""
    for application in applications:
        application.badge_class = APPLICATION_BADGES[application.status]
        application.follow_up_due = bool(
            application.follow_up_on
            and application.follow_up_on <= today
            and application.status not in services.FINAL_APPLICATION_STATUSES
        )


def service_name(application: AssistedApplication) -> str:
    if application.service_detail:
        return f"{application.get_service_display()}: {application.service_detail}"
    return str(application.get_service_display())


# --- The list and its export ------------------------------------------------------------


def _filter_form(request) -> ApplicationFilterForm:
    return ApplicationFilterForm(
        request.GET or None,
        villages=villages_for(request.user).order_by("sort_order", "name"),
    )


class ApplicationListView(ApplicationsTabMixin, ListView):
    template_name = "outreach/application_list.html"
    context_object_name = "applications"
    paginate_by = 25

    @cached_property
    def filter_form(self) -> ApplicationFilterForm:
        return _filter_form(self.request)

    def get_queryset(self):
        return selectors.application_list_for(
            self.request.user, self.filter_form.to_filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        page = ctx["page_obj"]
        page.object_list = ctx["applications"] = list(page.object_list)
        mark_applications(ctx["applications"], today)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            filters_open=any(v for k, v in params.items() if k != "q")
            or bool(self.filter_form.errors),
            follow_up_count=selectors.applications_needing_follow_up(
                self.request.user, today=today
            ).count(),
            today=today,
        )
        return ctx


def _columns() -> list[tuple[str, int]]:
    """(heading, width) of each column, in the active language."""
    return [
        (_("Filed on"), 12),
        (_("Household code"), 14),
        (_("Head of household"), 26),
        (_("Village"), 18),
        (_("Service"), 32),
        (_("Reference number"), 22),
        (_("Status"), 18),
        (_("Helped by"), 24),
        (_("Follow up on"), 12),
        (_("Recorded by"), 20),
        (_("Note"), 40),
    ]


def applications_xlsx(applications: Iterable[AssistedApplication]) -> bytes:
    """The applications given (household, village, helper and recorder joined), one row
    each. Every text goes through ``_cell_text``: a name typed as ``=HYPERLINK(…)`` stays
    text in Excel; dates are real dates shown dd/mm/yyyy."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("Assisted applications")))
    columns = _columns()
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=_cell_text(heading))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)

    def day(value: date | None):
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "dd/mm/yyyy"
        return cell

    if isinstance(applications, QuerySet):
        applications = applications.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    count = 0
    for application in applications:
        household = application.household
        recorder = application.recorded_by
        sheet.append(
            [
                day(application.filed_on),
                _cell_text(household.code),
                _cell_text(household.head_name),
                _cell_text(household.village.name),
                _cell_text(service_name(application)),
                _cell_text(application.reference_number),
                _cell_text(str(application.get_status_display())),
                _cell_text(
                    application.helped_by.full_name if application.helped_by else ""
                ),
                day(application.follow_up_on),
                _cell_text(recorder.get_full_name() or recorder.username),
                _cell_text(application.note),
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return _to_bytes(workbook)


class ApplicationExportView(StaffMixin, View):
    def get(self, request):
        applications = selectors.application_list_for(
            request.user, _filter_form(request).to_filters()
        )
        today = timezone.localdate()
        return xlsx_response(
            applications_xlsx(applications), f"ho-so-truc-tuyen-{today:%Y-%m-%d}.xlsx"
        )


# --- Recording an application -----------------------------------------------------------


class ApplicationCreateView(ApplicationsTabMixin, FormView):
    """Without ``?household=`` the page is a household search (name, code or phone, in
    the user's villages); with it, the form for that household."""

    template_name = "outreach/application_form.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        pk = request.GET.get("household")
        self.household = (
            household_get_for(user=request.user, pk=pk, include_archived=False)
            if pk
            else None
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.household is None:
            return self.render_search()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.household is None:
            return self.render_search()
        return super().post(request, *args, **kwargs)

    def render_search(self):
        form = ApplicationHouseholdSearchForm(self.request.GET or None)
        # The cleaned value, never the raw one: a NUL character (which PostgreSQL
        # refuses in a query) is the form's error, not a 500.
        q = form.cleaned_data["q"] if form.is_valid() else ""
        found = selectors.households_to_apply_for(self.request.user, q)
        return self.render_to_response(
            self.get_context_data(
                form=None,
                search_form=form,
                q=q,
                found=found,
                limit=selectors.HOUSEHOLD_SEARCH_LIMIT,
            )
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "helpers": selectors.active_members_of_village(self.household.village_id),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.household is None:  # the household search
            return ctx
        ctx.update(
            household=self.household,
            team=selectors.team_of_village(
                self.request.user, self.household.village_id
            ),
            title=_("Record an online application"),
            cancel_url=self.household.get_absolute_url(),
        )
        return ctx

    def form_valid(self, form):
        try:
            application = services.application_record(
                actor=self.request.user, household=self.household, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The application is recorded."))
        return redirect(application_url(application))


# --- The application's page, its status and corrections ----------------------------------


class ApplicationScopedMixin(ApplicationsTabMixin):
    """Loads ``self.application`` through the scoped selector before anything else."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = selectors.application_get_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        application = self.application
        mark_applications([application], timezone.localdate())
        ctx.update(
            application=application,
            household=application.household,
            service_name=service_name(application),
            application_url=application_url(application),
            list_url=reverse("contacts:application_list"),
        )
        return ctx


class ApplicationDetailView(ApplicationScopedMixin, TemplateView):
    template_name = "outreach/application_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        application = self.application
        allowed = services.allowed_statuses(application)
        ctx.update(
            status_form=ApplicationStatusForm(application=application, allowed=allowed)
            if allowed
            else None,
            history=list(audit_history_for(instance=application, limit=50)),
        )
        return ctx


class ApplicationStatusView(ApplicationScopedMixin, FormView):
    """The status change of the application's page; GET shows it on its own page."""

    template_name = "outreach/application_status.html"
    form_class = ApplicationStatusForm

    def get(self, request, *args, **kwargs):
        if not services.allowed_statuses(self.application):
            messages.info(
                request,
                _("This application is final (%(status)s); its status cannot change.")
                % {"status": self.application.get_status_display()},
            )
            return redirect(application_url(self.application))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "application": self.application,
            "allowed": services.allowed_statuses(self.application),
        }

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            application = services.application_update_status(
                actor=self.request.user,
                application=self.application,
                status=d["status"],
                follow_up_on=d.get("follow_up_on"),
                note=d.get("note") or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Saved: the application is now %(status)s.")
            % {"status": application.get_status_display()},
        )
        return redirect(application_url(application))


class ApplicationUpdateView(ApplicationScopedMixin, FormView):
    template_name = "outreach/application_form.html"
    form_class = ApplicationForm

    def get_initial(self):
        return ApplicationForm.initial_for(self.application)

    def get_form_kwargs(self):
        # A helper who has left since stays selectable on their own application.
        helpers = selectors.active_members_of_village(
            self.application.household.village_id,
            also=self.application.helped_by_id,
        )
        return {**super().get_form_kwargs(), "helpers": helpers}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Correct the application"),
            cancel_url=application_url(self.application),
            editing=True,
        )
        return ctx

    def form_valid(self, form):
        try:
            services.application_update(
                actor=self.request.user,
                application=self.application,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The application is saved."))
        return redirect(application_url(self.application))
