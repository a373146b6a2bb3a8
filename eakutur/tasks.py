"""Project-wide periodic tasks."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

BEAT_HEARTBEAT_KEY = "beat:heartbeat"


@shared_task(
    name="eakutur.tasks.beat_heartbeat",
    acks_late=True,
    time_limit=30,
    soft_time_limit=20,
)
def beat_heartbeat() -> str:
    """Record that beat fired and a worker ran it; health checks read the timestamp."""
    stamp = timezone.now().isoformat()
    cache.set(BEAT_HEARTBEAT_KEY, stamp, timeout=None)
    return stamp
