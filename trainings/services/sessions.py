"""Sessions: scheduled → held (attendance marked) or cancelled. Only commune-wide roles
schedule, change and cancel them; reminders follow through the notice service."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from eakutur.audit.services import audit_created, audited_update
from households.models import Village
from households.text import clean_name

from ..models import Course, Session, SessionStatus
from ..models.sessions import EARLIEST_SESSION
from . import reminders
from ._common import (
    ensure_commune_wide,
    ensure_own_commune,
    fill_free_places,
    lock_session,
    places_held,
)

SESSION_FIELDS = (
    "course",
    "starts_at",
    "ends_at",
    "village",
    "place",
    "capacity",
    "trainer",
)
SESSION_EDITABLE_FIELDS = (
    "starts_at",
    "ends_at",
    "village",
    "place",
    "capacity",
    "trainer",
)
# A change of these makes the reminders wrong: they are cancelled and made again.
REMINDER_FIELDS = ("starts_at", "ends_at", "village", "place")


def _ensure_planner(actor) -> None:
    ensure_commune_wide(
        actor, _("Only commune officials can schedule, change or cancel sessions.")
    )


def _check_times(starts_at: datetime, ends_at: datetime, *, new_start: bool) -> None:
    """End after start, not before 2000, not in the past (for a new start time)."""
    if starts_at is None or ends_at is None:
        raise ValidationError(_("Give the start and end of the session."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("session times must be aware datetimes")
    if starts_at < EARLIEST_SESSION:
        raise ValidationError(
            {
                "starts_at": _(
                    "Dates before 01/01/2000 are not accepted; check the year."
                )
            }
        )
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if new_start and starts_at <= timezone.now():
        raise ValidationError(
            {"starts_at": _("This time has passed; a session is scheduled ahead.")}
        )


def _check_village(course: Course, village: Village) -> None:
    if village.commune_id != course.commune_id:
        raise ValidationError({"village": _("Choose a village of the commune.")})


def session_schedule(
    *,
    actor,
    course: Course,
    starts_at: datetime,
    ends_at: datetime,
    village: Village,
    place: str,
    capacity: int,
    trainer: str = "",
) -> Session:
    """Schedule a session of the course and its reminders (two days before, and on the
    morning) to the course's target villages, else the session's village."""
    _ensure_planner(actor)
    ensure_own_commune(actor, course.commune_id)
    _check_village(course, village)
    _check_times(starts_at, ends_at, new_start=True)
    session = Session(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        village=village,
        place=clean_name(place),
        capacity=capacity,
        trainer=clean_name(trainer),
        created_by=actor if actor.pk else None,
    )
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit_created(
            actor=actor, instance=session, fields=SESSION_FIELDS, parent=course
        )
        reminders.session_reminders_schedule(session)
    return session


def session_update(*, actor, session: Session, **fields) -> Session:
    """Change a session's time, place, village, capacity or trainer.

    A cancelled session cannot change; a held one cannot move (start, end, village).
    A capacity below the places held is refused; a larger one moves the waiting list up.
    A change of time, place or village renews the reminders.
    """
    unknown = set(fields) - set(SESSION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"session_update cannot change {sorted(unknown)}")
    _ensure_planner(actor)
    for name in ("place", "trainer"):
        if name in fields:
            fields[name] = clean_name(fields[name])
    with transaction.atomic():
        session = lock_session(session)
        ensure_own_commune(actor, session.course.commune_id)
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(_("A cancelled session cannot be changed."))
        changes = {k: v for k, v in fields.items() if getattr(session, k) != v}
        moving = {"starts_at", "ends_at", "village"} & set(changes)
        if moving and session.status == SessionStatus.HELD:
            raise ValidationError(
                _("Attendance has been marked: this session cannot be moved.")
            )
        if "village" in changes:
            _check_village(session.course, changes["village"])
        if "starts_at" in changes or "ends_at" in changes:
            _check_times(
                changes.get("starts_at", session.starts_at),
                changes.get("ends_at", session.ends_at),
                new_start="starts_at" in changes,
            )
        if "capacity" in changes:
            held = places_held(session)
            if changes["capacity"] is not None and changes["capacity"] < held:
                raise ValidationError(
                    {
                        "capacity": ngettext(
                            "%(held)s person holds a place: the capacity cannot be "
                            "below that. Withdraw enrolments first.",
                            "%(held)s people hold a place: the capacity cannot be "
                            "below that. Withdraw enrolments first.",
                            held,
                        )
                        % {"held": held}
                    }
                )
        changed = audited_update(session, changes, actor=actor)
        if "capacity" in changed:
            fill_free_places(actor=actor, session=session)
        if set(changed) & set(REMINDER_FIELDS):
            reminders.session_reminders_renew(session)
    return session


def session_cancel(*, actor, session: Session, reason: str) -> Session:
    """Cancel a scheduled session with a reason: its unsent reminders are cancelled and
    its villages told (unless it has ended). Enrolments stay as they were."""
    _ensure_planner(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    with transaction.atomic():
        session = lock_session(session)
        ensure_own_commune(actor, session.course.commune_id)
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(_("This session is already cancelled."))
        if session.status == SessionStatus.HELD:
            raise ValidationError(
                _("Attendance has been marked: this session was held.")
            )
        audited_update(
            session,
            {
                "status": SessionStatus.CANCELLED,
                "cancelled_at": timezone.now(),
                "cancel_reason": reason[:300],
            },
            actor=actor,
            note=reason,
        )
        reminders.session_cancellation_notify(session)
    return session
