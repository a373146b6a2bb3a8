"""The digital team screens: every village with its team (or "no team yet") and the
commune's totals, setting up and correcting a team, and the team's page with its members
(add, change, "left the team").

Anyone who sees a village may look after its team: a commune-wide official for the whole
commune, a village officer for their own villages (``households.selectors.villages_for``).
Another village's team is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from households.selectors import village_get_for
from households.views._common import add_service_errors

from .. import selectors, services
from ..forms import MemberLeaveForm, TeamForm, TeamMemberForm
from .contacts import OutreachTabsMixin

__all__ = [
    "MemberAddView",
    "MemberLeaveView",
    "MemberUpdateView",
    "TeamCreateView",
    "TeamDetailView",
    "TeamListView",
    "TeamUpdateView",
]


class TeamsTabMixin(OutreachTabsMixin):
    outreach_tab = "teams"


def team_url(team) -> str:
    return reverse("contacts:team_detail", args=[team.pk])


class TeamListView(TeamsTabMixin, TemplateView):
    template_name = "outreach/team_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            rows=selectors.team_rows_for(user),
            totals=selectors.team_totals(user),
        )
        return ctx


class TeamCreateView(TeamsTabMixin, FormView):
    """Set up the team of the village given as ``?village=<pk>``."""

    template_name = "outreach/team_form.html"
    form_class = TeamForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.village = village_get_for(
            user=request.user, pk=request.GET.get("village") or 0
        )
        existing = selectors.team_of_village(request.user, self.village.pk)
        if existing is not None:
            messages.info(
                request,
                _("%(village)s already has a digital team.")
                % {"village": self.village.name},
            )
            return redirect(team_url(existing))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            village=self.village,
            title=_("Set up the digital team of %(village)s")
            % {"village": self.village.name},
            cancel_url=reverse("contacts:team_list"),
        )
        return ctx

    def form_valid(self, form):
        try:
            team = services.team_create(
                actor=self.request.user, village=self.village, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The digital team of %(village)s is set up. Now add its members.")
            % {"village": self.village.name},
        )
        return redirect(team_url(team))


class TeamScopedMixin(TeamsTabMixin):
    """Loads ``self.team`` through the scoped selector before anything else runs: a team
    of another village is a 404 for GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.team = selectors.team_get_for(request.user, kwargs["pk"])
        refusal = self.load(request, **kwargs)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def load(self, request, **kwargs):
        """Load more of the team, or return a response that ends the request."""
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(team=self.team, team_url=team_url(self.team))
        return ctx


class TeamDetailView(TeamScopedMixin, TemplateView):
    template_name = "outreach/team_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        members = selectors.team_members(self.team)
        ctx.update(
            members=members["current"],
            former_members=members["former"],
            list_url=reverse("contacts:team_list"),
        )
        return ctx


class TeamUpdateView(TeamScopedMixin, FormView):
    template_name = "outreach/team_form.html"
    form_class = TeamForm

    def get_initial(self):
        return TeamForm.initial_for(self.team)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            village=self.team.village,
            title=_("Change the team's details"),
            cancel_url=team_url(self.team),
        )
        return ctx

    def form_valid(self, form):
        try:
            services.team_update(
                actor=self.request.user, team=self.team, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The team's details are saved."))
        return redirect(team_url(self.team))


class MemberAddView(TeamScopedMixin, FormView):
    """POST with ``action=another`` saves and opens an empty form again, so a team's
    members are typed one after another."""

    template_name = "outreach/team_member_form.html"
    form_class = TeamMemberForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "accounts": selectors.team_accounts_for(self.team),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=_("Add a member"), adding=True)
        return ctx

    def form_valid(self, form):
        try:
            member = services.member_add(
                actor=self.request.user, team=self.team, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is added to the team.") % {"name": member.full_name},
        )
        if self.request.POST.get("action") == "another":
            return redirect("contacts:team_member_add", pk=self.team.pk)
        return redirect(team_url(self.team))


class MemberScopedMixin(TeamScopedMixin):
    """Adds ``self.member``, a member of the team (or 404). A member who left is kept as
    they were: their pages send back to the team with a word why."""

    def load(self, request, **kwargs):
        self.member = selectors.team_member_get_for(
            request.user, self.team, kwargs["member_pk"]
        )
        if self.member.left_on is not None:
            messages.warning(
                request,
                _("%(name)s left the team on %(date)s; the record is kept as it was.")
                % {
                    "name": self.member.full_name,
                    "date": self.member.left_on.strftime("%d/%m/%Y"),
                },
            )
            return redirect(team_url(self.team))
        return None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.member
        return ctx


class MemberUpdateView(MemberScopedMixin, FormView):
    template_name = "outreach/team_member_form.html"
    form_class = TeamMemberForm

    def get_initial(self):
        return TeamMemberForm.initial_for(self.member)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "accounts": selectors.team_accounts_for(self.team),
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Change %(name)s") % {"name": self.member.full_name}
        return ctx

    def form_valid(self, form):
        try:
            services.member_update(
                actor=self.request.user, member=self.member, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member's details are saved."))
        return redirect(team_url(self.team))


class MemberLeaveView(MemberScopedMixin, FormView):
    template_name = "outreach/team_member_leave.html"
    form_class = MemberLeaveForm

    @cached_property
    def is_leader(self) -> bool:
        return self.member.role == "leader"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_leader"] = self.is_leader
        return ctx

    def form_valid(self, form):
        try:
            services.member_leave(
                actor=self.request.user,
                member=self.member,
                left_on=form.cleaned_data["left_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        text = _("%(name)s left the team on %(date)s.") % {
            "name": self.member.full_name,
            "date": form.cleaned_data["left_on"].strftime("%d/%m/%Y"),
        }
        if self.is_leader:
            text += " " + _("The team has no leader now: choose a new one.")
        messages.success(self.request, text)
        return redirect(team_url(self.team))
