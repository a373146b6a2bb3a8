"""Member screens: adding a member to a household, editing one, removing one with a
reason, and making a member the head of household.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .. import selectors, services
from ..forms import ChangeHeadForm, MemberForm
from ..models import Relation
from ._common import ConfirmReasonView, HouseholdScopedMixin, add_service_errors


class MemberCreateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/member_form.html"
    form_class = MemberForm

    def get_initial(self):
        # Most people hold health insurance; the official unticks the exceptions.
        return {
            "ethnic_group": self.household.ethnic_group_id,
            "has_health_insurance": True,
        }

    def form_valid(self, form):
        try:
            services.member_add(
                actor=self.request.user, household=self.household, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added to the household.")
            % {"name": form.cleaned_data["full_name"]},
        )
        return redirect(self.household)


class MemberUpdateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/member_form.html"
    form_class = MemberForm

    def get_member(self):
        if not hasattr(self, "_member"):
            self._member = selectors.member_get_for(
                user=self.request.user,
                household=self.household,
                pk=self.kwargs["member_pk"],
            )
        return self._member

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_member()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.get_member()
        return ctx

    def form_valid(self, form):
        member = selectors.member_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["member_pk"],
        )
        changes = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.member_update(actor=self.request.user, member=member, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was saved."))
        return redirect(self.household)


class MemberRemoveView(ConfirmReasonView):
    allow_archived = False

    def get_member(self):
        return selectors.member_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["member_pk"],
        )

    def get_context_data(self, **kwargs):
        member = self.get_member()
        self.title = _("Remove %(name)s from the household") % {
            "name": member.full_name
        }
        self.button = _("Remove member")
        ctx = super().get_context_data(**kwargs)
        ctx["explanation"] = _(
            "The person is no longer counted as a member; the record and its history are kept."
        )
        return ctx

    def form_valid(self, form):
        try:
            services.member_remove(
                actor=self.request.user,
                member=self.get_member(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was removed."))
        return redirect(self.household)


class ChangeHeadView(ConfirmReasonView):
    """Make a member the head of household, saying what becomes of the current head."""

    allow_archived = False
    form_class = ChangeHeadForm

    def get_member(self):
        member = selectors.member_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["member_pk"],
        )
        if member.relation == Relation.HEAD:
            raise Http404
        return member

    def get_context_data(self, **kwargs):
        member = self.get_member()
        self.title = _("Make %(name)s the head of household") % {
            "name": member.full_name
        }
        self.button = _("Change the head")
        ctx = super().get_context_data(**kwargs)
        ctx["explanation"] = _(
            "%(name)s becomes the head; the household's head name, ID and ethnicity "
            "follow. Say what becomes of %(current)s."
        ) % {"name": member.full_name, "current": self.household.head_name}
        return ctx

    def form_valid(self, form):
        try:
            new_head = services.household_change_head(
                actor=self.request.user,
                new_head=self.get_member(),
                former_head_relation=form.former_head_relation(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now the head of household.") % {"name": new_head.full_name},
        )
        return redirect(self.household)
