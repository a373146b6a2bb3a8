"""Who sees what: the scoped querysets every other read of the trainings starts from.

A commune-wide role (and a superuser) sees every course and session of the commune. A
village officer sees the sessions held in their villages and the sessions of courses
meant for their villages: a course with target villages that include one of theirs, or a
course without target villages (it is for the whole commune). Anything else is absent,
so a view fetching it answers 404.
"""

from django.db.models import Q, QuerySet

from households.selectors import villages_for

from ..models import Course, Session


def sees_whole_commune(user) -> bool:
    return user.is_superuser or user.is_commune_wide


def courses_meant_for(village_ids) -> Q:
    """Courses whose target villages include one of ``village_ids``, or that have none."""
    targeting = Course.target_villages.through.objects.filter(
        village__in=village_ids
    ).values("course_id")
    return Q(pk__in=targeting) | ~Q(
        pk__in=Course.target_villages.through.objects.values("course_id")
    )


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def courses_for(user) -> QuerySet[Course]:
    """The courses the user may open: the commune's, or for a village officer those
    meant for their villages or with a session in them."""
    if not _signed_in(user):
        return Course.objects.none()
    qs = Course.objects.all()
    if user.is_superuser:
        return qs
    qs = qs.filter(commune_id=user.commune_id)
    if sees_whole_commune(user):
        return qs
    mine = villages_for(user).values("pk")
    held_in_mine = Session.objects.filter(village__in=mine).values("course_id")
    return qs.filter(courses_meant_for(mine) | Q(pk__in=held_in_mine))


def sessions_for(user) -> QuerySet[Session]:
    """The sessions the user may open, with their course and village joined."""
    if not _signed_in(user):
        return Session.objects.none()
    qs = Session.objects.select_related("course", "village")
    if user.is_superuser:
        return qs
    qs = qs.filter(course__commune_id=user.commune_id)
    if sees_whole_commune(user):
        return qs
    mine = villages_for(user).values("pk")
    meant_for_mine = Course.objects.filter(courses_meant_for(mine)).values("pk")
    return qs.filter(Q(village__in=mine) | Q(course__in=meant_for_mine))


def may_manage_session(user, session: Session) -> bool:
    """May the user enrol and mark attendance for the session as a whole: commune-wide
    roles, and the officers of the village the session is held in. (An officer may still
    enrol their own villages' people into a session held elsewhere that is meant for
    them.)"""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if session.course.commune_id != user.commune_id:
        return False
    return sees_whole_commune(user) or (
        villages_for(user).filter(pk=session.village_id).exists()
    )
