"""The portal's Celery app with a fast beat: ``celery -A tests.faults.beat_app beat``.

Production beat sends the notice jobs every 60 s; the fault scenarios cannot wait for
that, so this beat sends the same tasks, by the same names, every
``FAULTS_BEAT_INTERVAL`` seconds (default 1; the dispatcher every
``FAULTS_DISPATCH_INTERVAL`` if set) to the queue of the worker's settings
(``CELERY_TASK_DEFAULT_QUEUE``). The tasks, their locks and the services are the real
ones: only the tick is shorter.
"""

import os

from eakutur.celery import app

INTERVAL = float(os.environ.get("FAULTS_BEAT_INTERVAL", "1"))
DISPATCH_INTERVAL = float(os.environ.get("FAULTS_DISPATCH_INTERVAL", INTERVAL))

app.conf.beat_schedule = {
    "dispatch-due-notices": {
        "task": "outreach.tasks.dispatch_due_notices",
        "schedule": DISPATCH_INTERVAL,
    },
    "sweep-deliveries": {
        "task": "outreach.tasks.sweep_deliveries",
        "schedule": INTERVAL,
    },
}

__all__ = ["app"]
