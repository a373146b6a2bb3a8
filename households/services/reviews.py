"""Poverty review use cases: what the standard proposes for a household's answers, recording
the yearly review (the portal proposes, the official confirms or overrides) and correcting
a recorded one; both keep the household's current status in step with its latest review.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_record, diff, snapshot

from ..models import DeprivationIndicator, Household, PovertyReview, PovertyStatus
from ..poverty import propose_status
from ..selectors import standard_for_year
from ._common import _ensure_active, _ensure_village_allowed

REVIEW_FIELDS = ("income_per_person", "status", "override_reason", "notes")


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
