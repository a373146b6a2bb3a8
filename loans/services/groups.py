"""Savings-and-loan groups: set up by commune officials, members added and removed by the
officials of the village. Audited like every registry write."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, audited_update
from households.models import Household, Village
from households.services import _ensure_active, _ensure_village_allowed

from ..models import LoanStatus, SavingsGroup

GROUP_FIELDS = (
    "village",
    "name",
    "organisation",
    "leader_name",
    "leader_phone",
    "established_on",
    "is_active",
    "notes",
)


@transaction.atomic
def savings_group_create(*, actor, village: Village, **fields) -> SavingsGroup:
    _ensure_village_allowed(actor, village)
    group = SavingsGroup(village=village, **fields)
    group.full_clean()
    group.save()
    audit_created(actor=actor, instance=group, fields=GROUP_FIELDS)
    return group


@transaction.atomic
def savings_group_update(*, actor, group: SavingsGroup, changes: dict) -> SavingsGroup:
    group = SavingsGroup.objects.select_for_update().get(pk=group.pk)
    _ensure_village_allowed(actor, group.village)
    if "village" in changes and changes["village"] != group.village:
        _ensure_village_allowed(actor, changes["village"])
        if group.loans.exists() or group.members.exists():
            raise ValidationError(
                {
                    "village": _(
                        "A group with members or loans stays in its village; set up a "
                        "new group instead."
                    )
                }
            )
    audited_update(group, changes, actor=actor)
    return group


@transaction.atomic
def savings_group_add_member(
    *, actor, group: SavingsGroup, household: Household
) -> None:
    _ensure_village_allowed(actor, group.village)
    _ensure_active(household)
    if household.village_id != group.village_id:
        raise ValidationError(
            _("Only households of %(village)s can join this group.")
            % {"village": group.village}
        )
    if group.members.filter(pk=household.pk).exists():
        return
    group.members.add(household)
    audit_record(
        actor=actor,
        instance=group,
        action=AuditAction.UPDATE,
        changes={"members": [None, household.code]},
        parent=household,
    )


@transaction.atomic
def savings_group_remove_member(
    *, actor, group: SavingsGroup, household: Household, reason: str
) -> None:
    _ensure_village_allowed(actor, group.village)
    _ensure_village_allowed(actor, household.village)  # it may have moved since
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the household leaves the group.")})
    running = group.loans.filter(
        household=household,
        status__in=(LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.DISBURSED),
    )
    if running.exists():
        raise ValidationError(
            _("The household has a loan through this group that is not settled.")
        )
    group.members.remove(household)
    audit_record(
        actor=actor,
        instance=group,
        action=AuditAction.UPDATE,
        changes={"members": [household.code, None]},
        parent=household,
        note=reason.strip(),
    )
