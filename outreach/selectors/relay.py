"""Reads of relay deliveries (the notices a village officer forwards by hand), scoped by
``villages_for``: a village officer sees the relays of their villages, a commune-wide
official those of the whole commune. Anything else is a 404."""

from datetime import timedelta

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from households.models import Village
from households.selectors import villages_for

from ..models import Delivery, DeliveryStatus, GroupChannel, NoticeStatus

# "Forwarded recently" on the relay page: what the officer confirmed this past week.
RECENT_DAYS = 7


def relays_for(user) -> QuerySet[Delivery]:
    """Every relay delivery the user may see, whatever its status."""
    if not user.is_authenticated or not user.is_active:
        return Delivery.objects.none()
    return Delivery.objects.filter(
        group__channel=GroupChannel.RELAY,
        group__village__in=villages_for(user).values("pk"),
    ).select_related("notice", "group__village", "confirmed_by")


def relays_waiting_for(user, *, village: Village | None = None) -> QuerySet[Delivery]:
    """Relays waiting for a village officer to forward them, longest waiting first,
    each with ``waiting_since``. A relay of a notice no longer being sent is not listed.
    """
    qs = relays_for(user).filter(
        status=DeliveryStatus.QUEUED, notice__status=NoticeStatus.DISPATCHED
    )
    if village is not None:
        qs = qs.filter(group__village=village)
    return qs.annotate(
        waiting_since=Coalesce("next_attempt_at", "created_at")
    ).order_by("waiting_since", "pk")


def relay_waiting_count(user) -> int:
    return relays_waiting_for(user).count()


def relays_forwarded_recently(
    user, *, village: Village | None = None, limit: int = 10
) -> list[Delivery]:
    """The latest relays confirmed in the past week, newest first."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    qs = relays_for(user).filter(status=DeliveryStatus.SENT, sent_at__gte=since)
    if village is not None:
        qs = qs.filter(group__village=village)
    return list(qs.order_by("-sent_at", "-pk")[:limit])


def relay_get_for(user, pk: int) -> Delivery:
    """One relay delivery of the user's villages (any status), or 404."""
    try:
        return relays_for(user).get(pk=pk)
    except Delivery.DoesNotExist:
        raise Http404 from None
