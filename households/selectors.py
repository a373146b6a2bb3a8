"""Reads of the registry, scoped to what the user may see.

Every view, export and admin page gets its querysets from here, so none can forget the
village scope: a commune-wide role sees its commune, a village officer only their villages,
and anything outside the scope is simply absent (a 404, never a 403 that confirms it exists).
"""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from .models import (
    DeprivationIndicator,
    Household,
    Member,
    PovertyReview,
    PovertyStandard,
    PovertyStatus,
    Relation,
    Village,
)
from .text import fold


def villages_for(user) -> QuerySet[Village]:
    """The villages ``user`` may see and edit."""
    if not user.is_authenticated or not user.is_active:
        return Village.objects.none()
    if user.is_superuser:
        return Village.objects.all()
    if user.is_commune_wide:
        return Village.objects.filter(commune_id=user.commune_id)
    return user.villages.filter(commune_id=user.commune_id)


def households_for(user, *, include_archived: bool = False) -> QuerySet[Household]:
    qs = Household.objects.filter(village__in=villages_for(user).values("pk"))
    return qs if include_archived else qs.active()


UNREVIEWED = "unreviewed"  # status filter value: households without any review yet


@dataclass
class HouseholdFilters:
    q: str = ""
    village: int | None = None
    status: str = ""
    ethnic_group: int | None = None
    review_year: int | None = None
    archived: bool = False
    sort: str = "code"


SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "name": ("search_text",),
    "village": ("village__sort_order", "village__name", "code"),
    "status": ("current_status", "code"),
    "updated": ("-updated_at",),
}


def household_list_for(*, user, filters: HouseholdFilters) -> QuerySet[Household]:
    """The household list: search, filters and sort, with what each row shows joined in."""
    qs = households_for(user, include_archived=filters.archived)
    if filters.archived:
        qs = qs.filter(is_active=False)
    if filters.q:
        for word in fold(filters.q).split():
            if word.isdigit():
                # Part of a phone or ID number: anywhere ("345678" finds 0912345678).
                qs = qs.filter(search_text__contains=word)
            else:
                # A word of a name or code must start a word: "an" finds "An", not "Tran".
                qs = qs.filter(
                    Q(search_text__startswith=word)
                    | Q(search_text__contains=" " + word)
                )
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.ethnic_group:
        qs = qs.filter(ethnic_group_id=filters.ethnic_group)
    if filters.review_year and filters.status == UNREVIEWED:
        qs = qs.exclude(reviews__year=filters.review_year)
    elif filters.review_year:
        year_reviews = Q(reviews__year=filters.review_year)
        if filters.status:
            year_reviews &= Q(reviews__status=filters.status)
        qs = qs.filter(year_reviews)
    elif filters.status == UNREVIEWED:
        qs = qs.filter(current_status="")
    elif filters.status:
        qs = qs.filter(current_status=filters.status)
    order = SORTS.get(filters.sort, SORTS["code"])
    return qs.select_related("village", "ethnic_group").order_by(*order, "pk")


def household_get_for(*, user, pk: int, include_archived: bool = True) -> Household:
    """One household the user may see, or 404."""
    try:
        return (
            households_for(user, include_archived=include_archived)
            .select_related("village", "ethnic_group", "commune")
            .get(pk=pk)
        )
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def household_detail_for(*, user, pk: int) -> Household:
    """A household with its members and review history, in a fixed number of queries."""
    household = household_get_for(user=user, pk=pk)
    members = (
        Member.objects.active()
        .filter(household=household)
        .select_related("ethnic_group")
        .order_by("birth_year", "id")
    )
    household.active_members = sorted(
        members, key=lambda m: m.relation != Relation.HEAD
    )
    household.review_history = list(
        PovertyReview.objects.filter(household=household)
        .select_related("recorded_by", "standard")
        .prefetch_related(
            Prefetch(
                "deprivations",
                queryset=DeprivationIndicator.objects.order_by("sort_order"),
            )
        )
        .order_by("-year")
    )
    return household


