"""One session, and its roster in sign-in order."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from outreach.selectors import notices_for

from ..models import PLACE_HOLDING, Enrolment, EnrolmentStatus, Session
from ..services import reminders
from .scope import sessions_for


def session_get_for(user, pk) -> Session:
    """One session the user may see, with its course, village and author, or 404."""
    try:
        return (
            sessions_for(user)
            .select_related("course__commune", "created_by")
            .get(pk=pk)
        )
    except (Session.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def session_roster(session: Session) -> list[Enrolment]:
    """The session's enrolments in sign-in order, in one query: the people holding a
    place (registered, attended, absent) by name, then the waiting list, first come
    first served. Withdrawn enrolments are left out."""
    rows = list(
        Enrolment.objects.filter(session=session)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("member", "household", "village", "registered_by")
    )
    placed = sorted(
        (e for e in rows if e.status != EnrolmentStatus.WAITLISTED),
        key=lambda e: (e.name_folded, e.full_name, e.pk),
    )
    waiting = sorted(
        (e for e in rows if e.status == EnrolmentStatus.WAITLISTED),
        key=lambda e: (e.created_at, e.pk),
    )
    return placed + waiting


def course_sessions_for(user, *courses) -> QuerySet[Session]:
    """The sessions of ``courses`` the user may see, by date, each with ``places_held``
    and ``waitlisted`` counted in the same query."""
    return (
        sessions_for(user)
        .filter(course__in=[c.pk for c in courses])
        .annotate(
            places_held=Count(
                "enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING)
            ),
            waitlisted=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
            ),
        )
        .order_by("starts_at", "pk")
    )


def reminder_key_prefix(session) -> str:
    """The ``source_key`` prefix of the notices about ``session``: the services name
    them, so the format lives there once."""
    return reminders.key_prefix(session)


def session_reminders(user, session, *, statuses=None) -> list:
    """The automatic notices about ``session`` the user may see, by time, with their
    villages (the services name them ``training:<pk>:…``)."""
    qs = notices_for(user).filter(source_key__startswith=reminder_key_prefix(session))
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return list(qs.prefetch_related("villages").order_by("scheduled_at", "pk"))
