"""What a dashboard counts: the villages (all the user may see, or one chosen), the
head of household's ethnic group if chosen, the period, and "today" (for the figures
that look back from now, such as reach in the last 90 days)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from households.models import Household, Village
from households.selectors import villages_for

from .periods import Period


@dataclass(frozen=True)
class DashboardScope:
    period: Period
    today: date
    village_ids: tuple[int, ...]  # the villages counted, in display order
    whole_commune: bool  # True when every village of the commune is counted
    ethnic_group_id: int | None = None

    @classmethod
    def for_user(
        cls,
        user,
        *,
        period: Period,
        today: date,
        village: Village | None = None,
        ethnic_group_id: int | None = None,
    ) -> "DashboardScope":
        """The user's villages (a village officer: their own), narrowed to ``village``
        if given (it must be one of them, else nothing is counted)."""
        mine = list(
            villages_for(user)
            .order_by("sort_order", "name")
            .values_list("pk", flat=True)
        )
        if village is not None:
            ids = (village.pk,) if village.pk in mine else ()
        else:
            ids = tuple(mine)
        whole = village is None and bool(user.is_superuser or user.is_commune_wide)
        return cls(period, today, ids, whole, ethnic_group_id)

    def household_q(self, prefix: str = "") -> Q:
        """Households in scope, as a filter on ``<prefix>`` (e.g. "household__")."""
        q = Q(**{f"{prefix}village_id__in": self.village_ids})
        if self.ethnic_group_id is not None:
            q &= Q(**{f"{prefix}ethnic_group_id": self.ethnic_group_id})
        return q

    def households(self) -> QuerySet[Household]:
        """The active households counted."""
        return Household.objects.active().filter(self.household_q())

    def villages(self) -> list[Village]:
        """The villages counted, in display order (1 query)."""
        by_pk = Village.objects.in_bulk(self.village_ids)
        return [by_pk[pk] for pk in self.village_ids if pk in by_pk]
