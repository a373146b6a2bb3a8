"""Housekeeping of the sign-in records (thin: the work is in ``lockout``)."""

from celery import shared_task

from .lockout import prune_login_records as _prune


@shared_task(name="eakutur.accounts.tasks.prune_login_records", time_limit=600)
def prune_login_records() -> dict[str, int]:
    return _prune()