def member_get_for(*, user, household: Household, pk: int) -> Member:
    try:
        return Member.objects.select_related("ethnic_group").get(
            pk=pk, household=household, is_active=True
        )
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def review_get_for(*, user, household: Household, pk: int) -> PovertyReview:
    """A review of ``household`` (already fetched through the scoped selector), or 404."""
    try:
        return PovertyReview.objects.select_related("household", "standard").get(
            pk=pk, household=household
        )
    except (PovertyReview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def village_list_for(*, user) -> list[Village]:
    """Villages with active household counts by current status (one query)."""
    counts = {
        f"n_{status}": Count(
            "households",
            filter=Q(households__is_active=True, households__current_status=status),
        )
        for status in PovertyStatus.values
    }
    return list(
        villages_for(user)
        .annotate(
            n_households=Count("households", filter=Q(households__is_active=True)),
            n_unreviewed=Count(
                "households",
                filter=Q(households__is_active=True, households__current_status=""),
            ),
            **counts,
        )
        .order_by("sort_order", "name")
    )


def village_totals(villages: list[Village]) -> dict[str, int]:
    """Commune (or officer) totals of the annotated rows of ``village_list_for``."""
    return {
        "villages": len(villages),
        "households": sum(v.n_households for v in villages),
        "poor": sum(v.n_poor for v in villages),
        "near_poor": sum(v.n_near_poor for v in villages),
        "escaped": sum(v.n_escaped_poor + v.n_escaped_near_poor for v in villages),
        "unreviewed": sum(v.n_unreviewed for v in villages),
    }


def village_get_for(*, user, pk: int) -> Village:
    try:
        return villages_for(user).select_related("commune").get(pk=pk)
    except (Village.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def village_status_counts(*, village: Village) -> dict[str, int]:
    rows = (
        Household.objects.filter(village=village, is_active=True)
        .values("current_status")
        .annotate(n=Count("id"))
    )
    return {row["current_status"] or "": row["n"] for row in rows}


def review_imports_of(*, user, limit: int = 10):
    """The user's own recent review imports (nobody sees another official's uploads)."""
    from .models import ReviewImport

    return ReviewImport.objects.filter(uploaded_by=user).only(
        "pk", "file_name", "uploaded_at", "status", "summary"
    )[:limit]


def review_import_get_for(*, user, pk: int):
    """One of the user's own imports, or 404 (another official's upload is not shown)."""
    from .models import ReviewImport

    try:
        return ReviewImport.objects.get(pk=pk, uploaded_by=user)
    except (ReviewImport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def standard_for_year(year: int) -> PovertyStandard | None:
    return (
        PovertyStandard.objects.filter(first_year__lte=year, last_year__gte=year)
        .order_by("-first_year")
        .first()
    )


def indicators_for_year(year: int) -> QuerySet[DeprivationIndicator]:
    standard = standard_for_year(year)
    if standard is None:
        return DeprivationIndicator.objects.none()
    return standard.indicators.order_by("sort_order", "code")


@dataclass
class DuplicateWarning:
    household: Household
    reasons: list[str] = field(default_factory=list)


NAME_SIMILARITY = 0.9


def household_duplicates(
    *,
    commune_id: int,
    village_id: int | None,
    head_name: str,
    national_id: str | None,
    phone: str,
    exclude_pk: int | None = None,
) -> list[DuplicateWarning]:
    """Households that may be the same family: same national ID (of the head or any member)
    or phone anywhere in the commune, or a near-identical head name in the same village
    (with or without diacritics). Deliberately not scoped to the user: an officer must be
    warned even when the other record is in a village they cannot see; the warning then
    names only the code and village.
    """
    from django.utils.translation import gettext as _

    found: dict[int, DuplicateWarning] = {}

    def flag(household: Household, reason: str) -> None:
        found.setdefault(household.pk, DuplicateWarning(household)).reasons.append(
            reason
        )

    base = Household.objects.active().filter(commune_id=commune_id)
    base = base.select_related("village")
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    if national_id:
        for h in base.filter(
            Q(head_national_id=national_id)
            | Q(members__national_id=national_id, members__is_active=True)
        ).distinct():
            flag(h, _("same national ID number"))
    if phone:
        for h in base.filter(phone=phone):
            flag(h, _("same phone number"))
    if village_id and head_name:
        target = fold(head_name)
        candidates = base.filter(village_id=village_id).values_list("pk", "head_name")
        close = [
            pk
            for pk, name in candidates
            if SequenceMatcher(None, target, fold(name)).ratio() >= NAME_SIMILARITY
        ]
        for h in base.filter(pk__in=close):
            flag(h, _("near-identical name in the same village"))
    return list(found.values())
