"""Celery tasks of the registry. Thin: each loads ids and calls one service."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .imports import review_import_run
from .models import ReviewImport, ReviewImportStatus

# A confirmed import still "saving" after this long lost its task (broker restart, worker
# killed): the sweeper sends it again. Longer than the task's own time limit.
STALE_SAVING = timedelta(minutes=20)


@shared_task(
    name="households.tasks.apply_review_import",
    acks_late=True,
    time_limit=900,
    soft_time_limit=840,
)
def apply_review_import(batch_id: int) -> str:
    """Save a confirmed review import; a second delivery finds it saved and skips."""
    return review_import_run(batch_id=batch_id)


@shared_task(
    name="households.tasks.resume_review_imports", time_limit=60, soft_time_limit=50
)
def resume_review_imports() -> int:
    """Re-send confirmed imports whose task was lost; returns how many."""
    cutoff = timezone.now() - STALE_SAVING
    stale = list(
        ReviewImport.objects.filter(
            status=ReviewImportStatus.SAVING, confirmed_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for batch_id in stale:
        apply_review_import.delay(batch_id)
    return len(stale)
