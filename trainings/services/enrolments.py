"""Enrolments of registry members, withdrawals and attendance.

Every function locks the session row first (``lock_session``): places are counted and
the waiting list moved under that lock, so two officials enrolling the last place at
once cannot both get it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created, audited_update
from households.models import Member
from households.text import fold

from ..models import Enrolment, EnrolmentStatus, Session, SessionStatus
from ._common import (
    ENROLMENT_FIELDS,
    already_enrolled_error,
    ensure_may_manage,
    ensure_not_cancelled,
    ensure_own_commune,
    ensure_session_visible,
    ensure_village_allowed,
    fill_free_places,
    lock_session,
    save_new_enrolment,
    status_for_new_enrolment,
)
from .support import vocational_support

# What attendance may be marked on (and corrected: attended ↔ absent).
MARKABLE = (
    EnrolmentStatus.REGISTERED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.ABSENT,
)


def _load_member(member: Member) -> Member:
    return Member.objects.select_related("household__village", "ethnic_group").get(
        pk=member.pk
    )


def _ensure_enrollable_member(actor, session: Session, member: Member) -> None:
    household = member.household
    ensure_own_commune(actor, household.commune_id)
    if household.commune_id != session.course.commune_id:
        raise ValidationError(_("This person lives in another commune."))
    ensure_village_allowed(actor, household.village)
    if not member.is_active or not household.is_active:
        raise ValidationError(
            _("%(name)s is no longer in the registry (removed or archived).")
            % {"name": member.full_name}
        )


def _enrol_locked_member(*, actor, session: Session, member: Member) -> Enrolment:
    """Enrol ``member`` (loaded with household and ethnicity) into the locked session:
    a new row, or the person's withdrawn row made active again."""
    existing = Enrolment.objects.filter(session=session, member=member).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise already_enrolled_error(existing)
    status = status_for_new_enrolment(session)
    support = vocational_support(course=session.course, member=member)
    household = member.household
    if existing is not None:
        return _reactivate(
            existing,
            actor=actor,
            session=session,
            status=status,
            full_name=member.full_name,
            village=household.village,
            support_amount=support,
        )
    enrolment = Enrolment(
        session=session,
        member=member,
        household=household,
        full_name=member.full_name,
        name_folded=fold(member.full_name)[:100],
        birth_year=member.birth_year,
        village=household.village,
        status=status,
        support_amount=support,
        registered_by=actor if actor.pk else None,
    )
    enrolment.full_clean(validate_constraints=False)
    save_new_enrolment(enrolment)
    audit_created(
        actor=actor, instance=enrolment, fields=ENROLMENT_FIELDS, parent=session
    )
    return enrolment


def _reactivate(
    enrolment: Enrolment, *, actor, session: Session, status: str, **fields
):
    """A withdrawn person enrols again: the same row, at the end of the queue (its
    registration time is now)."""
    audited_update(
        enrolment,
        {
            "status": status,
            "withdrawn_at": None,
            "created_at": timezone.now(),
            "registered_by": actor if actor.pk else None,
            **fields,
        },
        actor=actor,
        parent=session,
        note=_("Enrolled again after withdrawing."),
    )
    return enrolment


def enrol_member(*, actor, session: Session, member: Member) -> Enrolment:
    """Enrol a registry member: registered while a place is free, else waitlisted.
    Vocational courses fix the member's support now. Enrolling the same person twice
    is refused; a person who withdrew is enrolled again on the same row."""
    with transaction.atomic():
        session = lock_session(session)
        ensure_session_visible(actor, session)
        ensure_not_cancelled(session)
        member = _load_member(member)
        _ensure_enrollable_member(actor, session, member)
        return _enrol_locked_member(actor=actor, session=session, member=member)


def enrolment_withdraw(*, actor, enrolment: Enrolment) -> Enrolment:
    """Withdraw a registered or waitlisted person; a freed place goes to the first on
    the waiting list."""
    with transaction.atomic():
        session = lock_session(enrolment.session_id)
        enrolment = Enrolment.objects.select_related("village").get(pk=enrolment.pk)
        ensure_own_commune(actor, session.course.commune_id)
        ensure_village_allowed(actor, enrolment.village)
        ensure_not_cancelled(session)
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            raise ValidationError(
                _("%(name)s has already withdrawn.") % {"name": enrolment.full_name}
            )
        if enrolment.status in (EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT):
            raise ValidationError(
                _("Attendance of %(name)s is already marked; correct it instead.")
                % {"name": enrolment.full_name}
            )
        audited_update(
            enrolment,
            {"status": EnrolmentStatus.WITHDRAWN, "withdrawn_at": timezone.now()},
            actor=actor,
            parent=session,
        )
        fill_free_places(actor=actor, session=session)
    return enrolment


def attendance_mark(
    *,
    actor,
    session: Session,
    attended: Iterable[int] = (),
    absent: Iterable[int] = (),
) -> int:
    """Mark who came (``attended``) and who did not (``absent``), by enrolment id, for a
    session that has started and is not cancelled; marks may be corrected. The session
    becomes held. Returns how many enrolments changed."""
    attended_ids = {int(pk) for pk in attended}
    absent_ids = {int(pk) for pk in absent}
    if attended_ids & absent_ids:
        raise ValidationError(_("A person cannot be marked both present and absent."))
    with transaction.atomic():
        session = lock_session(session)
        ensure_may_manage(actor, session)
        if session.status == SessionStatus.CANCELLED:
            raise ValidationError(
                _("This session is cancelled: there is no attendance to mark.")
            )
        if session.starts_at > timezone.now():
            raise ValidationError(
                _("This session has not started yet: attendance is marked once it has.")
            )
        wanted = attended_ids | absent_ids
        rows = {
            e.pk: e for e in Enrolment.objects.filter(session=session, pk__in=wanted)
        }
        if len(rows) != len(wanted):
            raise ValidationError(
                _("Some of these people are not enrolled in this session.")
            )
        withdrawn = [e.full_name for e in rows.values() if e.status not in MARKABLE]
        if withdrawn:
            raise ValidationError(
                _("These people have withdrawn: %(names)s.")
                % {"names": ", ".join(sorted(withdrawn))}
            )
        now = timezone.now()
        changed = 0
        for pk, enrolment in sorted(rows.items()):
            target = (
                EnrolmentStatus.ATTENDED
                if pk in attended_ids
                else EnrolmentStatus.ABSENT
            )
            if enrolment.status == target:
                continue
            audited_update(
                enrolment,
                {
                    "status": target,
                    "attendance_marked_by": actor if actor.pk else None,
                    "attendance_marked_at": now,
                },
                actor=actor,
                parent=session,
            )
            changed += 1
        if wanted and session.status == SessionStatus.SCHEDULED:
            audited_update(session, {"status": SessionStatus.HELD}, actor=actor)
    return changed
