"""Village screens: the list with status counts, a village's detail page, and adding or
editing villages (commune-wide roles only).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from eakutur.audit.selectors import audit_history_for

from .. import selectors, services
from ..forms import VillageForm
from ..models import PovertyStatus
from ._common import CommuneWideMixin, StaffMixin, add_service_errors


class VillageListView(StaffMixin, TemplateView):
    template_name = "households/village_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        villages = selectors.village_list_for(user=self.request.user)
        ctx["villages"] = villages
        ctx["totals"] = selectors.village_totals(villages)
        return ctx


class VillageCreateView(CommuneWideMixin, FormView):
    template_name = "households/village_form.html"
    form_class = VillageForm

    def form_valid(self, form):
        try:
            village = services.village_create(
                actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s was added.") % {"name": village.name}
        )
        return redirect(village)


class VillageUpdateView(CommuneWideMixin, FormView):
    template_name = "households/village_form.html"
    form_class = VillageForm

    def get_village(self):
        return selectors.village_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_village()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["village"] = self.get_village()
        return ctx

    def form_valid(self, form):
        village = self.get_village()
        changes = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.village_update(actor=self.request.user, village=village, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The village was saved."))
        return redirect(village)


class VillageDetailView(StaffMixin, TemplateView):
    template_name = "households/village_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        village = selectors.village_get_for(user=self.request.user, pk=kwargs["pk"])
        counts = selectors.village_status_counts(village=village)
        ctx["village"] = village
        ctx["status_rows"] = [
            (value, label, counts.get(value, 0))
            for value, label in PovertyStatus.choices
        ]
        ctx["unreviewed"] = counts.get("", 0)
        ctx["total"] = sum(counts.values())
        ctx["officers"] = village.officers.filter(is_active=True).order_by("full_name")
        ctx["history"] = audit_history_for(instance=village, limit=20)
        return ctx
