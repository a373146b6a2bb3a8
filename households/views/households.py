"""Household screens: the filtered list and its xlsx export, registering a household, its
detail page with history, editing it, archiving it with a reason and restoring it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from eakutur.audit.selectors import audit_history_for

from .. import selectors, services
from ..forms import HouseholdFilterForm, HouseholdForm
from ..panels import household_panels
from ._common import (
    ConfirmReasonView,
    HouseholdScopedMixin,
    StaffMixin,
    add_service_errors,
    xlsx_response,
)


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
        return xlsx_response(
            households_xlsx(households=households), f"ho-gia-dinh-{stamp}.xlsx"
        )


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
    template_name = "households/household_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        household = selectors.household_detail_for(
            user=self.request.user, pk=kwargs["pk"]
        )
        ctx["household"] = household
        ctx["history"] = audit_history_for(instance=household, limit=50)
        ctx["panels"] = household_panels(user=self.request.user, household=household)
        ctx["this_year"] = timezone.localdate().year
        ctx["reviewed_this_year"] = any(
            r.year == ctx["this_year"] for r in household.review_history
        )
        return ctx


class HouseholdUpdateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/household_form.html"
    form_class = HouseholdForm

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
