"""Online public-service applications a digital team member helped a household file:
record one, correct it, and follow its status.

The status walks filed → being processed → (more papers needed ↔ being processed) →
result received or refused; those two are final. Each change is one audited update, so
the application's page shows who moved it when, with the note they gave.
"""

import copy
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created, audited_update
from households.models import Household
from households.selectors import villages_for

from ..models import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    AssistedApplication,
    PublicService,
    TeamMember,
)
from ..models.applications import EARLIEST_APPLICATION_DATE
from .teams import constraint_message

S = ApplicationStatus
# Where an application may go from each status. "Result received" and "refused" are final.
# Many online services answer the same day or refuse at intake, so a filed application
# may be finished or refused directly, and one waiting for papers may be refused.
APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.FILED: (S.PROCESSING, S.NEEDS_MORE, S.DONE, S.REJECTED),
    S.PROCESSING: (S.NEEDS_MORE, S.DONE, S.REJECTED),
    S.NEEDS_MORE: (S.PROCESSING, S.REJECTED),
    S.DONE: (),
    S.REJECTED: (),
}
FINAL_APPLICATION_STATUSES = (S.DONE, S.REJECTED)

APPLICATION_FIELDS = (
    "household",
    "service",
    "service_detail",
    "filed_on",
    "reference_number",
    "status",
    "helped_by",
    "follow_up_on",
    "note",
)
APPLICATION_EDITABLE_FIELDS = (
    "service",
    "service_detail",
    "filed_on",
    "reference_number",
    "helped_by",
    "follow_up_on",
    "note",
)
_UNCHANGED = object()


def _ensure_household_allowed(actor, household: Household) -> None:
    if not villages_for(actor).filter(pk=household.village_id).exists():
        raise PermissionDenied(_("You cannot edit records of this village."))


def _reference_taken_message() -> str:
    return constraint_message(
        AssistedApplication, "assisted_application_reference_unique"
    )


