"""Sessions by date: the upcoming list and the month calendar.

Both are one query whatever the number of sessions: each session comes with its course
and village joined and its counts annotated (``places_held``: registered, attended and
absent; ``waitlisted``), so a page shows "12/30 · 3 waiting" without a query per row.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import PLACE_HOLDING, EnrolmentStatus, Session
from .scope import sessions_for


def _start_of(day: date | datetime) -> datetime:
    if isinstance(day, datetime):
        return day
    return timezone.make_aware(datetime.combine(day, time.min))


def _end_of(day: date | datetime) -> datetime:
    """The first moment after ``day`` (a date counts whole; a datetime as it is)."""
    if isinstance(day, datetime):
        return day
    return _start_of(day + timedelta(days=1))


def with_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions annotated with ``places_held`` and ``waitlisted``."""
    return qs.annotate(
        places_held=Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING)),
        waitlisted=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED)
        ),
    )


def upcoming_sessions_for(
    user, *, start: date | datetime, end: date | datetime, village=None
) -> QuerySet[Session]:
    """The user's sessions starting from ``start`` to ``end`` (dates count whole days,
    local time), held in ``village`` (a Village or its pk) if given, by start time.
    Cancelled sessions are included (a page shows them struck through, so a villager
    who heard of one learns it is off)."""
    qs = sessions_for(user).filter(
        starts_at__gte=_start_of(start), starts_at__lt=_end_of(end)
    )
    if village:
        qs = qs.filter(village=village)
    return with_counts(qs).order_by("starts_at", "pk")


@dataclass
class CalendarDay:
    day: date
    in_month: bool  # False for the days of the neighbouring months that fill a week
    is_today: bool
    sessions: list[Session] = field(default_factory=list)


def calendar_month_for(
    user, *, year: int, month: int, village=None
) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) of days, each with the user's sessions that
    start that day (local time), in one query. The first and last weeks are completed
    with days of the neighbouring months, and their sessions."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    today = timezone.localdate()
    days = {
        d: CalendarDay(day=d, in_month=d.month == month, is_today=d == today)
        for week in weeks
        for d in week
    }
    for session in upcoming_sessions_for(
        user, start=weeks[0][0], end=weeks[-1][-1], village=village
    ):
        days[timezone.localtime(session.starts_at).date()].sessions.append(session)
    return [[days[d] for d in week] for week in weeks]
