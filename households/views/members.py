"""Member screens: adding a member to a household, editing one, removing one with a
reason, and making a member the head of household.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from eakutur.audit.models import SensitiveField
from eakutur.audit.services import audit_read

from .. import services
from ..forms import ChangeHeadForm, MemberForm
from ..models import Relation
from ._common import (
    ConfirmReasonView,
    HouseholdScopedMixin,
    MemberScopedMixin,
    add_service_errors,
)


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


class MemberUpdateView(MemberScopedMixin, FormView):
    template_name = "households/member_form.html"
    form_class = MemberForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.member
        return kwargs

    def get(self, request, *args, **kwargs):
        # The form shows the member's ethnicity and full ID number to edit them.
        shown = [SensitiveField.ETHNICITY]
        if self.member.national_id:
            shown.append(SensitiveField.NATIONAL_ID)
        audit_read(
            actor=request.user,
            instance=self.member,
            parent=self.household,
            fields=shown,
            note=request.path,
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.member
        return ctx

    def form_valid(self, form):
        # The ModelForm has already written the new values onto self.member; the service
        # diffs against the stored row, so it gets a fresh copy.
        member = self.load_member()
        changes = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.member_update(actor=self.request.user, member=member, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was saved."))
        return redirect(self.household)


class MemberRemoveView(MemberScopedMixin, ConfirmReasonView):
    def get_context_data(self, **kwargs):
        member = self.member
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
                member=self.member,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was removed."))
        return redirect(self.household)


class ChangeHeadView(MemberScopedMixin, ConfirmReasonView):
    """Make a member the head of household, saying what becomes of the current head."""

    form_class = ChangeHeadForm

    def load_member(self):
        member = super().load_member()
        if member.relation == Relation.HEAD:
            raise Http404  # already the head: nothing to hand over
        return member

    def get_context_data(self, **kwargs):
        member = self.member
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
                new_head=self.member,
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
