"""A real Celery worker runs the project's tasks from the configured broker.

On the embedded defaults the broker is kombu's filesystem transport under
``EAKUTUR_VAR_DIR``; with ``REDIS_URL`` set (as in CI's second run) it is Redis. The worker
is a separate ``celery -A eakutur worker`` process, as under `make run`, so this proves that
the broker, the task autodiscovery, the task options and the cache work across processes.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_DEADLINE = 45  # seconds for a cold worker to pick up and run the task

# Sends the heartbeat task to QUEUE, then waits for the worker's write to the Django cache.
# Runs in its own process so that it reads the same settings (broker, cache) as the worker.
PROBE = """
import json, sys, time
import django

django.setup()
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from eakutur.celery import app
from eakutur.tasks import BEAT_HEARTBEAT_KEY

queue, deadline = sys.argv[1], float(sys.argv[2])
sent_at = timezone.now()
# Dispatched through the task object, with its options, as beat and the services do.
result = app.tasks["eakutur.tasks.beat_heartbeat"].apply_async(queue=queue)
stamp = None
end = time.monotonic() + deadline
while time.monotonic() < end:
    value = cache.get(BEAT_HEARTBEAT_KEY)
    if value and parse_datetime(value) >= sent_at:
        stamp = value
        break
    time.sleep(0.25)
print(json.dumps({
    "task_id": result.id,
    "sent_at": sent_at.isoformat(),
    "stamp": stamp,
    "broker": app.conf.broker_url,
}))
"""


@pytest.fixture
def worker_env(tmp_path):
    """The test's own environment, with a private var/ (broker folder, cache, schedule)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="eakutur.settings",
        EAKUTUR_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(BASE_DIR),
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def queue():
    """A queue of this test's own, so that no other worker on a shared Redis takes it."""
    return f"test-heartbeat-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def worker(worker_env, queue, tmp_path):
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "eakutur",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                f"--queues={queue}",
                f"--hostname={queue}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        yield process, log_path
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.mark.celery_worker
def test_worker_runs_the_heartbeat_task(worker, worker_env, queue):
    process, log_path = worker

    probe = subprocess.run(
        [sys.executable, "-c", PROBE, queue, str(WORKER_DEADLINE)],
        cwd=BASE_DIR,
        env=worker_env,
        capture_output=True,
        text=True,
        timeout=WORKER_DEADLINE + 60,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    outcome = json.loads(probe.stdout.strip().splitlines()[-1])

    # Give the worker a moment to log the task's success after the cache write.
    end = time.monotonic() + 10
    succeeded = f"Task eakutur.tasks.beat_heartbeat[{outcome['task_id']}] succeeded"
    while time.monotonic() < end and succeeded not in log_path.read_text():
        time.sleep(0.2)
    log = log_path.read_text()

    assert process.poll() is None, f"the worker exited early:\n{log}"
    assert outcome["stamp"], (
        f"no heartbeat in the cache {WORKER_DEADLINE}s after sending; worker log:\n{log}"
    )
    assert succeeded in log, log
    if os.environ.get("REDIS_URL"):
        assert outcome["broker"].startswith("redis://")
        assert "transport:   redis://" in log, log
    else:
        assert outcome["broker"] == "filesystem://"
        assert "transport:   filesystem://" in log, log


@pytest.mark.celery_worker
def test_worker_stops_cleanly_on_sigterm(worker):
    """`make run` stops the worker with SIGTERM; it must exit rather than hang."""
    process, log_path = worker
    end = time.monotonic() + WORKER_DEADLINE
    while time.monotonic() < end and "ready." not in log_path.read_text():
        assert process.poll() is None, log_path.read_text()
        time.sleep(0.2)
    assert "ready." in log_path.read_text(), log_path.read_text()

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=20) == 0, log_path.read_text()


# Hands every entry of CELERY_BEAT_SCHEDULE to a beat scheduler, which publishes it the way
# `celery beat` does (task options, routing, time limits), to a broker nobody consumes.
BEAT_PROBE = """
import django

django.setup()
from celery.beat import ScheduleEntry, Scheduler

from eakutur.celery import app

app.loader.import_default_modules()  # what beat does at start: autodiscover the tasks
scheduler = Scheduler(app, lazy=True)
for name, config in app.conf.beat_schedule.items():
    entry = ScheduleEntry(name=name, app=app, **config)
    scheduler.apply_async(entry, advance=False)
    print("published", name)
"""


def test_beat_can_publish_every_scheduled_task(worker_env):
    env = {k: v for k, v in worker_env.items() if k != "REDIS_URL"}  # a private broker

    probe = subprocess.run(
        [sys.executable, "-c", BEAT_PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert probe.returncode == 0, probe.stderr
    assert "published beat-heartbeat" in probe.stdout
