"""The commune the public pages serve, and its villages (used by views, forms and the
lookup alike, so it lives outside the views).

The commune comes from the request's host name: the commune whose ``hostname`` it is,
or, on a deployment with a single commune, that commune whatever the host (``make run``
and a one-commune production need no setting). With several communes, a host that is
none of theirs serves no commune, and the pages answer 404. Which hosts reach the
application at all is still ``ALLOWED_HOSTS``'s business.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port

from households.models import Commune, Village

# The served commune, once known, on the request: the pages ask for it several times.
_MEMO = "_public_commune"


def request_host(request: HttpRequest) -> str:
    """The host name the resident typed, lower-case, without the port."""
    domain, _port = split_domain_port(request.get_host())
    return domain


def served_communes(request: HttpRequest) -> QuerySet[Commune]:
    """The commune the request's host serves, as a queryset of at most one row: the one
    whose host name it is, or the only commune there is. Lazy, so that used as a
    subquery it costs no query of its own."""
    others = Commune.objects.exclude(pk=OuterRef("pk"))
    return Commune.objects.filter(Q(hostname=request_host(request)) | ~Exists(others))


def public_commune(request: HttpRequest) -> Commune | None:
    """The commune these pages serve, or None when the host serves none (one query the
    first time, none once a village of it was found)."""
    if not hasattr(request, _MEMO):
        setattr(request, _MEMO, served_communes(request).first())
    return getattr(request, _MEMO)


def public_commune_or_404(request: HttpRequest) -> Commune:
    commune = public_commune(request)
    if commune is None:
        raise Http404("This host serves no commune.")
    return commune


def public_villages(request: HttpRequest) -> QuerySet[Village]:
    """The served commune's villages, the commune as a subquery (every resident page
    asks for its village: no separate query for the commune)."""
    communes = served_communes(request).values("pk")
    return Village.objects.filter(commune__in=communes).order_by("sort_order", "name")


def village_from(request: HttpRequest, value) -> Village | None:
    """The served commune's village with pk ``value`` (any junk gives None, never an
    error). A village found tells the commune too: it is remembered on the request."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    village = public_villages(request).filter(pk=pk).select_related("commune").first()
    if village is not None:
        setattr(request, _MEMO, village.commune)
    return village
