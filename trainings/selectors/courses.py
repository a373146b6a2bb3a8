"""The course list and one course."""

from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from households.models import Village
from households.text import fold

from ..models import Course, Session, SessionStatus
from .scope import courses_for


def _value(filters: Any, name: str) -> Any:
    """A filter value from a mapping (a form's cleaned_data) or an object's attribute."""
    if filters is None:
        return None
    if isinstance(filters, Mapping):
        return filters.get(name)
    return getattr(filters, name, None)


def course_list_for(user, filters: Any = None) -> QuerySet[Course]:
    """The course list: the user's courses filtered by ``filters`` (a mapping such as a
    form's cleaned_data, or any object with these attributes, all optional):

    - ``q``: words of the title, with or without diacritics ("ca phe" finds "Cà phê");
    - ``topic``, ``kind``: values of ``Topic`` / ``CourseKind``;
    - ``village``: a Village or pk: courses held in it or targeting it;
    - ``year``: courses with a (not cancelled) session starting that year.

    Each course comes with ``session_count`` (sessions not cancelled) and
    ``next_session_at`` (the next scheduled start, or None), in one query; courses with
    a coming session first, soonest first, then the newest.
    """
    qs = courses_for(user)
    q = _value(filters, "q")
    if q:
        for word in fold(q).split():
            qs = qs.filter(
                Q(title_folded__startswith=word) | Q(title_folded__contains=" " + word)
            )
    topic = _value(filters, "topic")
    if topic:
        qs = qs.filter(topic=topic)
    kind = _value(filters, "kind")
    if kind:
        qs = qs.filter(kind=kind)
    village = _value(filters, "village")
    if village:
        village_id = village.pk if isinstance(village, Village) else village
        qs = qs.filter(
            Q(pk__in=Session.objects.filter(village_id=village_id).values("course_id"))
            | Q(
                pk__in=Course.target_villages.through.objects.filter(
                    village_id=village_id
                ).values("course_id")
            )
        )
    year = _value(filters, "year")
    if year:
        qs = qs.filter(
            pk__in=Session.objects.filter(starts_at__year=int(year))
            .exclude(status=SessionStatus.CANCELLED)
            .values("course_id")
        )
    return _annotated(qs).order_by(
        F("next_session_at").asc(nulls_last=True), "-created_at", "-pk"
    )


def _annotated(qs: QuerySet[Course]) -> QuerySet[Course]:
    live = Session.objects.filter(course=OuterRef("pk")).exclude(
        status=SessionStatus.CANCELLED
    )
    next_start = (
        Session.objects.filter(
            course=OuterRef("pk"),
            status=SessionStatus.SCHEDULED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return qs.annotate(
        session_count=Coalesce(
            Subquery(
                live.order_by().values("course").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        next_session_at=Subquery(next_start),
    )


def course_get_for(user, pk) -> Course:
    """One course the user may see, with its target villages and groups, or 404."""
    try:
        return (
            _annotated(courses_for(user))
            .select_related("commune", "created_by")
            .prefetch_related(
                Prefetch(
                    "target_villages",
                    queryset=Village.objects.order_by("sort_order", "name"),
                ),
                "targets",
            )
            .get(pk=pk)
        )
    except (Course.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
