"""Reads of notices and village groups, scoped to what the user may see.

A commune-wide role sees its commune's notices. A village officer sees the notices they
wrote and the approved notices that reach one of their villages, and of a notice's
deliveries only those to their villages' groups. Anything else is a 404.
"""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from households.selectors import villages_for

from .models import (
    Audience,
    Delivery,
    DeliveryStatus,
    Notice,
    NoticeStatus,
    VillageGroup,
)

# Another author's notice is visible to a village officer once it is approved.
VISIBLE_TO_VILLAGES = (
    NoticeStatus.SCHEDULED,
    NoticeStatus.DISPATCHED,
    NoticeStatus.DONE,
    NoticeStatus.EXPIRED,
)


def village_groups_for(user) -> QuerySet[VillageGroup]:
    return VillageGroup.objects.filter(
        village__in=villages_for(user).values("pk")
    ).select_related("village")


def notices_for(user) -> QuerySet[Notice]:
    if not user.is_authenticated or not user.is_active:
        return Notice.objects.none()
    qs = Notice.objects.select_related("author", "approved_by", "commune")
    if user.is_superuser:
        return qs
    qs = qs.filter(commune_id=user.commune_id)
    if user.is_commune_wide:
        return qs
    mine = villages_for(user)
    reaches_mine = Q(audience=Audience.ALL_VILLAGES) | Q(
        audience=Audience.CHOSEN_VILLAGES,
        pk__in=Notice.villages.through.objects.filter(
            village__in=mine.values("pk")
        ).values("notice_id"),
    )
    if mine.filter(is_ethnic_minority=True).exists():
        reaches_mine |= Q(audience=Audience.ETHNIC_MINORITY_VILLAGES)
    return qs.filter(
        Q(author=user) | (reaches_mine & Q(status__in=VISIBLE_TO_VILLAGES))
    )


def notice_get_for(user, pk: int) -> Notice:
    """One notice the user may see, with its villages, or 404."""
    try:
        return (
            notices_for(user)
            .prefetch_related("villages", "second_language_villages")
            .get(pk=pk)
        )
    except Notice.DoesNotExist:
        raise Http404 from None


def deliveries_of(notice: Notice, user) -> QuerySet[Delivery]:
    """A notice's deliveries the user may see, ordered by village."""
    qs = notice.deliveries.select_related("group__village")
    if not user.is_superuser and not user.is_commune_wide:
        qs = qs.filter(group__village__in=villages_for(user).values("pk"))
    return qs.order_by("group__village__sort_order", "group__village__name", "pk")


def delivery_counts(notice: Notice) -> dict[str, int]:
    """How many deliveries of the notice are in each status (every status present)."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    rows = notice.deliveries.values("status").annotate(n=Count("pk")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
