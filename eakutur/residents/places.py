"""The commune the public pages serve, and its villages (used by views, forms and the
lookup alike, so it lives outside the views)."""

from households.models import Commune, Village


def public_commune() -> Commune | None:
    """The commune these pages serve: the first one (one commune per deployment until
    communes are hosted side by side)."""
    return Commune.objects.order_by("pk").first()


def public_villages(commune: Commune | None = None):
    """The commune's villages; without ``commune``, the public commune's, as a subquery
    (every resident page asks for its village: no separate query for the commune)."""
    communes = (
        [commune.pk]
        if commune is not None
        else Commune.objects.order_by("pk")[:1].values("pk")
    )
    return Village.objects.filter(commune__in=communes).order_by("sort_order", "name")


def village_from(value, commune: Commune | None = None) -> Village | None:
    """The commune's village with pk ``value`` (any junk gives None, never an error)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return public_villages(commune).filter(pk=pk).select_related("commune").first()
