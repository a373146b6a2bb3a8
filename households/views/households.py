"""Household screens: the filtered list and its xlsx export, registering a household, its
detail page with history, editing it, archiving it with a reason and restoring it.

Every screen here that shows a person ethnicity, poverty status or a full national ID
number records it (``audit_read``: one entry per page or file, never the values).
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from eakutur.audit.models import AuditAction, SensitiveField
from eakutur.audit.selectors import audit_history_for
from eakutur.audit.services import audit_read

from .. import selectors, services
from ..forms import HouseholdFilterForm, HouseholdForm
from ..models import Household
from ..panels import household_panels
from ..text import mask_national_id
from ._common import (
    ConfirmReasonView,
    HouseholdScopedMixin,
    StaffMixin,
    add_service_errors,
    xlsx_response,
)

# What every row of the list and the export shows (national IDs there are masked).
LISTED_FIELDS = (SensitiveField.ETHNICITY, SensitiveField.POVERTY_STATUS)
# Four or more digits, also typed in groups ("066 085 001 234", "0912.345.678").
_NUMBER = re.compile(r"\d(?:[\s.\-]*\d){3,}")


def filters_for_audit(form: HouseholdFilterForm) -> dict[str, str]:
    """The filters a list page or an export applied, as the audit keeps them. A number
    typed in the search may be an ID or a phone number: only its last digits are kept."""
    kept = {}
    for name, value in getattr(form, "cleaned_data", {}).items():
        if value in (None, "", False) or (name == "sort" and value == "code"):
            continue
        if name == "q":
            value = _NUMBER.sub(
                lambda m: mask_national_id(re.sub(r"\D", "", m.group())), value
            )
        kept[name] = str(value)
    return kept


class HouseholdListView(StaffMixin, ListView):
    template_name = "households/household_list.html"
    context_object_name = "households"
    paginate_by = 25

    def get_filter_form(self) -> HouseholdFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = HouseholdFilterForm(
                self.request.GET or None,
                villages=selectors.villages_for(self.request.user),
            )
        return self._filter_form

    def get_queryset(self):
        return selectors.household_list_for(
            user=self.request.user, filters=self.get_filter_form().to_filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["filter_form"] = self.get_filter_form()
        ctx["querystring"] = params.urlencode()
        ctx["filtered"] = any(v for k, v in params.items() if k != "sort")
        # The filter panel opens by itself only when a filter (not just a search) is set.
        ctx["filters_open"] = any(
            v for k, v in params.items() if k not in ("q", "sort")
        )
        shown = ctx["households"]
        if shown:  # an empty page showed nobody's data
            # Filters, page and row count, not the codes on the page: codes beside
            # "status=poor" would put each household's status in the audit itself.
            audit_read(
                actor=self.request.user,
                instance=Household,
                fields=LISTED_FIELDS,
                details={
                    "filters": filters_for_audit(self.get_filter_form()),
                    "page": ctx["page_obj"].number,
                    "rows": len(shown),
                },
                note=self.request.path,
            )
        return ctx


class HouseholdExportView(StaffMixin, View):
    def get(self, request):
        from ..spreadsheets import households_xlsx

        form = HouseholdFilterForm(
            request.GET or None, villages=selectors.villages_for(request.user)
        )
        households = selectors.household_list_for(
            user=request.user, filters=form.to_filters()
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        content = households_xlsx(households=households)
        audit_read(
            actor=request.user,
            instance=Household,
            action=AuditAction.EXPORT,
            fields=LISTED_FIELDS,
            details={"filters": filters_for_audit(form), "rows": households.count()},
            note=request.path,
        )
        return xlsx_response(content, f"ho-gia-dinh-{stamp}.xlsx")


class HouseholdCreateView(StaffMixin, FormView):
    template_name = "households/household_form.html"
    form_class = HouseholdForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["villages"] = selectors.villages_for(self.request.user)
        village = self.request.GET.get("village")
        if village and village.isdigit():
            kwargs.setdefault("initial", {})["village"] = int(village)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        if not form.check_duplicates(commune_id=data["village"].commune_id):
            return self.form_invalid(form)
        fields = {k: v for k, v in data.items() if k != "confirm_not_duplicate"}
        try:
            household = services.household_create(actor=self.request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Household %(code)s was registered.") % {"code": household.code},
        )
        return redirect(household)


class HouseholdDetailView(StaffMixin, TemplateView):
    """The household page. National ID numbers are masked; ``HouseholdNationalIdsView``
    shows them in full."""

    template_name = "households/household_detail.html"
    show_national_ids = False

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        household = selectors.household_detail_for(
            user=self.request.user, pk=kwargs["pk"]
        )
        ctx["household"] = household
        ctx["has_national_ids"] = bool(household.head_national_id) or any(
            m.national_id for m in household.active_members
        )
        ctx["show_national_ids"] = self.show_national_ids and ctx["has_national_ids"]
        shown = [*LISTED_FIELDS]
        if ctx["show_national_ids"]:
            shown.append(SensitiveField.NATIONAL_ID)
        audit_read(
            actor=self.request.user,
            instance=household,
            fields=shown,
            note=self.request.path,
        )
        ctx["history"] = audit_history_for(instance=household, limit=50)
        ctx["panels"] = household_panels(user=self.request.user, household=household)
        ctx["this_year"] = timezone.localdate().year
        ctx["reviewed_this_year"] = any(
            r.year == ctx["this_year"] for r in household.review_history
        )
        return ctx


class HouseholdNationalIdsView(HouseholdDetailView):
    """The household page with every national ID number in full: a POST (CSRF-checked,
    never prefetched), so each time the numbers are shown is one deliberate, audited
    read. The page is rendered, not redirected to: the numbers never sit in a URL."""

    http_method_names = ["post"]
    show_national_ids = True

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


class HouseholdUpdateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/household_form.html"
    form_class = HouseholdForm

    def get(self, request, *args, **kwargs):
        # The form shows the head's ethnicity and full ID number to edit them.
        shown = [SensitiveField.ETHNICITY]
        if self.household.head_national_id:
            shown.append(SensitiveField.NATIONAL_ID)
        audit_read(
            actor=request.user, instance=self.household, fields=shown, note=request.path
        )
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.household
        kwargs["villages"] = selectors.villages_for(self.request.user)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        if not form.check_duplicates(commune_id=self.household.commune_id):
            return self.form_invalid(form)
        changes = {k: data[k] for k in form.Meta.fields}
        # form.instance was mutated by ModelForm validation; reload the stored row.
        stored = selectors.household_get_for(
            user=self.request.user, pk=self.household.pk
        )
        try:
            services.household_update(
                actor=self.request.user, household=stored, **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The household was saved."))
        return redirect(stored)


class HouseholdArchiveView(ConfirmReasonView):
    allow_archived = False

    def get_context_data(self, **kwargs):
        self.title = _("Archive household %(code)s") % {"code": self.household.code}
        self.button = _("Archive")
        ctx = super().get_context_data(**kwargs)
        ctx["explanation"] = _(
            "The household leaves the active registry but its history is kept. "
            "It can be restored."
        )
        return ctx

    def form_valid(self, form):
        services.household_archive(
            actor=self.request.user,
            household=self.household,
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, _("The household was archived."))
        return redirect(self.household)


class HouseholdRestoreView(HouseholdScopedMixin, View):
    def post(self, request, pk):
        services.household_restore(actor=request.user, household=self.household)
        messages.success(request, _("The household was restored."))
        return redirect(self.household)
