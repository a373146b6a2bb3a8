"""Member use cases: add a member to a household, change one, remove one with a reason
(kept, marked inactive), and hand the household to another member as its head.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import (
    audit_created,
    audit_record,
    audited_update,
    diff,
    snapshot,
)

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
        if "national_id" in changes:
            changes["national_id"] = changes["national_id"] or None
        audited_update(member, changes, actor=actor, parent=household)
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
            _(
                "The head cannot be removed; first make another member the head (on that member’s page)."
            )
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


def household_change_head(
    *, actor, new_head: Member, former_head_relation: str | None, reason: str
) -> Member:
    """Hand the household to another member (the head died, moved away or stepped down).

    The former head either stays with a new relation (``former_head_relation``) or, when
    it is None, leaves the household (kept, marked inactive, with ``reason``). The
    household's head fields then follow the new head.
    """
    household = new_head.household
    _ensure_village_allowed(actor, household.village)
    _ensure_active(household)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the head of household changes.")})
    if not new_head.is_active or new_head.relation == Relation.HEAD:
        raise ValidationError(_("Choose a current member who is not the head already."))
    if former_head_relation == Relation.HEAD:
        raise ValidationError(
            {"former_head": _("The household can have only one head.")}
        )
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        former = household.members.select_for_update().get(
            relation=Relation.HEAD, is_active=True
        )
        new_head = Member.objects.select_for_update().get(pk=new_head.pk)
        # The former head steps down first: one active head at any moment.
        if former_head_relation:
            former.relation = former_head_relation
            former.save(update_fields=["relation"])
        else:
            former.is_active = False
            former.removed_reason = reason
            former.save(update_fields=["is_active", "removed_reason"])
        audit_record(
            actor=actor,
            instance=former,
            action=AuditAction.UPDATE if former_head_relation else AuditAction.ARCHIVE,
            changes={
                "relation": [str(Relation.HEAD.label), former.get_relation_display()]
            }
            if former_head_relation
            else {},
            parent=household,
            note=reason,
        )
        new_head.relation = Relation.HEAD
        new_head.full_clean()
        new_head.save(update_fields=["relation"])
        before = snapshot(household, ("head_name", "head_national_id", "ethnic_group"))
        household.head_name = new_head.full_name
        household.head_national_id = new_head.national_id
        household.ethnic_group = new_head.ethnic_group
        household.full_clean()
        household.save(update_fields=["head_name", "head_national_id", "ethnic_group"])
        audit_record(
            actor=actor,
            instance=household,
            action=AuditAction.UPDATE,
            changes=diff(before, snapshot(household, tuple(before))),
            note=reason,
        )
    return new_head
