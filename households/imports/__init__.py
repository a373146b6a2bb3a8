"""The yearly review import: an official fills the review list in Excel, uploads it, sees
what every row would do, and confirms.

``review_import_upload`` refuses a file it cannot trust as a whole (not an .xlsx, too
large, too many rows, a formula, missing columns) with a ``ValidationError`` and creates
nothing. Problems of single rows do not refuse the file: they are kept on the
``ReviewImport`` batch so the preview can show them next to the rows that are fine.
``review_import_apply`` writes every row or none, after judging each one again against
the registry as it is at that moment.

The file is read with openpyxl in read-only mode, row by row, so memory stays bounded by
the row limit and not by what the file says about itself.
"""

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DeprivationIndicator, ReviewImport, ReviewImportStatus
from ..selectors import households_for
from ..services import poverty_review_record
from .columns import CODE, HEAD, INCOME, NOTES, REASON, STATUS, YEAR, _status_table
from .reading import _parse_file, _read_upload
from .registry import _evaluate, _summary
from .rows import _parse_row

__all__ = [
    "CODE",
    "HEAD",
    "INCOME",
    "NOTES",
    "REASON",
    "STATUS",
    "YEAR",
    "poverty_review_record",
    "review_import_apply",
    "review_import_confirm",
    "review_import_discard",
    "review_import_run",
    "review_import_upload",
]

MAX_LISTED_ERRORS = 20


def review_import_upload(*, actor, uploaded_file) -> ReviewImport:
    """Read and check an uploaded review list and keep it as a batch waiting for
    confirmation; or refuse the whole file with a ``ValidationError``."""
    if not getattr(actor, "commune_id", None):
        raise ValidationError(_("Your account belongs to no commune."))
    data, sha256 = _read_upload(uploaded_file)
    layout, raw_rows = _parse_file(data, DeprivationIndicator.objects.all())
    del data
    statuses = _status_table()
    rows = [_parse_row(number, values, layout, statuses) for number, values in raw_rows]
    del raw_rows
    _evaluate(rows, actor=actor, layout=layout)
    name = os.path.basename((uploaded_file.name or "").replace("\\", "/"))
    batch = ReviewImport(
        commune_id=actor.commune_id,
        uploaded_by=actor,
        file_name=name[-200:] or "review.xlsx",
        file_sha256=sha256,
        status=ReviewImportStatus.PREVIEWED,
        rows=rows,
        summary=_summary(rows),
    )
    batch.save()
    return batch


def _refusal(messages: list[str]) -> ValidationError:
    if len(messages) > MAX_LISTED_ERRORS:
        rest = len(messages) - MAX_LISTED_ERRORS
        messages = [
            *messages[:MAX_LISTED_ERRORS],
            _("… and %(count)s more.") % {"count": rest},
        ]
    return ValidationError(messages)


def _apply_rows(*, actor, batch: ReviewImport) -> dict:
    """Record every "create" row of ``batch`` (inside the caller's transaction), after
    judging every row again against the registry as it is now. Raises ValidationError,
    listing the rows, when anything differs from the preview."""
    # The registry may have changed since the preview: judge every row again.
    fresh = [{**row, "errors": []} for row in batch.rows]
    _evaluate(fresh, actor=actor)
    problems: list[str] = []
    for before, now in zip(batch.rows, fresh, strict=True):
        if now["errors"]:
            problems.extend(e["message"] for e in now["errors"])
        elif any(
            now[k] != before[k]
            for k in ("outcome", "household_id", "proposed_status", "final_status")
        ):
            message = _(
                "Row %(row)s: the registry changed since the preview; upload the file "
                "again to see the new result."
            )
            problems.append(message % {"row": before["row"]})
    if problems:
        raise _refusal(problems)

    to_create = sorted(
        (r for r in batch.rows if r["outcome"] == "create"),
        key=lambda r: (r["year"], r["row"]),
    )
    households = (
        households_for(actor)
        .select_related("village", "commune")
        .in_bulk({r["household_id"] for r in to_create})
    )
    indicators = {i.code: i for i in DeprivationIndicator.objects.all()}
    note = f"import: {batch.file_name}"
    for row in to_create:
        household = households.get(row["household_id"])
        if household is None:
            message = _("Row %(row)s: unknown household code “%(code)s”.")
            raise ValidationError(
                message % {"row": row["row"], "code": row["household_code"]}
            )
        try:
            # The explicit status makes the service refuse, rather than record
            # something else, if its proposal differs from the one previewed.
            poverty_review_record(
                actor=actor,
                household=household,
                year=row["year"],
                income_per_person=row["income_per_person"],
                deprivations=[indicators[c] for c in row["deprivations"]],
                status=row["final_status"],
                override_reason=row["override_reason"],
                notes=row["notes"],
                note_for_audit=note,
            )
        except IntegrityError as exc:  # a review written meanwhile by someone else
            message = _(
                "Row %(row)s: the registry changed since the preview; upload the file "
                "again to see the new result."
            )
            raise ValidationError(message % {"row": row["row"]}) from exc
        except (ValidationError, PermissionDenied) as exc:
            detail = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            raise ValidationError(
                _("Row %(row)s: %(message)s") % {"row": row["row"], "message": detail}
            ) from exc
    return {
        "created": len(to_create),
        "unchanged": sum(r["outcome"] == "unchanged" for r in batch.rows),
    }


