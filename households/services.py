"""Writes to the registry: one function per use case, each in one transaction, each audited.

Every function checks that the actor may act on the village (the views already fetched the
record through a scoped selector; this is the second lock on the same door), validates with
``full_clean()`` so database constraints surface as translated form errors, and never
deletes: households and members are archived with a reason.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, diff, snapshot

from .models import (
    DeprivationIndicator,
    EthnicGroup,
    Household,
    Member,
    PovertyReview,
    PovertyStatus,
    Relation,
    Village,
)
from .poverty import propose_status
from .selectors import standard_for_year, villages_for
from .text import national_id_birth_year, national_id_sex

HOUSEHOLD_FIELDS = (
    "village",
    "code",
    "head_name",
    "head_national_id",
    "phone",
    "address",
    "ethnic_group",
    "main_crops",
    "farmed_area_ha",
    "uses_smartphone",
    "uses_zalo",
    "contact_consent",
)
MEMBER_FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "relation",
    "ethnic_group",
    "national_id",
    "is_student",
    "has_disability",
    "has_health_insurance",
)


def _ensure_village_allowed(actor, village: Village) -> None:
    if not villages_for(actor).filter(pk=village.pk).exists():
        raise PermissionDenied(_("You cannot edit records of this village."))


def _area(value) -> Decimal:
    """Hectares to two decimals, so 1.5 and 1.50 are the same area (no spurious change)."""
    return Decimal(value if value not in (None, "") else 0).quantize(Decimal("0.01"))


def _ensure_active(household: Household) -> None:
    if not household.is_active:
        raise ValidationError(
            _("This household is archived; restore it before changing its records.")
        )


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
        before = snapshot(household, changes)
        for name, value in changes.items():
            if name == "head_national_id":
                value = value or None
            if name == "farmed_area_ha":
                value = _area(value)
            if name == "main_crops":
                value = list(value)
            setattr(household, name, value)
        household.full_clean()
        changed = diff(before, snapshot(household, changes))
        if not changed:
            return household
        household.save(update_fields=list(changes))
        head = household.members.filter(relation=Relation.HEAD, is_active=True).first()
        if head is not None:
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
        audit_record(
            actor=actor, instance=household, action=AuditAction.UPDATE, changes=changed
        )
    return household


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


def poverty_review_propose(
    *, household: Household, year: int, income_per_person: int, deprivations
):
    """What the standard of ``year`` says about these answers (no write)."""
    standard = standard_for_year(year)
    if standard is None:
        raise ValidationError(
            {"year": _("No poverty standard covers %(year)s.") % {"year": year}}
        )
    previous = (
        PovertyReview.objects.filter(household=household, year=year - 1)
        .values_list("status", flat=True)
        .first()
    )
    names = [str(d) for d in sorted(deprivations, key=lambda d: (d.sort_order, d.code))]
    proposal = propose_status(
        standard=standard,
        income_per_person=income_per_person,
        deprivation_names=names,
        is_urban=household.commune.is_urban,
        previous_status=previous,
    )
    return standard, proposal


def _judge_review(
    *,
    household: Household,
    year: int,
    income_per_person: int,
    deprivations: list[DeprivationIndicator],
    status: str | None,
    override_reason: str,
):
    """Validate review answers and decide the status: (standard, proposal, status, reason).

    Shared by recording and correcting a review, so both apply the same rules.
    """
    if year > timezone.localdate().year:
        raise ValidationError(
            {"year": _("A review cannot be recorded for a future year.")}
        )
    if income_per_person is None or income_per_person < 0:
        raise ValidationError({"income_per_person": _("Income cannot be below zero.")})
    # The stored explanation is part of the record: always in the language of record
    # (Vietnamese), whichever language the official's screen uses.
    with translation.override(settings.LANGUAGE_CODE):
        standard, proposal = poverty_review_propose(
            household=household,
            year=year,
            income_per_person=income_per_person,
            deprivations=deprivations,
        )
    allowed = set(standard.indicators.values_list("pk", flat=True))
    if any(d.pk not in allowed for d in deprivations):
        raise ValidationError(
            {
                "deprivations": _(
                    "An indicator is not part of the standard for that year."
                )
            }
        )
    status = status or proposal.status
    override_reason = (override_reason or "").strip()
    if status != proposal.status and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "The portal proposes “%(proposed)s”; say why you record “%(chosen)s”."
                )
                % {
                    "proposed": PovertyStatus(proposal.status).label,
                    "chosen": PovertyStatus(status).label,
                }
            }
        )
    if status == proposal.status:
        override_reason = ""
    return standard, proposal, status, override_reason


def poverty_review_record(
    *,
    actor,
    household: Household,
    year: int,
    income_per_person: int,
    deprivations: Iterable[DeprivationIndicator],
    status: str | None = None,
    override_reason: str = "",
    notes: str = "",
    note_for_audit: str = "",
) -> PovertyReview:
    """Record the yearly review: the portal proposes, the official confirms or overrides."""
    _ensure_village_allowed(actor, household.village)
    _ensure_active(household)
    deprivations = list(deprivations)
    standard, proposal, status, override_reason = _judge_review(
        household=household,
        year=year,
        income_per_person=income_per_person,
        deprivations=deprivations,
        status=status,
        override_reason=override_reason,
    )
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()
        review = PovertyReview(
            household=household,
            year=year,
            standard=standard,
            income_per_person=income_per_person,
            proposed_status=proposal.status,
            proposal_reason=proposal.reason,
            status=status,
            override_reason=override_reason,
            notes=notes,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        review.full_clean()
        review.save()
        review.deprivations.set(deprivations)
        _refresh_current_status(household)
        changes = {
            "year": [None, year],
            "income_per_person": [None, income_per_person],
            "deprivations": [None, [str(d) for d in deprivations]],
            "status": [None, str(PovertyStatus(status).label)],
        }
        if override_reason:
            changes["override_reason"] = [None, override_reason]
        audit_record(
            actor=actor,
            instance=review,
            action=AuditAction.CREATE,
            changes=changes,
            parent=household,
            note=note_for_audit,
        )
    return review


def _refresh_current_status(household: Household) -> None:
    """Copy the latest review's status onto the household (same transaction)."""
    latest = (
        PovertyReview.objects.filter(household_id=household.pk)
        .order_by("-year")
        .values_list("year", "status")
        .first()
    )
    year, status = latest if latest else (None, "")
    Household.objects.filter(pk=household.pk).update(
        current_review_year=year, current_status=status
    )
    household.current_review_year, household.current_status = year, status


