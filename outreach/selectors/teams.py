"""Reads of the digital teams, scoped to the villages the user may see.

The list of teams is a list of villages: a village without a team shows as "no team yet".
Each row carries its counts (active members, Youth Union members) and its leader's name
and phone as annotations, so the whole list is one query however many villages there are.
"""

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from households.models import Village
from households.selectors import villages_for

from ..models import DigitalTeam, TeamMember, TeamRole

_ROLE_ORDER = {TeamRole.LEADER: 0, TeamRole.DEPUTY: 1, TeamRole.MEMBER: 2}


def _member_count(team_ref: str, *extra: Q) -> Subquery:
    condition = Q(team_id=OuterRef(team_ref), left_on__isnull=True)
    for q in extra:
        condition &= q
    counted = (
        TeamMember.objects.filter(condition)
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _leader(team_ref: str, field: str) -> Subquery:
    leader = TeamMember.objects.active().filter(
        team_id=OuterRef(team_ref), role=TeamRole.LEADER
    )
    return Coalesce(
        Subquery(leader.values(field)[:1], output_field=CharField()), Value("")
    )


def _annotated(qs: QuerySet, team_ref: str) -> QuerySet:
    return qs.annotate(
        active_members=_member_count(team_ref),
        youth_union_members=_member_count(team_ref, Q(is_youth_union=True)),
        leader_name=_leader(team_ref, "full_name"),
        leader_phone=_leader(team_ref, "phone"),
    )


def teams_for(user) -> QuerySet[DigitalTeam]:
    """The teams of the user's villages, each with ``active_members``,
    ``youth_union_members``, ``leader_name`` and ``leader_phone`` (one query)."""
    qs = DigitalTeam.objects.filter(
        village__in=villages_for(user).values("pk")
    ).select_related("village")
    return _annotated(qs, "pk").order_by("village__sort_order", "village__name")


def team_rows_for(user) -> list[Village]:
    """Every village the user may see, in the commune's order, with its team (or None)
    as ``team`` and the team's counts and leader on the village row (one query)."""
    villages = _annotated(
        villages_for(user).select_related("digital_team"), "digital_team__pk"
    ).order_by("sort_order", "name")
    rows = []
    for village in villages:
        village.team = getattr(village, "digital_team", None)
        rows.append(village)
    return rows


def team_totals(user) -> dict[str, int]:
    """Totals over the user's villages (the whole commune for a commune-wide role):
    villages, teams, active members and Youth Union members among them (two queries)."""
    scope = villages_for(user).values("pk")
    members = TeamMember.objects.active().filter(team__village__in=scope)
    counts = members.aggregate(
        members=Count("pk"), youth_union=Count("pk", filter=Q(is_youth_union=True))
    )
    village_counts = (
        villages_for(user)
        .order_by()
        .aggregate(
            villages=Count("pk"),
            teams=Count("digital_team"),
        )
    )
    return {
        "villages": village_counts["villages"],
        "teams": village_counts["teams"],
        "members": counts["members"],
        "youth_union": counts["youth_union"],
        "without_team": village_counts["villages"] - village_counts["teams"],
    }


def team_get_for(user, pk: int) -> DigitalTeam:
    """One team of the user's villages, or 404."""
    try:
        return teams_for(user).get(pk=pk)
    except (DigitalTeam.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def team_of_village(user, village_pk: int) -> DigitalTeam | None:
    """The team of a village the user may see (None if it has none yet)."""
    return teams_for(user).filter(village_id=village_pk).first()


def _ordered(members) -> list[TeamMember]:
    return sorted(
        members, key=lambda m: (_ROLE_ORDER.get(m.role, 9), m.name_folded, m.pk)
    )


def team_members(team: DigitalTeam) -> dict[str, list[TeamMember]]:
    """The team's members: ``current`` (leader, deputies, then members by name) and
    ``former`` (who left, most recent first), in one query."""
    members = list(
        TeamMember.objects.filter(team=team).select_related("user").order_by("pk")
    )
    current = _ordered(m for m in members if m.left_on is None)
    former = sorted(
        (m for m in members if m.left_on is not None),
        key=lambda m: (m.left_on, m.pk),
        reverse=True,
    )
    return {"current": current, "former": former}


def team_member_get_for(user, team: DigitalTeam, pk: int) -> TeamMember:
    """A member of ``team`` (already fetched through the scoped selector), or 404."""
    try:
        return TeamMember.objects.select_related("team__village", "user").get(
            pk=pk, team=team
        )
    except (TeamMember.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def active_members_of_village(
    village_id: int, *, also: int | None = None
) -> QuerySet[TeamMember]:
    """The current members of a village's team, leader first: who may have helped.
    ``also`` adds one more member by pk (the helper already on an application)."""
    current = Q(left_on__isnull=True, team__village_id=village_id)
    if also:
        current |= Q(pk=also)
    return (
        TeamMember.objects.filter(current)
        .select_related("team")
        .order_by(
            Case(
                *(When(role=role, then=Value(n)) for role, n in _ROLE_ORDER.items()),
                default=Value(9),
            ),
            "name_folded",
            "pk",
        )
    )


def team_accounts_for(team: DigitalTeam):
    """Portal accounts a member may be linked to: the active officers of the team's
    village (a team member with an account is usually its village officer)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, villages=team.village_id)
        .order_by("full_name", "username")
    )
