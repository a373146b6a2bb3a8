"""Member use cases: add a member to a household, change one, and remove one with a reason
(kept, marked inactive). The head is managed through the household itself.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, diff, snapshot

from ..models import MEMBER_EDITABLE_FIELDS, Household, Member, Relation
from ._common import _ensure_active, _ensure_village_allowed

MEMBER_FIELDS = MEMBER_EDITABLE_FIELDS


def member_add(*, actor, household: Household, **fields) -> Member:
    _ensure_village_allowed(actor, household.village)
    _ensure_active(household)
    if fields.get("relation") == Relation.HEAD:
        raise ValidationError(
            {
                "relation": _(
                    "The head is set on the household itself; choose another relation."
                )
            }
        )
    with transaction.atomic():
        member = Member(household=household, **{k: fields.get(k) for k in fields})
        member.national_id = member.national_id or None
        member.full_clean()
        member.save()
        audit_created(
            actor=actor, instance=member, fields=MEMBER_FIELDS, parent=household
        )
    return member


def member_update(*, actor, member: Member, **changes) -> Member:
    household = member.household
    _ensure_village_allowed(actor, household.village)
    _ensure_active(household)
    if member.relation == Relation.HEAD:
        # Name, ID and ethnicity of the head are edited on the household, so the two agree.
        for name in ("full_name", "national_id", "ethnic_group", "relation"):
            changes.pop(name, None)
    elif changes.get("relation") == Relation.HEAD:
        raise ValidationError(
            {
                "relation": _(
                    "The head is set on the household itself; choose another relation."
                )
            }
        )
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        before = snapshot(member, changes)
        for name, value in changes.items():
            setattr(member, name, (value or None) if name == "national_id" else value)
        member.full_clean()
        changed = diff(before, snapshot(member, changes))
        if changed:
            member.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                instance=member,
                action=AuditAction.UPDATE,
                changes=changed,
                parent=household,
            )
    return member


def member_remove(*, actor, member: Member, reason: str) -> Member:
    """Remove a member from the household (moved away, deceased): kept, marked inactive."""
    _ensure_village_allowed(actor, member.household.village)
    _ensure_active(member.household)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the member is removed.")})
    if member.relation == Relation.HEAD:
        raise ValidationError(
            _("The head cannot be removed; change the head on the household first.")
        )
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            return member
        member.is_active = False
        member.removed_reason = reason
        member.save(update_fields=["is_active", "removed_reason"])
        audit_record(
            actor=actor,
            instance=member,
            action=AuditAction.ARCHIVE,
            note=reason,
            parent=member.household,
        )
    return member
