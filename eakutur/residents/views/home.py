"""The public home page and the choice of village (remembered in a cookie)."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from households.models import VillageKind

from ..public import (
    UPCOMING_SHOWN,
    public_notices,
    public_sessions,
    with_request_state,
)
from ..selectors import village_helpers
from ._common import VillageMixin, public_villages, remember_village, village_from


class HomeView(VillageMixin, TemplateView):
    """Where every visit starts: the check button, the resident's village, its next
    trainings, latest notices and the people who can help."""

    template_name = "residents/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"] = with_request_state(
            public_sessions(self.commune, self.village)[:UPCOMING_SHOWN]
        )
        context["notices"] = list(
            public_notices(self.commune, self.village)[:UPCOMING_SHOWN]
        )
        context["helpers"] = village_helpers(self.village)
        return context


class ChooseVillageView(VillageMixin, TemplateView):
    """The list of the commune's villages; choosing one (POST, or ``?village=`` from
    the small picker form) remembers it and goes back to the page the resident was on."""

    template_name = "residents/choose_village.html"

    def get(self, request, *args, **kwargs):
        if "village" in request.GET:
            return self._choose(request.GET["village"], request.GET.get("next"))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._choose(request.POST.get("village"), request.POST.get("next"))

    def _choose(self, value, next_url):
        chosen = village_from(self.request, value)
        if chosen is None:
            context = self.get_context_data(
                error=_("Choose your village from the list.")
            )
            return self.render_to_response(context)
        response = HttpResponseRedirect(self._safe_next(next_url))
        return remember_village(response, chosen)

    def _safe_next(self, next_url) -> str:
        """Back to a page of this site only: an address from a link must not send the
        resident to another site."""
        if (
            next_url
            and next_url.startswith("/")
            and url_has_allowed_host_and_scheme(
                next_url,
                allowed_hosts={self.request.get_host()},
                require_https=self.request.is_secure(),
            )
        ):
            return next_url
        return reverse("residents:home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        villages = list(public_villages(self.request))
        context["groups"] = [
            (label, [v for v in villages if v.kind == kind])
            for kind, label in (
                (VillageKind.THON, _("Villages (thôn)")),
                (VillageKind.BUON, _("Hamlets (buôn)")),
            )
            if any(v.kind == kind for v in villages)
        ]
        context["next"] = self._next_param()
        return context

    def _next_param(self) -> str:
        value = self.request.POST.get("next") or self.request.GET.get("next") or ""
        return value if value and self._safe_next(value) == value else ""