def _normalise(fields: dict) -> dict:
    """Trim text; reference numbers in capitals without spaces (the portal's codes are
    upper case, and "g22 123" typed on a phone is the same code); no detail unless the
    service is "other"."""
    out = dict(fields)
    for name in ("service_detail", "note"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if "reference_number" in out:
        out["reference_number"] = "".join((out["reference_number"] or "").split())
        out["reference_number"] = out["reference_number"].upper()
    return out


def _check(
    application: AssistedApplication,
    *,
    helper_changed: bool = True,
    today: date | None = None,
) -> None:
    """Every rule of the row, each on its field; then the model's own checks. A helper
    who left the team since stays on an application recorded before
    (``helper_changed=False``)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    household = application.household
    if application.service == PublicService.OTHER and not application.service_detail:
        errors["service_detail"] = constraint_message(
            AssistedApplication, "assisted_application_other_named"
        )
    filed_on = application.filed_on
    if filed_on is not None and filed_on > today:
        errors["filed_on"] = _("This date is in the future.")
    elif filed_on is not None and filed_on < EARLIEST_APPLICATION_DATE:
        errors["filed_on"] = constraint_message(
            AssistedApplication, "assisted_application_plausible_date"
        )
    follow_up_on = application.follow_up_on
    if (
        follow_up_on is not None
        and filed_on is not None
        and application.status in OPEN_APPLICATION_STATUSES
        and follow_up_on < filed_on
    ):
        errors["follow_up_on"] = constraint_message(
            AssistedApplication, "assisted_application_follow_up_after_filing"
        )
    helper = application.helped_by
    if (
        helper is not None
        and helper_changed
        and (
            helper.left_on is not None or helper.team.village_id != household.village_id
        )
    ):
        errors["helped_by"] = _(
            "Choose a current member of the digital team of %(village)s."
        ) % {"village": household.village.name}
    reference = application.reference_number
    if reference:
        taken = AssistedApplication.objects.filter(reference_number=reference)
        if application.pk:
            taken = taken.exclude(pk=application.pk)
        if taken.exists():
            errors["reference_number"] = _reference_taken_message()
    if errors:
        raise ValidationError(errors)
    application.full_clean()


def _follow_up_not_past(follow_up_on: date | None, *, before: date | None = None):
    """A new follow-up date is today or later (an earlier one is a typing slip); a date
    already on the application may stay as it is."""
    if (
        follow_up_on is not None
        and follow_up_on != before
        and follow_up_on < timezone.localdate()
    ):
        raise ValidationError(
            {"follow_up_on": _("The follow-up date cannot be in the past.")}
        )


def _saved(save, application: AssistedApplication) -> None:
    """Run ``save`` in a savepoint; a reference number saved meanwhile by someone else
    becomes the constraint's message."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        reference = application.reference_number
        taken = AssistedApplication.objects.filter(reference_number=reference)
        if application.pk:
            taken = taken.exclude(pk=application.pk)
        if reference and taken.exists():
            raise ValidationError(
                {"reference_number": _reference_taken_message()}
            ) from None
        raise


def application_record(
    *,
    actor,
    household: Household,
    service: str,
    filed_on: date,
    service_detail: str = "",
    reference_number: str = "",
    helped_by: TeamMember | None = None,
    follow_up_on: date | None = None,
    note: str = "",
) -> AssistedApplication:
    """Record an application filed online for ``household`` (status "filed")."""
    _ensure_household_allowed(actor, household)
    if not household.is_active:
        raise ValidationError(
            _("This household is archived; restore it before changing its records.")
        )
    fields = _normalise(
        {
            "service_detail": service_detail,
            "reference_number": reference_number,
            "note": note,
        }
    )
    if service != PublicService.OTHER:
        fields["service_detail"] = ""
    _follow_up_not_past(follow_up_on)
    application = AssistedApplication(
        household=household,
        service=service,
        filed_on=filed_on,
        helped_by=helped_by,
        follow_up_on=follow_up_on,
        recorded_by=actor,
        status=ApplicationStatus.FILED,
        **fields,
    )
    _check(application)
    with transaction.atomic():
        _saved(application.save, application)
        audit_created(
            actor=actor,
            instance=application,
            fields=APPLICATION_FIELDS,
            parent=household,
        )
    return application


def _locked(application: AssistedApplication) -> AssistedApplication:
    return (
        AssistedApplication.objects.select_for_update(of=("self",))
        .select_related("household__village", "helped_by__team")
        .get(pk=application.pk)
    )


def application_update(
    *, actor, application: AssistedApplication, **changes
) -> AssistedApplication:
    """Correct what was recorded: service, date, reference number, helper, follow-up,
    note. The status changes only through ``application_update_status``."""
    unknown = set(changes) - set(APPLICATION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"application_update cannot change {sorted(unknown)}")
    _ensure_household_allowed(actor, application.household)
    changes = _normalise(changes)
    with transaction.atomic():
        application = _locked(application)
        service = changes.get("service", application.service)
        if service != PublicService.OTHER and (
            "service" in changes or "service_detail" in changes
        ):
            changes["service_detail"] = ""
        if "follow_up_on" in changes:
            if application.status in FINAL_APPLICATION_STATUSES:
                changes["follow_up_on"] = None
            _follow_up_not_past(
                changes["follow_up_on"], before=application.follow_up_on
            )
        # The row with the changes, to check before saving.
        draft = copy.copy(application)
        for name, value in changes.items():
            setattr(draft, name, value)
        _check(
            draft,
            helper_changed=draft.helped_by_id != application.helped_by_id,
        )
        _saved(
            lambda: audited_update(
                application, changes, actor=actor, parent=application.household
            ),
            draft,
        )
    return application


def allowed_statuses(application: AssistedApplication) -> tuple[str, ...]:
    return APPLICATION_TRANSITIONS[application.status]


def application_update_status(
    *,
    actor,
    application: AssistedApplication,
    status: str,
    follow_up_on: date | object | None = _UNCHANGED,
    note: str = "",
) -> AssistedApplication:
    """Move the application along its status walk, or only change its follow-up date
    (same status). A final status clears the follow-up date: nothing is left to chase.
    ``note`` goes into the history with the change."""
    _ensure_household_allowed(actor, application.household)
    note = (note or "").strip()
    with transaction.atomic():
        application = _locked(application)
        current = application.get_status_display()
        if application.status in FINAL_APPLICATION_STATUSES:
            raise ValidationError(
                _("This application is final (%(status)s); its status cannot change.")
                % {"status": current}
            )
        changes: dict = {}
        if status != application.status:
            if status not in APPLICATION_TRANSITIONS[application.status]:
                raise ValidationError(
                    {
                        "status": _(
                            "An application that is %(status)s cannot become "
                            "%(target)s. Next it can be: %(allowed)s."
                        )
                        % {
                            "status": current,
                            "target": ApplicationStatus(status).label
                            if status in ApplicationStatus.values
                            else status,
                            "allowed": ", ".join(
                                str(ApplicationStatus(s).label)
                                for s in APPLICATION_TRANSITIONS[application.status]
                            ),
                        }
                    }
                )
            changes["status"] = status
        if status in FINAL_APPLICATION_STATUSES:
            changes["follow_up_on"] = None
        elif follow_up_on is not _UNCHANGED:
            _follow_up_not_past(follow_up_on, before=application.follow_up_on)
            if follow_up_on is not None and follow_up_on < application.filed_on:
                raise ValidationError(
                    {
                        "follow_up_on": constraint_message(
                            AssistedApplication,
                            "assisted_application_follow_up_after_filing",
                        )
                    }
                )
            changes["follow_up_on"] = follow_up_on
        changed = audited_update(
            application, changes, actor=actor, parent=application.household, note=note
        )
        if not changed:
            raise ValidationError(
                _("Nothing was changed: choose a new status or another follow-up date.")
            )
    return application