VILLAGE_FIELDS = ("code", "name", "kind", "is_ethnic_minority", "sort_order")


def _ensure_commune_wide(actor) -> None:
    if not actor.is_commune_wide:
        raise PermissionDenied(
            _("Only commune officials can change the list of villages.")
        )


def village_create(*, actor, **fields) -> Village:
    """Add a village or hamlet to the actor's commune."""
    _ensure_commune_wide(actor)
    with transaction.atomic():
        village = Village(commune_id=actor.commune_id, **fields)
        village.full_clean()
        village.save()
        audit_created(actor=actor, instance=village, fields=VILLAGE_FIELDS)
    return village


def village_update(*, actor, village: Village, **changes) -> Village:
    _ensure_commune_wide(actor)
    if not villages_for(actor).filter(pk=village.pk).exists():
        raise PermissionDenied(_("You cannot edit records of this village."))
    with transaction.atomic():
        village = Village.objects.select_for_update().get(pk=village.pk)
        before = snapshot(village, changes)
        for name, value in changes.items():
            setattr(village, name, value)
        village.full_clean()
        changed = diff(before, snapshot(village, changes))
        if changed:
            village.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                instance=village,
                action=AuditAction.UPDATE,
                changes=changed,
            )
    return village


REVIEW_FIELDS = ("income_per_person", "status", "override_reason", "notes")


def poverty_review_correct(
    *,
    actor,
    review: PovertyReview,
    income_per_person: int,
    deprivations: Iterable[DeprivationIndicator],
    status: str | None = None,
    override_reason: str = "",
    notes: str = "",
    reason: str,
) -> PovertyReview:
    """Correct a recorded review (a typing mistake, a late document): the proposal is made
    again, the change and its reason go into the history, nothing is deleted."""
    household = review.household
    _ensure_village_allowed(actor, household.village)
    _ensure_active(household)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the review is corrected.")})
    deprivations = list(deprivations)
    standard, proposal, status, override_reason = _judge_review(
        household=household,
        year=review.year,
        income_per_person=income_per_person,
        deprivations=deprivations,
        status=status,
        override_reason=override_reason,
    )
    with transaction.atomic():
        review = PovertyReview.objects.select_for_update().get(pk=review.pk)
        before = snapshot(review, REVIEW_FIELDS)
        before["deprivations"] = sorted(str(d) for d in review.deprivations.all())
        review.standard = standard
        review.income_per_person = income_per_person
        review.proposed_status = proposal.status
        review.proposal_reason = proposal.reason
        review.status = status
        review.override_reason = override_reason
        review.notes = notes
        review.full_clean()
        after = snapshot(review, REVIEW_FIELDS)
        after["deprivations"] = sorted(str(d) for d in deprivations)
        changed = diff(before, after)
        if not changed:
            return review
        review.save()
        review.deprivations.set(deprivations)
        _refresh_current_status(household)
        audit_record(
            actor=actor,
            instance=review,
            action=AuditAction.UPDATE,
            changes=changed,
            parent=household,
            note=reason,
        )
    return review
