"""The bank's disbursement list: upload and preview, then confirm (all rows or none) or
discard. Commune-wide officials only.

``disbursement_import_upload`` refuses a file it cannot trust as a whole (too large, not
an .xlsx, missing columns, too many rows) with a ``ValidationError`` and creates nothing.
Problems of single rows do not refuse the file: they are kept on the
``DisbursementImport`` batch so the preview shows them next to the rows that are fine.

``disbursement_import_confirm`` saves synchronously, inside the request, in one
``transaction.atomic()``. Unlike the yearly review import (Celery), a disbursement list is
a few hundred rows, each three short service calls, so it completes within a request;
saving in the request lets the official see at once that every loan was recorded, or why
none was, with no worker to wait for. Each row costs about 30 ms (three services, each
validating the loan's constraints), so the row limit (``loans.imports.max_rows``, 1,000
by default) keeps the worst case near half a minute.

Each new row becomes a loan through the ordinary services, so every rule and the audit
trail apply: ``loan_apply`` (applied on the disbursement date, with "Disbursed on the
bank's list" as the reason when the rule does not say qualifies), ``loan_approve`` and
``loan_disburse``. Before that, every row is judged again against the registry as it is
now; if anything differs from the preview, or a service refuses a row, everything is
rolled back and the batch is marked failed with the reasons.

Idempotent: the batch row is locked and only a previewed batch is saved, so a double
submit saves once; the contract number is the key of each loan, so a list uploaded again
(or overlapping an earlier one) shows those rows as already recorded and skips them.
"""

import os
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Household

from ..imports import (
    _evaluate,
    _parse_file,
    _parse_row,
    _purpose_table,
    _read_upload,
    _summary,
)
from ..models import (
    DisbursementImport,
    DisbursementImportStatus,
    LoanProgram,
    SavingsGroup,
)
from .loans import loan_apply, loan_approve, loan_disburse

__all__ = [
    "BANK_LIST_REASON",
    "disbursement_import_confirm",
    "disbursement_import_discard",
    "disbursement_import_upload",
]

# Recorded (in Vietnamese) as the override reason when the rule does not say qualifies.
BANK_LIST_REASON = gettext_lazy("Disbursed on the bank's list")
MAX_LISTED_ERRORS = 20


def _ensure_may_import(actor) -> None:
    if not getattr(actor, "is_commune_wide", False):
        raise PermissionDenied(
            _("Only commune officials may import disbursement lists.")
        )
    if not getattr(actor, "commune_id", None):
        raise ValidationError(_("Your account belongs to no commune."))


def _ensure_uploader(actor, batch: DisbursementImport) -> None:
    if batch.uploaded_by_id != actor.pk or batch.commune_id != getattr(
        actor, "commune_id", None
    ):
        raise PermissionDenied(_("This import was uploaded by another user."))


def disbursement_import_upload(*, actor, file) -> DisbursementImport:
    """Read and check an uploaded disbursement list and keep it as a batch waiting for
    confirmation; or refuse the whole file with a ``ValidationError``."""
    _ensure_may_import(actor)
    data, sha256 = _read_upload(file)
    layout, raw_rows = _parse_file(data)
    del data
    purposes = _purpose_table()
    rows = [_parse_row(number, values, layout, purposes) for number, values in raw_rows]
    del raw_rows
    _evaluate(rows, actor=actor, layout=layout)
    name = os.path.basename((file.name or "").replace("\\", "/"))
    batch = DisbursementImport(
        commune_id=actor.commune_id,
        uploaded_by=actor,
        file_name=name[-200:] or "giai-ngan.xlsx",
        file_sha256=sha256,
        status=DisbursementImportStatus.PREVIEWED,
        rows=rows,
        summary=_summary(rows),
    )
    batch.full_clean()
    batch.save()
    return batch


def _listed(messages: list[str]) -> list[str]:
    if len(messages) > MAX_LISTED_ERRORS:
        rest = len(messages) - MAX_LISTED_ERRORS
        messages = [
            *messages[:MAX_LISTED_ERRORS],
            _("… and %(count)s more.") % {"count": rest},
        ]
    return messages


