"""What every registry screen shares: putting a service's ValidationError on a form, the
xlsx download response, and the mixins that require a signed-in official, load the
household through the scoped selector, ask for a reason, or admit commune-wide roles only.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.functional import cached_property
from django.views.generic import FormView

from .. import selectors
from ..forms import ReasonForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StaffMixin(LoginRequiredMixin):
    """Every registry page needs a signed-in official."""


class HouseholdScopedMixin(StaffMixin):
    """Loads ``self.household`` through the scoped selector before anything else runs.

    Views that change an active household set ``allow_archived = False``: an archived
    household is then a 404 for GET and POST alike.
    """

    allow_archived = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.household = selectors.household_get_for(user=request.user, pk=kwargs["pk"])
        if not self.allow_archived and not self.household.is_active:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["household"] = self.household
        return ctx


class MemberScopedMixin(HouseholdScopedMixin):
    """Adds ``self.member``: an active member of the (active) household, or 404."""

    allow_archived = False

    def load_member(self):
        return selectors.member_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["member_pk"],
        )

    @cached_property
    def member(self):
        return self.load_member()


class ConfirmReasonView(HouseholdScopedMixin, FormView):
    """GET shows a confirmation page asking for a reason; POST performs the action."""

    template_name = "households/confirm_reason.html"
    form_class = ReasonForm
    title = ""
    button = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"], ctx["button"] = self.title, self.button
        return ctx


class CommuneWideMixin(StaffMixin):
    """Pages that change the commune's own set-up: commune admins and officials only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_commune_wide:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def initial_village(request, villages) -> int | None:
    """The village a "new …" form starts with: ``?village=<pk>`` if given, else the
    user's only village (a village officer of one village has nothing to choose). The
    form's own choices still decide what may be saved."""
    village = request.GET.get("village")
    if village and village.isdigit():
        return int(village)
    only = list(villages.values_list("pk", flat=True)[:2])
    return only[0] if len(only) == 1 else None
