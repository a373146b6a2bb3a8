"""What every resident page shares: the commune it serves (from the host name), the
village the resident chose (remembered in a cookie, not personal), and the address rate
limits key on."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from eakutur.clientip import client_address
from households.models import Commune, Village

from ..places import (
    public_commune,
    public_commune_or_404,
    public_villages,
    village_from,
)

__all__ = [
    "CommunePageMixin",
    "VillageMixin",
    "client_address",
    "public_commune",
    "public_villages",
    "remember_village",
    "remembered_village",
    "village_from",
]

VILLAGE_COOKIE = "village"
VILLAGE_COOKIE_AGE = 365 * 24 * 3600


def remembered_village(request: HttpRequest) -> Village | None:
    """``?village=`` if given and valid, else the village the resident chose before."""
    chosen = village_from(request, request.GET.get("village"))
    return chosen or village_from(request, request.COOKIES.get(VILLAGE_COOKIE))


def remember_village(response: HttpResponse, village: Village | None) -> HttpResponse:
    if village is not None:
        response.set_cookie(
            VILLAGE_COOKIE,
            str(village.pk),
            max_age=VILLAGE_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


class CommunePageMixin:
    """Every resident page: ``self.commune`` is the commune the host serves. A host that
    serves none (several communes, and it is none of theirs) gets a 404 before
    anything is read or written (in ``setup``, before any view's own ``dispatch``)."""

    request: HttpRequest
    commune: Commune

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.commune = public_commune_or_404(request)


class VillageMixin(CommunePageMixin):
    """Views that show one village's things: ``self.village`` is the remembered one,
    and the response remembers it again (``?village=`` changes it)."""

    village: Village | None

    def setup(self, request, *args, **kwargs):
        # The village before the commune: a village found brings its commune along,
        # so the commune costs no query of its own.
        self.village = remembered_village(request)
        super().setup(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["village"] = self.village
        context["villages"] = public_villages(self.request)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return remember_village(response, self.village)
