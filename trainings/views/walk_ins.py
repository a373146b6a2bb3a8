"""Walk-ins to match: the unmatched walk-ins of the user's villages, each with the people
of the registry it may be. "This is …" links the walk-in to that member; "Add to the
registry" creates a household with the walk-in as its head. The services make sure
nothing is duplicated (a member already enrolled in the same session is refused).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView

from households.selectors import household_get_for, member_get_for
from households.views._common import add_service_errors

from .. import selectors, services
from ..forms.enrolments import WalkInMatchForm, WalkInRegistryForm
from ._common import ENROLMENT_BADGES, TrainingsTabsMixin

__all__ = ["WalkInAddView", "WalkInListView", "WalkInMatchView"]

REASON_LABELS = {
    "name": gettext_lazy("same name"),
    "similar_name": gettext_lazy("similar name"),
    "birth_year": gettext_lazy("same birth year"),
    "phone": gettext_lazy("same phone"),
    "village": gettext_lazy("same village"),
}


class WalkInListView(TrainingsTabsMixin, ListView):
    template_name = "trainings/walk_in_list.html"
    context_object_name = "walk_ins"
    paginate_by = 30
    trainings_tab = "walk_ins"

    def get_queryset(self):
        return selectors.walk_ins_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["walk_ins"] = list(page.object_list)
        suggestions = selectors.walk_in_suggestions(ctx["walk_ins"], self.request.user)
        for walk_in in ctx["walk_ins"]:
            walk_in.badge = ENROLMENT_BADGES.get(walk_in.status, "text-bg-light")
            walk_in.suggestions = [
                {
                    "member": s.member,
                    "reasons": [str(REASON_LABELS[r]) for r in s.reasons],
                }
                for s in suggestions.get(walk_in.pk, [])
            ]
        ctx["querystring"] = ""
        return ctx


class _WalkInMixin(TrainingsTabsMixin):
    trainings_tab = "walk_ins"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.walk_in = selectors.walk_in_get_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class WalkInMatchView(_WalkInMixin, View):
    """POST from a suggestion's "This is …" button."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = WalkInMatchForm(request.POST)
        if not form.is_valid():
            raise Http404
        household = household_get_for(
            user=request.user, pk=form.cleaned_data["household"], include_archived=False
        )
        member = member_get_for(
            user=request.user, household=household, pk=form.cleaned_data["member"]
        )
        name = self.walk_in.full_name
        try:
            services.walk_in_match(
                actor=request.user, enrolment=self.walk_in, member=member
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("trainings:walk_in_list")
        messages.success(
            request,
            _("%(walk_in)s is now recorded as %(name)s of household %(code)s.")
            % {"walk_in": name, "name": member.full_name, "code": household.code},
        )
        return redirect("trainings:walk_in_list")


class WalkInAddView(_WalkInMixin, FormView):
    """The walk-in becomes the head of a new household of their village."""

    template_name = "trainings/walk_in_add.html"
    form_class = WalkInRegistryForm

    def get_initial(self):
        return WalkInRegistryForm.initial_for(self.walk_in)

    @cached_property
    def suggestions(self) -> list:
        found = selectors.walk_in_suggestions([self.walk_in], self.request.user)
        return [
            {"member": s.member, "reasons": [str(REASON_LABELS[r]) for r in s.reasons]}
            for s in found.get(self.walk_in.pk, [])
        ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.walk_in.suggestions = self.suggestions
        ctx.update(walk_in=self.walk_in, suggestions=self.suggestions)
        return ctx

    def form_valid(self, form):
        try:
            enrolment = services.walk_in_add_to_registry(
                actor=self.request.user, enrolment=self.walk_in, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        household = enrolment.household
        messages.success(
            self.request,
            _("%(name)s was added to the registry as the head of household %(code)s.")
            % {"name": enrolment.full_name, "code": household.code},
        )
        return redirect(reverse("households:household_detail", args=[household.pk]))
