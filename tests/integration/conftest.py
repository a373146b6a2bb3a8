"""A real Celery worker on a real Redis, the fake Zalo server, and the test database.

Each test gets its own stack (``stack``, or ``make_stack(broker_url=...)``):

- a queue of its own (``CELERY_TASK_DEFAULT_QUEUE``, so ``send_delivery.delay`` in the
  worker lands there too) and a cache key prefix of its own (``CACHE_KEY_PREFIX``: the
  periodic jobs' locks), so tests on parallel pytest-xdist workers, and other tests on the
  same Redis, never take each other's tasks or locks;
- the database pytest-django created for this xdist worker (``test_test_gw0``…): the
  worker and the one-shot processes get it as ``DATABASE_URL``, so the tests are
  ``transaction=True`` and the rows they write are committed for the worker to see;
- the fake Zalo server (``tests/outreach/fake_zalo.py``) in this process, reached over
  HTTP from the worker, counting the messages each group received.

``stack`` uses the Redis of ``REDIS_URL`` (CI's). ``private_redis`` is a redis-server of
the test's own on a free port, which the test may stop and start again (the machine's
shared Redis must never be stopped) and whose workers may have a short visibility timeout
(on a shared Redis such a worker would hand other workers' long tasks out twice).

They run when ``REDIS_URL`` is set and answers, on PostgreSQL; otherwise they are
skipped with the reason (the SQLite run of CI has no Redis).

Beat is played by the test: ``stack.beat(task)`` publishes a periodic task to the queue
as ``celery beat`` would, so a test need not wait for beat's 60 s interval. Every process
a test starts is killed in the fixture's teardown, whatever happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.integration.processes import (
    BASE_DIR,
    PrivateRedis,
    Worker,
    forget_redis_keys,
    kill_group,
    redis_problem,
)
from tests.outreach.fake_zalo import FakeZalo

# Prepended to every one-shot process: the project's settings, as the worker has them.
PRELUDE = """
import sys, time
import django

