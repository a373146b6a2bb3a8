"""Walk-ins: people enrolled by name who may or may not be in the registry.

``enrol_walk_in`` looks for the person in the registry first: active members of the
commune's active households with the same folded name (and the same birth year, when
given), preferring the given village; or, when a phone is given, a household with that
phone and a member of that name. Exactly one match (in a village the official may act
on) enrols that member: no duplicate. Otherwise a walk-in row is kept (no member, no
household, the village set) and nobody is guessed.

Later an official links the walk-in to a member (``walk_in_match``) or adds them to the
registry as the head of a new household (``walk_in_add_to_registry``, through
``households.services.household_create``). Either way the walk-in's own row becomes the
member's row; if the member already had a row in the session (enrolled separately), the
two are merged into that one (keeping the better status: attended, absent, registered,
waitlisted) and the walk-in row is withdrawn with a note, so a person is never on a
session twice.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created, audited_update
from households.models import EthnicGroup, Member, Relation, Village
from households.selectors import villages_for
from households.services import household_create
from households.text import clean_name, fold, normalise_phone

from ..models import Enrolment, EnrolmentStatus, Session
from ._common import (
    ENROLMENT_FIELDS,
    already_enrolled_error,
    ensure_not_cancelled,
    ensure_own_commune,
    ensure_session_visible,
    ensure_village_allowed,
    fill_free_places,
    lock_session,
    save_new_enrolment,
    status_for_new_enrolment,
)
from .enrolments import (
    _enrol_locked_member,
    _ensure_enrollable_member,
    _load_member,
    _reactivate,
)
from .support import vocational_support

# Which of two rows of the same person wins a merge: the most that is known.
_PRECEDENCE = (
    EnrolmentStatus.WITHDRAWN,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.REGISTERED,
    EnrolmentStatus.ABSENT,
    EnrolmentStatus.ATTENDED,
)
# Enough candidates to tell one from several.
_CANDIDATES = 20


def _clean_phone(phone: str | None) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


def _clean_birth_year(year) -> int | None:
    if year in (None, ""):
        return None
    year = int(year)
    if year < 1900 or year > timezone.localdate().year:
        raise ValidationError(
            {"birth_year": _("Give a birth year between 1900 and this year.")}
        )
    return year


def registry_matches(
    *,
    commune_id: int,
    full_name: str,
    village: Village,
    birth_year: int | None = None,
    phone: str = "",
) -> list[Member]:
    """The registry members who may be this person (see the module's docstring)."""
    people = (
        Member.objects.active()
        .filter(
            household__commune_id=commune_id,
            household__is_active=True,
            name_folded=fold(full_name)[:100],
        )
        .select_related("household__village", "ethnic_group")
        .order_by("pk")
    )
    if birth_year:
        people = people.filter(birth_year=birth_year)
    if phone:
        by_phone = list(people.filter(household__phone=phone)[:2])
        if len(by_phone) == 1:
            return by_phone
    by_name = list(people[:_CANDIDATES])
    in_village = [m for m in by_name if m.household.village_id == village.pk]
    return in_village or by_name


def enrol_walk_in(
    *,
    actor,
    session: Session,
    full_name: str,
    village: Village,
    birth_year: int | None = None,
    phone: str = "",
) -> Enrolment:
    """Enrol a person by name: the registry member when exactly one matches, else a
    walk-in row (registered or waitlisted like anyone)."""
    full_name = clean_name(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Give the person's full name.")})
    if len(full_name) > Enrolment._meta.get_field("full_name").max_length:
        raise ValidationError({"full_name": _("This name is too long.")})
    phone = _clean_phone(phone)
    birth_year = _clean_birth_year(birth_year)
    with transaction.atomic():
        session = lock_session(session)
        ensure_session_visible(actor, session)
        ensure_not_cancelled(session)
        if village.commune_id != session.course.commune_id:
            raise ValidationError({"village": _("Choose a village of the commune.")})
        ensure_village_allowed(actor, village)
        matches = registry_matches(
            commune_id=session.course.commune_id,
            full_name=full_name,
            village=village,
            birth_year=birth_year,
            phone=phone,
        )
        if len(matches) == 1 and (
            villages_for(actor).filter(pk=matches[0].household.village_id).exists()
        ):
            return _enrol_locked_member(actor=actor, session=session, member=matches[0])
        return _enrol_walk_in_row(
            actor=actor,
            session=session,
            full_name=full_name,
            village=village,
            birth_year=birth_year,
            phone=phone,
        )


def _enrol_walk_in_row(*, actor, session, full_name, village, birth_year, phone):
    folded = fold(full_name)[:100]
    # The walk-in unique constraint cannot see two rows with no birth year (NULLs are
    # distinct in SQL); this check, under the session lock, does.
    existing = (
        Enrolment.objects.filter(
            session=session, member__isnull=True, name_folded=folded, phone=phone
        )
        .filter(birth_year=birth_year)
        .first()
        if birth_year
        else Enrolment.objects.filter(
            session=session,
            member__isnull=True,
            name_folded=folded,
            phone=phone,
            birth_year__isnull=True,
        ).first()
    )
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise already_enrolled_error(existing)
    status = status_for_new_enrolment(session)
    support = vocational_support(course=session.course, member=None)
    if existing is not None:
        return _reactivate(
            existing,
            actor=actor,
            session=session,
            status=status,
            full_name=full_name,
            village=village,
            support_amount=support,
        )
    enrolment = Enrolment(
        session=session,
        full_name=full_name,
        name_folded=folded,
        birth_year=birth_year,
        phone=phone,
        village=village,
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


def _lock_walk_in(actor, enrolment: Enrolment) -> tuple[Session, Enrolment]:
    session = lock_session(enrolment.session_id)
    enrolment = Enrolment.objects.select_related("village").get(pk=enrolment.pk)
    ensure_own_commune(actor, session.course.commune_id)
    ensure_village_allowed(actor, enrolment.village)
    if enrolment.member_id is not None:
        raise ValidationError(
            _("%(name)s is already linked to the registry.")
            % {"name": enrolment.full_name}
        )
    return session, enrolment


def _link(*, actor, session: Session, walk_in: Enrolment, member: Member) -> Enrolment:
    """Make the walk-in's row the member's, or merge it into the member's own row."""
    household = member.household
    own = Enrolment.objects.filter(session=session, member=member).first()
    if own is None:
        audited_update(
            walk_in,
            {
                "member": member,
                "household": household,
                "full_name": member.full_name,
                "birth_year": member.birth_year,
                "village": household.village,
                "support_amount": vocational_support(
                    course=session.course, member=member
                ),
            },
            actor=actor,
            parent=session,
            note=_("Walk-in matched to the registry."),
        )
        return walk_in
    best = max(own.status, walk_in.status, key=_PRECEDENCE.index)
    changes = {"status": best}
    if best != EnrolmentStatus.WITHDRAWN:
        changes["withdrawn_at"] = None
    if best == walk_in.status and best != own.status:
        changes["attendance_marked_by"] = walk_in.attendance_marked_by
        changes["attendance_marked_at"] = walk_in.attendance_marked_at
    # The walk-in leaves first: the member's row may take its place.
    if walk_in.status != EnrolmentStatus.WITHDRAWN:
        audited_update(
            walk_in,
            {"status": EnrolmentStatus.WITHDRAWN, "withdrawn_at": timezone.now()},
            actor=actor,
            parent=session,
            note=_("Same person as enrolment %(pk)s of the registry: merged into it.")
            % {"pk": own.pk},
        )
    audited_update(
        own,
        changes,
        actor=actor,
        parent=session,
        note=_("Merged with the walk-in entry %(pk)s of the same person.")
        % {"pk": walk_in.pk},
    )
    fill_free_places(actor=actor, session=session)
    return own


def walk_in_match(*, actor, enrolment: Enrolment, member: Member) -> Enrolment:
    """Link a walk-in to the registry member they are; returns the person's enrolment
    (the walk-in's row, or the member's own row it was merged into)."""
    with transaction.atomic():
        session, walk_in = _lock_walk_in(actor, enrolment)
        member = _load_member(member)
        _ensure_enrollable_member(actor, session, member)
        return _link(actor=actor, session=session, walk_in=walk_in, member=member)


def walk_in_add_to_registry(
    *,
    actor,
    enrolment: Enrolment,
    sex: str,
    ethnic_group: EthnicGroup,
    code: str,
    birth_year: int | None = None,
    national_id: str | None = None,
    phone: str | None = None,
    address: str = "",
    allow_namesake: bool = False,
) -> Enrolment:
    """Register a walk-in as the head of a new household of their village (through
    ``household_create``: its checks and audit apply) and link the enrolment to them.

    ``birth_year`` and ``phone`` default to the walk-in's. When the registry already
    has a person of that name (and birth year) the official is asked to match instead,
    unless ``allow_namesake`` says it is another person.
    """
    birth_year = _clean_birth_year(birth_year)
    phone = _clean_phone(phone) if phone is not None else None
    with transaction.atomic():
        session, walk_in = _lock_walk_in(actor, enrolment)
        birth_year = birth_year or walk_in.birth_year
        phone = walk_in.phone if phone is None else phone
        if not allow_namesake:
            namesakes = registry_matches(
                commune_id=session.course.commune_id,
                full_name=walk_in.full_name,
                village=walk_in.village,
                birth_year=birth_year,
                phone=phone,
            )
            if namesakes:
                raise ValidationError(
                    _(
                        "The registry already has a person named %(name)s (household "
                        "%(codes)s). Match the walk-in to them, or confirm that this is "
                        "another person."
                    )
                    % {
                        "name": walk_in.full_name,
                        "codes": ", ".join(
                            f"{m.household.code} – {m.household.village.name}"
                            for m in namesakes[:3]
                        ),
                    },
                    code="namesake",
                )
        household = household_create(
            actor=actor,
            village=walk_in.village,
            code=code,
            head_name=walk_in.full_name,
            ethnic_group=ethnic_group,
            head_sex=sex,
            head_birth_year=birth_year,
            head_national_id=national_id or None,
            phone=phone,
            address=address,
        )
        head = _load_member(
            household.members.get(relation=Relation.HEAD, is_active=True)
        )
        return _link(actor=actor, session=session, walk_in=walk_in, member=head)
