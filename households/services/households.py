"""Household use cases: register a household with its head as first member, change it
(the head member follows), archive it with a reason and restore it.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, audited_update

from ..models import (
    HOUSEHOLD_EDITABLE_FIELDS,
    EthnicGroup,
    Household,
    Member,
    Relation,
    Village,
)
from ..text import national_id_birth_year, national_id_sex
from ._common import _ensure_active, _ensure_village_allowed

HOUSEHOLD_FIELDS = HOUSEHOLD_EDITABLE_FIELDS


def _area(value) -> Decimal:
    """Hectares to two decimals, so 1.5 and 1.50 are the same area (no spurious change)."""
    return Decimal(value if value not in (None, "") else 0).quantize(Decimal("0.01"))


def household_create(
    *,
    actor,
    village: Village,
    code: str,
    head_name: str,
    ethnic_group: EthnicGroup,
    head_sex: str | None = None,
    head_birth_year: int | None = None,
    head_national_id: str | None = None,
    phone: str = "",
    address: str = "",
    main_crops: Iterable[str] = (),
    farmed_area_ha: Decimal | int = 0,
    uses_smartphone: bool = False,
    uses_zalo: bool = False,
    contact_consent: bool = False,
) -> Household:
    """Register a household and its head as its first member."""
    _ensure_village_allowed(actor, village)
    head_national_id = head_national_id or None
    if head_national_id:
        # The ID card carries the head's sex and birth year; it wins over typed values.
        head_sex = national_id_sex(head_national_id)
        head_birth_year = national_id_birth_year(head_national_id)
    if not head_sex or not head_birth_year:
        raise ValidationError(
            _("Give the head's sex and birth year, or their national ID number.")
        )
    with transaction.atomic():
        household = Household(
            commune_id=village.commune_id,
            village=village,
            code=code.strip(),
            head_name=head_name,
            head_national_id=head_national_id,
            phone=phone,
            address=address,
            ethnic_group=ethnic_group,
            main_crops=list(main_crops),
            farmed_area_ha=_area(farmed_area_ha),
            uses_smartphone=uses_smartphone,
            uses_zalo=uses_zalo,
            contact_consent=contact_consent,
        )
        household.full_clean()
        household.save()
        head = Member(
            household=household,
            full_name=head_name,
            sex=head_sex,
            birth_year=head_birth_year,
            relation=Relation.HEAD,
            ethnic_group=ethnic_group,
            national_id=head_national_id,
        )
        head.full_clean()
        head.save()
        audit_created(actor=actor, instance=household, fields=HOUSEHOLD_FIELDS)
    return household


def household_update(*, actor, household: Household, **changes) -> Household:
    """Change household fields; the head member follows name, ID and ethnicity."""
    unknown = set(changes) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"not household fields: {sorted(unknown)}")
    _ensure_village_allowed(actor, household.village)
    _ensure_active(household)
    if "village" in changes:
        _ensure_village_allowed(actor, changes["village"])
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if "head_national_id" in changes:
            changes["head_national_id"] = changes["head_national_id"] or None
        if "farmed_area_ha" in changes:
            changes["farmed_area_ha"] = _area(changes["farmed_area_ha"])
        if "main_crops" in changes:
            changes["main_crops"] = list(changes["main_crops"])
        changed = audited_update(household, changes, actor=actor)
        if changed:
            _sync_head_member(household, changed)
    return household


def _sync_head_member(household: Household, changed: dict) -> None:
    """The head's member row follows the household's head name, ID and ethnicity."""
    head = household.members.filter(relation=Relation.HEAD, is_active=True).first()
    if head is None:
        return
    head_changes = {}
    if "head_name" in changed:
        head_changes["full_name"] = household.head_name
    if "ethnic_group" in changed:
        head_changes["ethnic_group"] = household.ethnic_group
    if "head_national_id" in changed:
        head_changes["national_id"] = household.head_national_id
        if household.head_national_id:
            head_changes["sex"] = national_id_sex(household.head_national_id)
            head_changes["birth_year"] = national_id_birth_year(
                household.head_national_id
            )
    for name, value in head_changes.items():
        setattr(head, name, value)
    if head_changes:
        head.full_clean()
        head.save(update_fields=list(head_changes))


def household_archive(*, actor, household: Household, reason: str) -> Household:
    """Take a household off the active registry (moved away, merged, duplicate)."""
    _ensure_village_allowed(actor, household.village)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the household is archived.")})
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if not household.is_active:
            return household
        household.is_active = False
        household.archived_reason = reason
        household.save(update_fields=["is_active", "archived_reason"])
        audit_record(
            actor=actor, instance=household, action=AuditAction.ARCHIVE, note=reason
        )
    return household


def household_restore(*, actor, household: Household) -> Household:
    _ensure_village_allowed(actor, household.village)
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.is_active:
            return household
        household.is_active = True
        household.archived_reason = ""
        household.full_clean()
        household.save(update_fields=["is_active", "archived_reason"])
        audit_record(actor=actor, instance=household, action=AuditAction.RESTORE)
    return household