def review_import_apply(*, actor, batch: ReviewImport) -> dict:
    """Record every new review of a previewed batch, or none of them, in this request.

    The portal's pages confirm through ``review_import_confirm`` (a worker saves the rows);
    this direct form serves the tests and management use.
    """
    with transaction.atomic():
        batch = ReviewImport.objects.select_for_update().get(pk=batch.pk)
        _check_confirmable(actor=actor, batch=batch)
        result = _apply_rows(actor=actor, batch=batch)
        batch.status = ReviewImportStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = {**batch.summary, "result": result}
        batch.save(update_fields=["status", "applied_at", "summary"])
    return result


def _check_confirmable(*, actor, batch: ReviewImport) -> None:
    if batch.uploaded_by_id != actor.pk or batch.commune_id != getattr(
        actor, "commune_id", None
    ):
        raise ValidationError(_("This import was uploaded by another user."))
    if batch.status != ReviewImportStatus.PREVIEWED:
        raise ValidationError(_("This import is no longer waiting for confirmation."))
    if any(row.get("outcome") == "error" or row.get("errors") for row in batch.rows):
        raise ValidationError(
            _("This import has rows with errors; correct the file and upload it again.")
        )


def review_import_confirm(*, actor, batch: ReviewImport) -> ReviewImport:
    """The official confirms a clean preview: the batch is queued for saving by a worker.

    Only one confirmation counts (a double submit finds the batch no longer previewed);
    the task is sent after commit, and the beat sweeper re-sends it if the broker lost it.
    """
    from ..tasks import apply_review_import

    with transaction.atomic():
        batch = ReviewImport.objects.select_for_update().get(pk=batch.pk)
        _check_confirmable(actor=actor, batch=batch)
        batch.status = ReviewImportStatus.SAVING
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["status", "confirmed_at"])
        transaction.on_commit(lambda: apply_review_import.delay(batch.pk))
    return batch


def review_import_run(*, batch_id: int) -> str:
    """Save a confirmed batch (called by the worker). All rows or none; safe to run twice.

    Returns "applied", "failed" (the reasons are kept on the batch) or "skipped" (the batch
    is not waiting to be saved, e.g. a second delivery of the same task).
    """
    with transaction.atomic():
        batch = (
            ReviewImport.objects.select_for_update()
            .select_related("uploaded_by")
            .filter(pk=batch_id)
            .first()
        )
        if batch is None or batch.status != ReviewImportStatus.SAVING:
            return "skipped"
        try:
            with transaction.atomic():  # a savepoint: a failed row undoes every row
                result = _apply_rows(actor=batch.uploaded_by, batch=batch)
        except (ValidationError, PermissionDenied) as exc:
            batch.status = ReviewImportStatus.FAILED
            batch.summary = {
                **batch.summary,
                "apply_errors": list(getattr(exc, "messages", None) or [str(exc)]),
            }
            batch.save(update_fields=["status", "summary"])
            return "failed"
        batch.status = ReviewImportStatus.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = {**batch.summary, "result": result}
        batch.save(update_fields=["status", "applied_at", "summary"])
        return "applied"


def review_import_discard(*, actor, batch: ReviewImport) -> ReviewImport:
    """Drop a previewed batch the official does not want; nothing is recorded."""
    with transaction.atomic():
        batch = ReviewImport.objects.select_for_update().get(pk=batch.pk)
        if batch.uploaded_by_id != actor.pk:
            raise ValidationError(_("This import was uploaded by another user."))
        if batch.status == ReviewImportStatus.PREVIEWED:
            batch.status = ReviewImportStatus.DISCARDED
            batch.save(update_fields=["status"])
    return batch
