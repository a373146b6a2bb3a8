"""Reads of notices and village groups, scoped to what the user may see.

A commune-wide role sees its commune's notices. A village officer sees the notices they
wrote and the approved notices that reach one of their villages, and of a notice's
deliveries only those to their villages' groups. Anything else is a 404.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from households.models import Village
from households.selectors import villages_for
from households.text import fold

from ..models import (
    Audience,
    Delivery,
    DeliveryStatus,
    GroupChannel,
    Notice,
    NoticeStatus,
    VillageGroup,
)
from ..services import audience_villages, notice_text

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
    qs = notice.deliveries.select_related("group__village", "confirmed_by")
    if not user.is_superuser and not user.is_commune_wide:
        qs = qs.filter(group__village__in=villages_for(user).values("pk"))
    return qs.order_by("group__village__sort_order", "group__village__name", "pk")


def delivery_counts(notice: Notice) -> dict[str, int]:
    """How many deliveries of the notice are in each status (every status present)."""
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    rows = notice.deliveries.values("status").annotate(n=Count("pk")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- The screens' reads ----------------------------------------------------------------


@dataclass
class NoticeFilters:
    q: str = ""
    status: str = ""
    village: Village | None = None


def _sees_every_village(user) -> bool:
    return user.is_superuser or user.is_commune_wide


def notice_list_for(user, filters: NoticeFilters | None = None) -> QuerySet[Notice]:
    """The notices list: newest first, filtered, each with the number of its chosen
    villages and of its deliveries the user may see (all, sent, failed), in one query.

    The title search ignores case and diacritics ("hop thon" finds "Họp thôn"): each
    word is looked up in the folded title column.
    """
    filters = filters or NoticeFilters()
    qs = notices_for(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.village is not None:
        village = filters.village
        reaches = Q(audience=Audience.ALL_VILLAGES) | Q(
            audience=Audience.CHOSEN_VILLAGES,
            pk__in=Notice.villages.through.objects.filter(village_id=village.pk).values(
                "notice_id"
            ),
        )
        if village.is_ethnic_minority:
            reaches |= Q(audience=Audience.ETHNIC_MINORITY_VILLAGES)
        qs = qs.filter(reaches)
    for word in fold(filters.q).split():
        qs = qs.filter(title_folded__contains=word)
    visible = Q()
    if not _sees_every_village(user):
        visible = Q(deliveries__group__village__in=villages_for(user).values("pk"))
    chosen = (
        Notice.villages.through.objects.filter(notice_id=OuterRef("pk"))
        .order_by()
        .values("notice_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        village_count=Coalesce(Subquery(chosen, output_field=IntegerField()), 0),
        delivery_total=Count("deliveries", filter=visible),
        delivery_sent=Count(
            "deliveries", filter=visible & Q(deliveries__status=DeliveryStatus.SENT)
        ),
        delivery_failed=Count(
            "deliveries", filter=visible & Q(deliveries__status=DeliveryStatus.FAILED)
        ),
    ).order_by("-created_at", "-pk")  # an aggregate drops Meta.ordering


@dataclass(frozen=True)
class PreviewRow:
    village: Village
    groups: int
    text: str
    second_language: bool


def notice_preview(
    *,
    commune_id: int,
    audience: str,
    chosen: Iterable[Village] = (),
    title: str,
    body: str,
    second_language: str = "",
    body_second: str = "",
    second_language_villages: Iterable[Village] = (),
) -> list[PreviewRow]:
    """Per village the notice reaches: its active groups and the exact text it gets."""
    unsaved = Notice(
        title=title,
        body=body,
        second_language=second_language.strip(),
        body_second=body_second,
    )
    second = {v.pk for v in second_language_villages}
    villages = (
        audience_villages(
            commune_id=commune_id, audience=audience, chosen=[v.pk for v in chosen]
        )
        .annotate(
            active_groups=Count(
                "notice_groups", filter=Q(notice_groups__is_active=True)
            )
        )
        .order_by("sort_order", "name")
    )
    rows = []
    for village in villages:
        with_second = bool(unsaved.second_language) and village.pk in second
        rows.append(
            PreviewRow(
                village=village,
                groups=village.active_groups,
                text=notice_text(unsaved, with_second_language=with_second),
                second_language=with_second,
            )
        )
    return rows


def console_outbox_for(user) -> QuerySet[Delivery]:
    """What the console channel (the developer's) "sent": commune-wide users only,
    newest first."""
    if not (user.is_authenticated and user.is_active and user.is_commune_wide):
        return Delivery.objects.none()
    qs = Delivery.objects.filter(group__channel=GroupChannel.CONSOLE).select_related(
        "notice", "group__village"
    )
    if not user.is_superuser:
        qs = qs.filter(notice__commune_id=user.commune_id)
    return qs.order_by("-pk")
