"""Reads of village groups for the group screens, scoped by ``villages_for``."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from households.models import Village
from households.text import fold

from ..models import VillageGroup
from .notices import village_groups_for

ACTIVE = "active"
INACTIVE = "inactive"


@dataclass
class GroupFilters:
    q: str = ""
    village: Village | None = None
    channel: str = ""
    active: str = ""  # "", ACTIVE or INACTIVE


def village_group_list_for(
    user, filters: GroupFilters | None = None
) -> QuerySet[VillageGroup]:
    """The groups of the user's villages, by village then name, filtered.

    The search ignores case and diacritics ("nhom zalo" finds "Nhóm Zalo") and looks in
    the group's and the village's names. Groups are few (a handful per village), so the
    names are folded here rather than in a stored column.
    """
    filters = filters or GroupFilters()
    qs = village_groups_for(user)
    if filters.village is not None:
        qs = qs.filter(village=filters.village)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.active == ACTIVE:
        qs = qs.filter(is_active=True)
    elif filters.active == INACTIVE:
        qs = qs.filter(is_active=False)
    words = fold(filters.q).split()
    if words:
        matching = [
            pk
            for pk, name, village in qs.values_list("pk", "name", "village__name")
            if all(word in fold(f"{name} {village}") for word in words)
        ]
        qs = qs.filter(pk__in=matching)
    return qs.order_by("village__sort_order", "village__name", "name", "pk")


def village_group_get_for(user, pk: int) -> VillageGroup:
    """One group of the user's villages, or 404."""
    try:
        return village_groups_for(user).get(pk=pk)
    except VillageGroup.DoesNotExist:
        raise Http404 from None