def _save_rows(*, actor, batch: DisbursementImport) -> dict:
    """Record every new row of ``batch`` (inside the caller's transaction) after judging
    every row again. Raises ValidationError listing the rows when anything is refused."""
    fresh = [
        {**row, "errors": [], "loan_id": None, "group_id": None} for row in batch.rows
    ]
    _evaluate(fresh, actor=actor)
    problems = [e["message"] for row in fresh for e in row["errors"]]
    if problems:
        raise ValidationError(_listed(problems))

    to_create = [row for row in fresh if row["outcome"] == "new"]
    households = Household.objects.in_bulk({r["household_id"] for r in to_create})
    programs = LoanProgram.objects.in_bulk({r["program_id"] for r in to_create})
    groups = SavingsGroup.objects.in_bulk({r["group_id"] for r in to_create})
    with translation.override("vi"):  # stored on the loan: part of the record
        reason = str(BANK_LIST_REASON)
        notes = _("From the bank's disbursement list “%(file)s”.") % {
            "file": batch.file_name
        }
    amount = 0
    for row in to_create:
        day = date.fromisoformat(row["disbursed_on"])
        due = date.fromisoformat(row["due_on"])
        try:
            loan = loan_apply(
                actor=actor,
                household=households[row["household_id"]],
                program=programs[row["program_id"]],
                savings_group=groups[row["group_id"]],
                amount=row["amount"],
                purpose=row["purpose"],
                term_months=row["term_months"],
                applied_on=day,
                override_reason=reason,
                contract_number=row["contract_number"],
                notes=notes[:500],
            )
            loan = loan_approve(actor=actor, loan=loan, approved_on=day)
            loan_disburse(actor=actor, loan=loan, disbursed_on=day, due_on=due)
        except IntegrityError:  # e.g. the same contract number saved meanwhile
            problems.append(
                _(
                    "Row %(row)s: the loan book changed since the preview; upload the "
                    "file again to see the new result."
                )
                % {"row": row["row"]}
            )
        except (ValidationError, PermissionDenied) as exc:
            detail = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            problems.append(
                _("Row %(row)s: %(message)s") % {"row": row["row"], "message": detail}
            )
        else:
            amount += row["amount"]
    if problems:
        raise ValidationError(_listed(problems))
    return {
        "created": len(to_create),
        "skipped": sum(row["outcome"] == "recorded" for row in fresh),
        "amount": amount,
    }


def disbursement_import_confirm(
    *, actor, batch: DisbursementImport
) -> DisbursementImport:
    """Save every new loan of a previewed batch, or none of them, in this request.

    A batch already saved is returned as it is (a double submit saves once); a batch with
    row errors, discarded or failed is refused. When a row is refused now, nothing is
    saved and the batch is marked failed, with the reasons in ``summary["apply_errors"]``.
    """
    with transaction.atomic():
        batch = DisbursementImport.objects.select_for_update().get(pk=batch.pk)
        _ensure_uploader(actor, batch)
        if batch.status == DisbursementImportStatus.APPLIED:
            return batch
        if batch.status != DisbursementImportStatus.PREVIEWED:
            raise ValidationError(
                _("This import is no longer waiting for confirmation.")
            )
        if any(row.get("errors") for row in batch.rows):
            raise ValidationError(
                _(
                    "This list has rows with errors; correct the file and upload it again."
                )
            )
        try:
            with transaction.atomic():  # a savepoint: a refused row undoes every row
                result = _save_rows(actor=actor, batch=batch)
        except ValidationError as exc:
            batch.status = DisbursementImportStatus.FAILED
            batch.summary = {**batch.summary, "apply_errors": list(exc.messages)}
            batch.save(update_fields=["status", "summary"])
            return batch
        batch.status = DisbursementImportStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = {**batch.summary, "result": result}
        batch.save(update_fields=["status", "applied_at", "summary"])
    return batch


def disbursement_import_discard(
    *, actor, batch: DisbursementImport
) -> DisbursementImport:
    """Drop a previewed batch the official does not want; nothing is recorded."""
    with transaction.atomic():
        batch = DisbursementImport.objects.select_for_update().get(pk=batch.pk)
        _ensure_uploader(actor, batch)
        if batch.status == DisbursementImportStatus.APPLIED:
            raise ValidationError(
                _("This list has already been saved; it can no longer be discarded.")
            )
        if batch.status == DisbursementImportStatus.PREVIEWED:
            batch.status = DisbursementImportStatus.DISCARDED
            batch.save(update_fields=["status"])
    return batch
