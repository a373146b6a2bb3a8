"""Trainings seen from the registry: a household's trainings, the courses recommended
with its loans, and finding a person to enrol."""

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from households.models import Household, Member
from households.selectors import households_for, villages_for
from households.text import fold
from loans.models import Loan, LoanStatus

from ..models import Course, Enrolment, Session, SessionStatus
from .scope import courses_meant_for


def trainings_of_household(household: Household, user) -> QuerySet[Enrolment]:
    """The enrolments of the household's members (withdrawn ones too, so the page can
    say so), newest session first, with session, course and member joined; empty when
    the user may not see the household. One query."""
    return (
        Enrolment.objects.filter(
            household=household,
            household__village__in=villages_for(user).values("pk"),
        )
        .select_related("session__course", "session__village", "member")
        .order_by("-session__starts_at", "-pk")
    )


# Loans that say what the household is borrowing for: all but the refused ones.
_LOAN_STATUSES = (
    LoanStatus.APPLIED,
    LoanStatus.APPROVED,
    LoanStatus.DISBURSED,
    LoanStatus.SETTLED,
)


def courses_recommended_for(household: Household) -> QuerySet[Course]:
    """Courses recommended with the household's loans: courses of its commune whose loan
    purpose is the purpose of one of its loans (not rejected), meant for its village (or
    for the whole commune), with a scheduled session still to come. Each comes with
    ``next_session_at``; soonest first."""
    purposes = Loan.objects.filter(
        household=household, status__in=_LOAN_STATUSES
    ).values("purpose")
    coming = Session.objects.filter(
        course=OuterRef("pk"),
        status=SessionStatus.SCHEDULED,
        starts_at__gt=timezone.now(),
    )
    return (
        Course.objects.filter(
            courses_meant_for([household.village_id]),
            commune_id=household.commune_id,
            loan_purpose__in=purposes,
        )
        .exclude(loan_purpose="")
        .annotate(
            next_session_at=Subquery(
                coming.order_by("starts_at").values("starts_at")[:1]
            )
        )
        .filter(next_session_at__isnull=False)
        .order_by(F("next_session_at").asc(), "pk")
    )


def member_search_for(user, q: str) -> QuerySet[Member]:
    """Active members of the user's active households matching every word of ``q``: a
    word of the member's name (with or without diacritics, at the start of a word, also
    after the H' or Y' of an Ê Đê name), the household code, or digits of the household's
    phone; by name, with household and village joined."""
    words = fold(q).split()
    if not words:
        return Member.objects.none()
    qs = Member.objects.active().filter(household__in=households_for(user).values("pk"))
    for word in words:
        matches = (
            Q(name_folded__startswith=word)
            | Q(name_folded__contains=" " + word)
            | Q(name_folded__contains="'" + word)
            | Q(household__code__istartswith=word)
        )
        if word.isdigit():
            matches |= Q(household__phone__contains=word)
        qs = qs.filter(matches)
    return qs.select_related("household__village", "ethnic_group").order_by(
        "name_folded", "household__code", "pk"
    )
