"""Walk-ins waiting to be matched to the registry, and who in the registry they may be.

A walk-in is an enrolment without a member (the person was not found, or not found
unambiguously, when they were enrolled). It is listed for the officials of its village
until someone says who it is ("this is …") or adds the person to the registry.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q, QuerySet
from django.http import Http404

from households.models import Member
from households.selectors import households_for, villages_for

from ..models import Enrolment, EnrolmentStatus, SessionStatus


def walk_ins_for(user) -> QuerySet[Enrolment]:
    """Unmatched walk-ins of the user's villages (not withdrawn, in sessions that were
    not cancelled), newest session first, with session, course and village joined."""
    return (
        Enrolment.objects.filter(
            member__isnull=True,
            village__in=villages_for(user).values("pk"),
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__course", "session__village", "village")
        .order_by("-session__starts_at", "name_folded", "pk")
    )


def walk_in_get_for(user, pk) -> Enrolment:
    """One unmatched walk-in of the user's villages, or 404 (also once it is matched)."""
    try:
        return walk_ins_for(user).get(pk=pk)
    except (Enrolment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Names this alike (difflib's ratio on folded names) are offered as "similar name":
# a typing slip or a missing diacritic-free letter ("Y Bhim Nie" / "Y Bhin Nie").
SIMILAR_NAME = 0.85


@dataclass(frozen=True)
class Suggestion:
    member: Member
    reasons: tuple[
        str, ...
    ]  # "name" or "similar_name", "birth_year", "phone", "village"

    @property
    def score(self) -> tuple[int, int]:
        # An exact name outranks a similar one; then the more that agrees, the better.
        return ("name" in self.reasons, len(self.reasons))


def _reasons(walk_in, member) -> tuple[str, ...]:
    reasons = []
    if member.name_folded == walk_in.name_folded:
        reasons.append("name")
    elif (
        SequenceMatcher(None, member.name_folded, walk_in.name_folded).ratio()
        >= SIMILAR_NAME
    ):
        reasons.append("similar_name")
    if walk_in.phone and member.household.phone == walk_in.phone:
        reasons.append("phone")
    if not reasons:
        return ()
    if walk_in.birth_year and member.birth_year == walk_in.birth_year:
        reasons.append("birth_year")
    if member.household.village_id == walk_in.village_id:
        reasons.append("village")
    if reasons == ["similar_name", "village"] or reasons == ["similar_name"]:
        return ()  # a similar name alone is too weak: many names look alike
    return tuple(reasons)


def walk_in_suggestions(walk_ins, user, *, limit: int = 5) -> dict[int, list]:
    """For each walk-in (by enrolment pk), the active members of the user's households
    who may be that person: the same name (with or without diacritics), a household
    with the walk-in's phone, or a similar name born the same year in the same village;
    best first. One query for all the walk-ins given."""
    walk_ins = list(walk_ins)
    names = {w.name_folded for w in walk_ins if w.name_folded}
    phones = {w.phone for w in walk_ins if w.phone}
    if not names and not phones:
        return {}
    condition = Q(name_folded__in=names)
    if phones:
        condition |= Q(household__phone__in=phones)
    for walk_in in walk_ins:
        if walk_in.birth_year:
            condition |= Q(
                household__village_id=walk_in.village_id,
                birth_year=walk_in.birth_year,
            )
    candidates = list(
        Member.objects.active()
        .filter(household__in=households_for(user).values("pk"))
        .filter(condition)
        .select_related("household__village")
        .order_by("name_folded", "household__code", "pk")
    )
    found: dict[int, list[Suggestion]] = {}
    for walk_in in walk_ins:
        rows = []
        for member in candidates:
            reasons = _reasons(walk_in, member)
            if reasons:
                rows.append(Suggestion(member=member, reasons=reasons))
        rows.sort(key=lambda s: s.score, reverse=True)
        found[walk_in.pk] = rows[:limit]
    return found
