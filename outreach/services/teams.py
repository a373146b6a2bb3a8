"""Digital teams and their members: set up a village's team, correct it, add a member,
change one, and record that a member left.

A commune-wide official acts on any village of their commune, a village officer on their
own villages only (``households.selectors.villages_for``); the screens fetch the team
through the scoped selector, and every function checks the village again. Phones are
normalised like the registry's (``households.text.normalise_phone``). The database keeps
one active leader per team and one active member per phone number; a clash found before
saving, or raised by the database when two people save at once, becomes the
constraint's own message on the field it concerns.
"""

import copy
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, audited_update
from households.models import Village
from households.selectors import villages_for
from households.text import clean_name, normalise_phone

from ..models import DigitalTeam, TeamMember, TeamRole
from ..models.teams import EARLIEST_TEAM_DATE

TEAM_FIELDS = ("village", "established_on", "decision_number", "note")
TEAM_EDITABLE_FIELDS = ("established_on", "decision_number", "note")
MEMBER_FIELDS = (
    "full_name",
    "phone",
    "role",
    "is_youth_union",
    "user",
    "joined_on",
    "left_on",
)
MEMBER_EDITABLE_FIELDS = (
    "full_name",
    "phone",
    "role",
    "is_youth_union",
    "user",
    "joined_on",
)


def constraint_message(model, name: str) -> str:
    """The translated ``violation_error_message`` of one of ``model``'s constraints, so
    a rule checked before saving reads exactly as the database's would."""
    for constraint in model._meta.constraints:
        if constraint.name == name:
            return str(constraint.violation_error_message)
    raise LookupError(name)


def ensure_village_allowed(actor, village: Village) -> None:
    if not villages_for(actor).filter(pk=village.pk).exists():
        raise PermissionDenied(_("You cannot edit records of this village."))


def ensure_not_future(day: date | None, field: str, *, today: date | None = None):
    if day is not None and day > (today or timezone.localdate()):
        raise ValidationError({field: _("This date is in the future.")})


# --- Teams ------------------------------------------------------------------------------


def _team_exists_message(village: Village) -> str:
    return _(
        "%(village)s already has a digital team; open it from the list of teams to "
        "change it or add members."
    ) % {"village": village.name}


def _check_team(*, established_on: date | None, decision_number: str) -> None:
    errors = {}
    if established_on is not None and established_on > timezone.localdate():
        errors["established_on"] = _("This date is in the future.")
    elif established_on is not None and established_on < EARLIEST_TEAM_DATE:
        errors["established_on"] = constraint_message(
            DigitalTeam, "digital_team_plausible_date"
        )
    if not decision_number:
        errors["decision_number"] = _(
            "Enter the number of the decision that set up the team, e.g. 125/QĐ-UBND."
        )
    if errors:
        raise ValidationError(errors)


def team_create(
    *,
    actor,
    village: Village,
    established_on: date,
    decision_number: str,
    note: str = "",
) -> DigitalTeam:
    """Set up the digital team of ``village`` (one per village)."""
    ensure_village_allowed(actor, village)
    decision_number = (decision_number or "").strip()
    _check_team(established_on=established_on, decision_number=decision_number)
    if DigitalTeam.objects.filter(village=village).exists():
        raise ValidationError({"village": _team_exists_message(village)})
    team = DigitalTeam(
        village=village,
        established_on=established_on,
        decision_number=decision_number,
        note=(note or "").strip(),
    )
    # The one-to-one's uniqueness was checked above with a clearer message.
    team.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            team.save()
            audit_created(actor=actor, instance=team, fields=TEAM_FIELDS)
    except IntegrityError:  # another official set it up a moment ago
        if DigitalTeam.objects.filter(village=village).exists():
            raise ValidationError({"village": _team_exists_message(village)}) from None
        raise
    return team


def team_update(*, actor, team: DigitalTeam, **changes) -> DigitalTeam:
    """Correct the team's date of establishment, decision number or note."""
    unknown = set(changes) - set(TEAM_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"team_update cannot change {sorted(unknown)}")
    ensure_village_allowed(actor, team.village)
    if "decision_number" in changes:
        changes["decision_number"] = (changes["decision_number"] or "").strip()
    if "note" in changes:
        changes["note"] = (changes["note"] or "").strip()
    _check_team(
        established_on=changes.get("established_on", team.established_on),
        decision_number=changes.get("decision_number", team.decision_number),
    )
    with transaction.atomic():
        team = DigitalTeam.objects.select_for_update().get(pk=team.pk)
        audited_update(team, changes, actor=actor)
    return team


# --- Members ----------------------------------------------------------------------------


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


def _check_account(user, team: DigitalTeam) -> None:
    if user is None:
        return
    if not user.is_active or (
        not user.is_superuser and user.commune_id != team.village.commune_id
    ):
        raise ValidationError(
            {"user": _("Choose a portal account of this commune that is in use.")}
        )


