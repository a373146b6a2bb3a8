"""Reads of assisted applications, scoped to the households of the user's villages."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from households.models import Household
from households.selectors import HouseholdFilters, household_list_for, villages_for
from households.text import fold

from ..models import OPEN_APPLICATION_STATUSES, AssistedApplication

# The household search of the "record an application" page shows at most this many.
HOUSEHOLD_SEARCH_LIMIT = 20


def applications_for(user) -> QuerySet[AssistedApplication]:
    return AssistedApplication.objects.filter(
        household__village__in=villages_for(user).values("pk")
    ).select_related("household__village", "helped_by", "recorded_by")


@dataclass
class ApplicationFilters:
    q: str = ""
    village: int | None = None
    service: str = ""
    status: str = ""
    open_only: bool = False
    follow_up_due: bool = False
    filed_from: date | None = None
    filed_to: date | None = None


def application_list_for(
    user, filters: ApplicationFilters | None = None, *, today: date | None = None
) -> QuerySet[AssistedApplication]:
    """The applications list, newest filing first, with household, village and helper
    joined in. The search looks for each word in the household's folded name and code
    (or phone): "nguyen an" finds "Nguyễn Văn An"."""
    filters = filters or ApplicationFilters()
    qs = applications_for(user)
    if filters.village:
        qs = qs.filter(household__village_id=filters.village)
    if filters.service:
        qs = qs.filter(service=filters.service)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.open_only:
        qs = qs.filter(status__in=OPEN_APPLICATION_STATUSES)
    if filters.follow_up_due:
        qs = qs.filter(
            status__in=OPEN_APPLICATION_STATUSES,
            follow_up_on__lte=today or timezone.localdate(),
        )
    if filters.filed_from:
        qs = qs.filter(filed_on__gte=filters.filed_from)
    if filters.filed_to:
        qs = qs.filter(filed_on__lte=filters.filed_to)
    for word in fold(filters.q).split():
        if word.isdigit():  # part of a phone number or reference: anywhere
            words = Q(household__search_text__contains=word)
        else:  # a word of a name or code must start a word: "an" is not "Tran"
            words = Q(household__search_text__startswith=word) | Q(
                household__search_text__contains=" " + word
            )
        qs = qs.filter(words | Q(reference_number__icontains=word))
    return qs.order_by("-filed_on", "-pk")


def applications_needing_follow_up(
    user, *, today: date | None = None
) -> QuerySet[AssistedApplication]:
    """Open applications whose follow-up date has come, the oldest date first."""
    return (
        applications_for(user)
        .filter(
            status__in=OPEN_APPLICATION_STATUSES,
            follow_up_on__lte=today or timezone.localdate(),
        )
        .order_by("follow_up_on", "pk")
    )


def application_get_for(user, pk: int) -> AssistedApplication:
    """One application of the user's villages, with what its page shows, or 404."""
    try:
        return applications_for(user).select_related("helped_by__team").get(pk=pk)
    except (AssistedApplication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def households_to_apply_for(user, q: str) -> list[Household]:
    """Active households of the user's villages matching a name, code or phone."""
    if not fold(q):
        return []
    return list(
        household_list_for(user=user, filters=HouseholdFilters(q=q))[
            :HOUSEHOLD_SEARCH_LIMIT
        ]
    )
