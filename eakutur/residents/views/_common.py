"""What every resident page shares: the commune it serves, the village the resident
chose (remembered in a cookie, not personal), and the address rate limits key on."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import cached_property

from households.models import Village

from ..places import public_commune, public_villages, village_from

__all__ = [
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
    chosen = village_from(request.GET.get("village"))
    return chosen or village_from(request.COOKIES.get(VILLAGE_COOKIE))


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


def client_address(request: HttpRequest) -> str:
    """The address rate limits key on. REMOTE_ADDR only: a header such as
    X-Forwarded-For is the client's to forge. Behind a reverse proxy, the proxy must
    set REMOTE_ADDR (see the deployment notes)."""
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (no address)


class VillageMixin:
    """Views that show one village's things: ``self.village`` is the remembered one,
    and the response remembers it again (``?village=`` changes it)."""

    request: HttpRequest

    @cached_property
    def village(self) -> Village | None:
        return remembered_village(self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["village"] = self.village
        context["villages"] = public_villages()
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return remember_village(response, self.village)
