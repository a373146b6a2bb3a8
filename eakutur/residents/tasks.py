"""Housekeeping for the public pages (thin: the work is in ``prune``)."""

from celery import shared_task

from .prune import prune_public_records as _prune


@shared_task(name="eakutur.residents.tasks.prune_public_records", time_limit=600)
def prune_public_records() -> dict[str, int]:
    return _prune()
