"""Savings groups: the list, members, loans, and households that may join."""

from django.db.models import Count, Q, QuerySet

from households.models import Household, Village
from households.selectors import households_for, villages_for
from households.text import fold

from ..models import (
    Loan,
    LoanStatus,
    SavingsGroup,
)
from .scope import loans_for, savings_groups_for

# --- Savings groups -------------------------------------------------------------------


def savings_group_list_for(*, user, village: int | None = None, q: str = ""):
    qs = savings_groups_for(user)
    if village:
        qs = qs.filter(village_id=village)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return (
        qs.select_related("village")
        .annotate(
            member_count=Count("members", distinct=True),
            open_loans=Count(
                "loans", filter=Q(loans__status=LoanStatus.DISBURSED), distinct=True
            ),
        )
        .order_by("village__sort_order", "village__name", "name")
    )


def savings_group_members(group: SavingsGroup, *, user) -> QuerySet[Household]:
    """The group's member households the user may see: a member that has moved to a
    village outside the user's scope is not shown to them (nor its loans below)."""
    return (
        group.members.filter(village__in=villages_for(user).values("pk"))
        .select_related("village")
        .order_by("code")
    )


def savings_group_loans(group: SavingsGroup, *, user) -> QuerySet[Loan]:
    return (
        loans_for(user)
        .filter(savings_group=group)
        .select_related("household", "program")
        .order_by("-applied_on", "-id")
    )


def savings_groups_of_village(village: Village) -> QuerySet[SavingsGroup]:
    return SavingsGroup.objects.active().filter(village=village).order_by("name")


def household_choices_for(
    *, user, q: str, village: int | None = None, limit: int = 20
) -> QuerySet[Household]:
    """Households matching a code or name, for adding members to a group."""
    qs = households_for(user)
    if village:
        qs = qs.filter(village_id=village)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("village").order_by("code")[:limit]
