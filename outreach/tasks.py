"""Celery tasks of notices. Thin: each calls one service.

Retries are not Celery retries. The database is the source of truth: ``delivery_send``
writes the next attempt on the delivery row, and ``sweep_deliveries`` sends the due ones
every minute, so a retry survives a broker or worker restart and is never doubled.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from django.core.cache import cache

from .services import (
    deliveries_sweep,
    delivery_send,
    notice_dispatch_due,
    relays_chase,
)

# Periodic jobs: shorter than beat's 60 s interval, so a run ends before the next starts.
PERIODIC_TIME_LIMIT = 55
PERIODIC_SOFT_TIME_LIMIT = 45
# The lock outlives a killed run by at most this long.
LOCK_TIMEOUT = PERIODIC_TIME_LIMIT + 5


@contextmanager
def cron_lock(name: str, *, timeout: int = LOCK_TIMEOUT) -> Iterator[bool]:
    """Hold ``name`` while the body runs; yields False if another run holds it.

    ``cache.add`` is atomic on Redis and good enough on the file cache of ``make run``
    (one worker). The lock is released only if it is still ours: a run that outlived the
    timeout must not release the next run's lock.
    """
    key = f"cron-lock:{name}"
    token = uuid.uuid4().hex
    if not cache.add(key, token, timeout):
        yield False
        return
    try:
        yield True
    finally:
        if cache.get(key) == token:
            cache.delete(key)


@shared_task(
    name="outreach.tasks.send_delivery",
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
)
def send_delivery(delivery_id: int) -> str:
    """Send one delivery. Safe to run twice: the second finds it wired or sent and skips.

    Failures are not retried by Celery: the service records the next attempt on the row
    and ``sweep_deliveries`` sends it when due (the database is the source of truth).
    """
    return delivery_send(delivery_id=delivery_id)


@shared_task(
    name="outreach.tasks.dispatch_due_notices",
    time_limit=PERIODIC_TIME_LIMIT,
    soft_time_limit=PERIODIC_SOFT_TIME_LIMIT,
)
def dispatch_due_notices() -> int | None:
    """Beat, every minute: create the deliveries of due notices; None if already running."""
    with cron_lock("dispatch-due-notices") as acquired:
        if not acquired:
            return None
        return notice_dispatch_due()


@shared_task(
    name="outreach.tasks.sweep_deliveries",
    time_limit=PERIODIC_TIME_LIMIT,
    soft_time_limit=PERIODIC_SOFT_TIME_LIMIT,
)
def sweep_deliveries() -> int | None:
    """Beat, every minute: re-send due retries and deliveries the broker lost."""
    with cron_lock("sweep-deliveries") as acquired:
        if not acquired:
            return None
        return deliveries_sweep()


@shared_task(
    name="outreach.tasks.chase_relays",
    time_limit=PERIODIC_TIME_LIMIT,
    soft_time_limit=PERIODIC_SOFT_TIME_LIMIT,
)
def chase_relays() -> dict[str, int] | None:
    """Beat, every 15 minutes: remind village officers of relays waiting to be
    forwarded, and fail those waiting too long; None if already running."""
    with cron_lock("chase-relays") as acquired:
        if not acquired:
            return None
        result = relays_chase()
        return {
            "reminded": result.reminded,
            "emails": result.emails,
            "given_up": result.given_up,
        }