django.setup()
"""


@pytest.fixture(scope="session")
def shared_redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip(
            "REDIS_URL is not set: the integration tests need a real Redis and start "
            "a real Celery worker (CI runs them with REDIS_URL)"
        )
    problem = redis_problem(url)
    if problem:
        pytest.skip(f"REDIS_URL is set but Redis does not answer ({problem})")
    return url


@pytest.fixture(scope="session")
def _postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "the integration tests need PostgreSQL (DATABASE_URL): the worker process "
            "must share the test database, and SQLite's test database is in memory"
        )


def database_url() -> str:
    """A URL for the database this test process uses (pytest-django's test database)."""
    from django.db import connection

    config = connection.settings_dict
    user = urllib.parse.quote(config.get("USER") or "", safe="")
    password = urllib.parse.quote(config.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "127.0.0.1"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{config['NAME']}"


@contextmanager
def row_locked(table: str, pk: int) -> Iterator[Callable[[], bool]]:
    """Another session holds the row ``FOR UPDATE`` (a slow transaction elsewhere) for
    the ``with`` block; yields a check: is some session of this database waiting for a
    lock?"""
    import psycopg2
    from django.db import connection

    config = connection.settings_dict
    holder = psycopg2.connect(
        dbname=config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )

    def someone_waits() -> bool:
        # From this test's own connection: the holder is inside a transaction, where
        # pg_stat_activity would stay the snapshot of its first read.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] > 0

    try:
        with holder.cursor() as cursor:
            cursor.execute(f'SELECT id FROM "{table}" WHERE id = %s FOR UPDATE', [pk])  # noqa: S608 (a table name of ours)
        yield someone_waits
    finally:
        holder.rollback()
        holder.close()


class Stack:
    """The environment of one test's worker and one-shot processes, and the processes."""

    def __init__(
        self,
        *,
        broker_url: str,
        fake: FakeZalo,
        folder: Path,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        token = uuid.uuid4().hex[:10]
        self.broker_url = broker_url
        self.queue = f"it-notices-{token}"
        self.cache_prefix = f"it-{token}"
        self.fake = fake
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self._workers = 0
        self._beat: Any = None
        folder.mkdir(parents=True, exist_ok=True)
        env = {
            k: v
            for k, v in os.environ.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith("PYTEST_")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="eakutur.settings",
            EAKUTUR_VAR_DIR=str(folder / "var"),
            PYTHONPATH=str(BASE_DIR),
            PYTHONUNBUFFERED="1",
            DATABASE_URL=database_url(),
            REDIS_URL=broker_url,
            CACHE_KEY_PREFIX=self.cache_prefix,
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
            ZALO_BASE_URL=fake.url,
            ZALO_OAUTH_URL=fake.url,
            ZALO_APP_ID=FakeZalo.APP_ID,
            ZALO_SECRET_KEY=FakeZalo.SECRET_KEY,
            ZALO_ACCESS_TOKEN="access-1",
            ZALO_REFRESH_TOKEN="refresh-1",
            CHANNEL_TIMEOUT_SECONDS="5",
            no_proxy="127.0.0.1,localhost",
            NO_PROXY="127.0.0.1,localhost",
        )
        env.update(extra_env or {})
        self.env = env

    # --- processes ---------------------------------------------------------------------

    def start_worker(self, *, pool: str = "threads", concurrency: int = 4) -> Worker:
        """A worker on this stack's queue, ready to take tasks."""
        self._workers += 1
        worker = Worker.start(
            env=self.env,
            queue=self.queue,
            name=f"{self.queue}-{self._workers}",
            log_path=self.folder / f"worker-{self._workers}.log",
            pool=pool,
            concurrency=concurrency,
        )
        self.processes.append(worker.process)
        return worker

    def spawn(self, code: str, *args: str, stdin: bool = False) -> subprocess.Popen:
        """Start a one-shot Python process with the worker's settings (not waited for);
        with ``stdin`` the test can write to it."""
        process = subprocess.Popen(
            [sys.executable, "-c", PRELUDE + code, *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def python(self, code: str, *args: str, timeout: float = 60) -> str:
        """Run a one-shot Python process to the end; its stdout. Fails the test on error."""
        process = self.spawn(code, *args)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)
            out, err = process.communicate()
            pytest.fail(f"one-shot process still running after {timeout} s:\n{err}")
        assert process.returncode == 0, err
        self.last_stderr = err
        return out

    def beat(self, task: str, *args: Any) -> None:
        """Publish a periodic task to this stack's queue, as ``celery beat`` does."""
        if self._beat is None:
            from celery import Celery

            self._beat = Celery("integration-beat", set_as_current=False)
            self._beat.conf.broker_url = self.broker_url
        self._beat.send_task(task, args=args, queue=self.queue)

    def close(self) -> None:
        for process in self.processes:
            kill_group(process)
        for process in self.processes:
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    stream.close()
        if self._beat is not None:
            self._beat.close()
        forget_redis_keys(self.broker_url, f"*{self.queue}*", f"{self.cache_prefix}:*")


@pytest.fixture
def fake_zalo() -> Iterator[FakeZalo]:
    server = FakeZalo().start()
    yield server
    server.stop()


@pytest.fixture
def make_stack(
    shared_redis_url, _postgres, transactional_db, fake_zalo, tmp_path
) -> Iterator[Callable[..., Stack]]:
    """Build stacks for this test; their processes die in the teardown."""
    stacks: list[Stack] = []

    def make(*, broker_url: str, **extra_env: str) -> Stack:
        stack = Stack(
            broker_url=broker_url,
            fake=fake_zalo,
            folder=tmp_path / f"stack-{len(stacks) + 1}",
            extra_env=extra_env,
        )
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.close()


@pytest.fixture
def stack(shared_redis_url, make_stack) -> Stack:
    """A worker's environment on the shared Redis of REDIS_URL."""
    return make_stack(broker_url=shared_redis_url)


@pytest.fixture
def private_redis(shared_redis_url, tmp_path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: this test stops its own Redis")
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()
