"""Village-group screens: the list (addresses masked), adding and editing a group, and
switching it off or on again.

Commune officials manage every village of their commune, a village officer their own
villages; every group URL loads the group through ``village_group_get_for``, so another
village's group is a 404 whatever the action. Groups are not deleted here: a group a
notice went to is protected by its deliveries, and any group can be switched off.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from eakutur.audit.selectors import audit_history_for
from households.selectors import villages_for
from households.views._common import StaffMixin, add_service_errors, initial_village

from .. import selectors, services
from ..forms import VillageGroupFilterForm, VillageGroupForm
from ._common import mask_address

__all__ = [
    "GroupCreateView",
    "GroupListView",
    "GroupSetActiveView",
    "GroupUpdateView",
]


class GroupListView(StaffMixin, ListView):
    template_name = "outreach/group_list.html"
    context_object_name = "groups"
    paginate_by = 50

    @cached_property
    def filter_form(self) -> VillageGroupFilterForm:
        return VillageGroupFilterForm(
            self.request.GET or None, villages=villages_for(self.request.user)
        )

    def get_queryset(self):
        return selectors.village_group_list_for(
            self.request.user, self.filter_form.to_filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["groups"] = list(page.object_list)
        for group in ctx["groups"]:
            group.masked_address = mask_address(group.external_id)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            can_create=villages_for(self.request.user).exists(),
        )
        return ctx


class GroupScopedMixin(StaffMixin):
    """Loads ``self.group`` through the scoped selector before anything else runs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = selectors.village_group_get_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class GroupCreateView(StaffMixin, FormView):
    template_name = "outreach/group_form.html"
    form_class = VillageGroupForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        villages = villages_for(self.request.user)
        kwargs["villages"] = villages
        village = initial_village(self.request, villages)
        if village:
            kwargs.setdefault("initial", {})["village"] = village
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            group = services.village_group_create(
                actor=self.request.user,
                village=data["village"],
                channel=data["channel"],
                name=data["name"],
                external_id=data["external_id"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The group %(name)s of %(village)s was added.")
            % {"name": group.name, "village": group.village.name},
        )
        return redirect(f"{_list_url()}?village={group.village_id}")


class GroupUpdateView(GroupScopedMixin, FormView):
    """The only screen that shows a group's full address (the list masks it)."""

    template_name = "outreach/group_form.html"
    form_class = VillageGroupForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.group
        kwargs["villages"] = villages_for(self.request.user)
        kwargs["used"] = self.delivery_count > 0
        return kwargs

    @cached_property
    def delivery_count(self) -> int:
        return self.group.deliveries.count()

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(self.request, _("Nothing was changed."))
            return redirect(_list_url())
        try:
            services.village_group_update(
                actor=self.request.user, group=self.group, changes=changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The group was saved."))
        return redirect(f"{_list_url()}?village={self.group.village_id}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"] = self.group
        ctx["delivery_count"] = self.delivery_count
        ctx["history"] = audit_history_for(instance=self.group, limit=20)
        return ctx


class GroupSetActiveView(GroupScopedMixin, View):
    """POST only: ``active=1`` switches the group on, anything else off."""

    http_method_names = ["post"]

    def post(self, request, pk):
        is_active = request.POST.get("active") == "1"
        try:
            group = services.village_group_set_active(
                actor=request.user, group=self.group, is_active=is_active
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("outreach:group_update", pk=self.group.pk)
        if group.is_active:
            messages.success(
                request,
                _("%(name)s is active again: notices go to it.") % {"name": group.name},
            )
        else:
            messages.success(
                request,
                _(
                    "%(name)s is switched off: new notices no longer go to it. "
                    "Notices already sent to it are kept."
                )
                % {"name": group.name},
            )
        return redirect("outreach:group_update", pk=group.pk)


def _list_url() -> str:
    return reverse("outreach:group_list")
