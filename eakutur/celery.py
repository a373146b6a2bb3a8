"""The Celery app, configured from Django settings (namespace CELERY)."""

import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakutur.settings")

app = Celery("eakutur")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def send_first_heartbeat(**kwargs) -> None:
    """Beat first fires an interval task one interval after it starts: send the
    heartbeat as beat starts, so /healthz says "ok" as soon as beat and a worker are up
    (a restart is not reported "degraded" for a minute). A worker still runs it, so the
    heartbeat keeps meaning "beat fired and a worker ran it"."""
    from .tasks import beat_heartbeat

    beat_heartbeat.delay()