def _clashes(member: TeamMember) -> dict[str, str]:
    """What another active member of the team already holds: the leader's place, the
    phone number. Keyed by the field the person should change."""
    if member.left_on is not None:
        return {}
    others = TeamMember.objects.active().filter(team_id=member.team_id)
    if member.pk:
        others = others.exclude(pk=member.pk)
    errors = {}
    if member.role == TeamRole.LEADER and others.filter(role=TeamRole.LEADER).exists():
        errors["role"] = constraint_message(TeamMember, "team_one_leader")
    if member.phone and others.filter(phone=member.phone).exists():
        errors["phone"] = constraint_message(TeamMember, "team_member_phone_unique")
    return errors


def _check_member(member: TeamMember) -> None:
    """Every rule of a member row, each on its field, before the model's own checks."""
    errors: dict[str, str] = {}
    if not member.full_name:
        errors["full_name"] = _("Enter the member's full name.")
    today = timezone.localdate()
    for field in ("joined_on", "left_on"):
        day = getattr(member, field)
        if day is not None and day > today:
            errors[field] = _("This date is in the future.")
    if (
        "left_on" not in errors
        and member.left_on
        and member.joined_on
        and member.left_on < member.joined_on
    ):
        errors["left_on"] = constraint_message(
            TeamMember, "team_member_left_after_joined"
        )
    errors.update({k: v for k, v in _clashes(member).items() if k not in errors})
    if errors:
        raise ValidationError(errors)
    member.full_clean()


def _save_member(member: TeamMember, *, update_fields=None) -> None:
    """Save in a savepoint; if another official's save won the race for the leader's
    place or the phone number, say so as the constraint does."""
    try:
        with transaction.atomic():
            member.save(update_fields=update_fields)
    except IntegrityError:
        clashes = _clashes(member)
        if clashes:
            raise ValidationError(clashes) from None
        raise


def member_add(
    *,
    actor,
    team: DigitalTeam,
    full_name: str,
    phone: str = "",
    role: str = TeamRole.MEMBER,
    is_youth_union: bool = False,
    user=None,
    joined_on: date | None = None,
) -> TeamMember:
    """Add a member to the team."""
    ensure_village_allowed(actor, team.village)
    _check_account(user, team)
    member = TeamMember(
        team=team,
        full_name=clean_name(full_name),
        phone=_clean_phone(phone),
        role=role or TeamRole.MEMBER,
        is_youth_union=bool(is_youth_union),
        user=user,
        joined_on=joined_on,
    )
    _check_member(member)
    with transaction.atomic():
        _save_member(member)
        audit_created(actor=actor, instance=member, fields=MEMBER_FIELDS, parent=team)
    return member


def _left_message(member: TeamMember) -> str:
    return _("%(name)s left the team on %(date)s; the record is kept as it was.") % {
        "name": member.full_name,
        "date": member.left_on.strftime("%d/%m/%Y"),
    }


def member_update(*, actor, member: TeamMember, **changes) -> TeamMember:
    """Change a current member: name, phone, role, Youth Union, account, date joined."""
    unknown = set(changes) - set(MEMBER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"member_update cannot change {sorted(unknown)}")
    team = member.team
    ensure_village_allowed(actor, team.village)
    if "full_name" in changes:
        changes["full_name"] = clean_name(changes["full_name"])
    if "phone" in changes:
        changes["phone"] = _clean_phone(changes["phone"])
    if "user" in changes:
        _check_account(changes["user"], team)
    with transaction.atomic():
        member = TeamMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise ValidationError(_left_message(member))
        # The row with the changes, to check before saving.
        draft = copy.copy(member)
        for name, value in changes.items():
            setattr(draft, name, value)
        _check_member(draft)
        try:
            with transaction.atomic():
                audited_update(member, changes, actor=actor, parent=team)
        except IntegrityError:
            clashes = _clashes(draft)
            if clashes:
                raise ValidationError(clashes) from None
            raise
    return member


def member_leave(*, actor, member: TeamMember, left_on: date) -> TeamMember:
    """Record that a member left the team; a leader who leaves frees the leader's place.
    The row stays (with its applications and contacts) and shows as a former member."""
    ensure_village_allowed(actor, member.team.village)
    if left_on is None:
        raise ValidationError({"left_on": _("Enter the date the member left.")})
    with transaction.atomic():
        member = TeamMember.objects.select_for_update().get(pk=member.pk)
        if member.left_on is not None:
            raise ValidationError(_left_message(member))
        ensure_not_future(left_on, "left_on")
        if member.joined_on and left_on < member.joined_on:
            raise ValidationError(
                {
                    "left_on": constraint_message(
                        TeamMember, "team_member_left_after_joined"
                    )
                }
            )
        member.left_on = left_on
        member.full_clean()
        member.save(update_fields=["left_on"])
        audit_record(
            actor=actor,
            instance=member,
            action=AuditAction.ARCHIVE,
            changes={"left_on": [None, str(left_on)]},
            parent=member.team,
        )
    return member
