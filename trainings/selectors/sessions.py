"""One session, and its roster in sign-in order."""

from django.http import Http404

from ..models import Enrolment, EnrolmentStatus, Session
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
