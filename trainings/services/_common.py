"""Checks the training services start with: who may act, the session row lock, the
waiting list moving up."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.services import audited_update
from households.models import Village
from households.selectors import villages_for

from ..models import (
    PLACE_HOLDING,
    Course,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
)
from ..selectors.scope import sessions_for

# Who a person's enrolment is about, written on creation and in the audit history.
ENROLMENT_FIELDS = (
    "member",
    "full_name",
    "birth_year",
    "phone",
    "village",
    "status",
    "support_amount",
)


def ensure_commune_wide(actor, message: str) -> None:
    """Only commune-wide roles (and superusers) plan courses and sessions."""
    if not (actor.is_active and (actor.is_superuser or actor.is_commune_wide)):
        raise PermissionDenied(message)


def ensure_own_commune(actor, commune_id: int) -> None:
    """A record of another commune is out of reach whatever the role."""
    if not actor.is_superuser and actor.commune_id != commune_id:
        raise PermissionDenied(_("This record belongs to another commune."))


def ensure_village_allowed(actor, village: Village) -> None:
    if not villages_for(actor).filter(pk=village.pk).exists():
        raise PermissionDenied(_("You cannot enrol or edit people of this village."))


def ensure_session_visible(actor, session: Session) -> None:
    if not sessions_for(actor).filter(pk=session.pk).exists():
        raise PermissionDenied(_("You cannot act on this session."))


def ensure_may_manage(actor, session: Session) -> None:
    """Attendance of a session: commune-wide roles, or the officers of its village."""
    ensure_own_commune(actor, session.course.commune_id)
    if not (
        actor.is_superuser
        or actor.is_commune_wide
        or villages_for(actor).filter(pk=session.village_id).exists()
    ):
        raise PermissionDenied(
            _("Only the officers of the village it is held in can do this.")
        )


def lock_session(session: Session | int) -> Session:
    """The session row, locked until the transaction ends, with course and village.

    Every write that counts places or changes enrolments takes this lock first, so two
    officials enrolling the last place at once are served one after the other. ``of``
    keeps the lock on the session row (PostgreSQL refuses FOR UPDATE on the nullable
    side of an outer join); SQLite ignores FOR UPDATE and serialises writers itself.
    """
    pk = getattr(session, "pk", session)
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("course__commune", "village")
        .get(pk=pk)
    )


def lock_course(course: Course) -> Course:
    return Course.objects.select_for_update(of=("self",)).get(pk=course.pk)


def ensure_not_cancelled(session: Session) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session is cancelled."), code="session_cancelled")


def places_held(session: Session) -> int:
    return session.enrolments.filter(status__in=PLACE_HOLDING).count()


def status_for_new_enrolment(session: Session) -> str:
    """Registered while a place is free, else on the waiting list."""
    if places_held(session) < session.capacity:
        return EnrolmentStatus.REGISTERED
    return EnrolmentStatus.WAITLISTED


def fill_free_places(*, actor, session: Session) -> list[Enrolment]:
    """Move the waiting list up (first come, first served) into the free places of a
    locked session; returns the enrolments moved up."""
    free = session.capacity - places_held(session)
    if free <= 0:
        return []
    moved = list(
        session.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
            "created_at", "pk"
        )[:free]
    )
    for enrolment in moved:
        audited_update(
            enrolment,
            {"status": EnrolmentStatus.REGISTERED},
            actor=actor,
            parent=session,
            note=_("Moved up from the waiting list."),
        )
    return moved


def already_enrolled_error(enrolment: Enrolment) -> ValidationError:
    return ValidationError(
        _("%(name)s is already enrolled in this session (%(status)s).")
        % {"name": enrolment.full_name, "status": enrolment.get_status_display()},
        code="already_enrolled",
    )


def constraint_error() -> ValidationError:
    """The message of the enrolment unique constraints, for an IntegrityError caught
    when another official's save won the race."""
    return ValidationError(
        _("This person is already enrolled."), code="already_enrolled"
    )


def save_new_enrolment(enrolment: Enrolment) -> None:
    """Insert in a savepoint; a duplicate the checks did not see (a race the session
    lock did not cover) becomes the constraint's message."""
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise constraint_error() from None


def now():
    return timezone.now()
