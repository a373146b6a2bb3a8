"""Processes the integration tests and the fan-out benchmark start: a Celery worker, a
private redis-server, and waiting for them with deadlines.

No pytest here, so that ``tests.perf.bench_notices`` can use it as a plain program.
Every process is started in a session of its own, so that ``kill_group`` takes it down
whole, whatever it started.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

BASE_DIR = Path(__file__).resolve().parents[2]
READY_DEADLINE = 30.0  # a cold worker on a loaded CI machine
T = TypeVar("T")


class NotInTime(AssertionError):
    """What was waited for did not happen before the deadline."""


def wait_for(
    predicate: Callable[[], T],
    *,
    timeout: float,
    what: str,
    details: Callable[[], str] = lambda: "",
    interval: float = 0.1,
) -> T:
    """Poll ``predicate`` until it returns something truthy; NotInTime after ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= end:
            raise NotInTime(f"{what}: not within {timeout:g} s\n{details()}")
        time.sleep(interval)


def sleep_until(moment: float) -> None:
    """A short wait computed from a deadline (``time.monotonic()``), never a fixed one."""
    time.sleep(max(0.0, moment - time.monotonic()))


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything in its session, and reap it."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def redis_problem(url: str) -> str | None:
    """Why the Redis at ``url`` cannot be used, or None if it answers."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


PIDBOX_BINDINGS = "_kombu.binding.celery.pidbox"


def forget_redis_keys(url: str, *patterns: str) -> None:
    """Delete the keys matching ``patterns`` (kombu's bindings of a queue of one's own,
    cache keys under a prefix of one's own), so a shared Redis does not fill up with
    them; a Redis that is down is left alone."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        for pattern in patterns:
            keys = list(client.scan_iter(match=pattern, count=500))
            if keys:
                client.delete(*keys)
            # Each worker also binds its remote-control queue into this shared set.
            members = list(client.sscan_iter(PIDBOX_BINDINGS, match=pattern))
            if members:
                client.srem(PIDBOX_BINDINGS, *members)
        client.close()
    except redis.RedisError:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of one's own on a free port, without persistence, that can go
    down and come back (the machine's shared Redis must never be stopped)."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        with (self.folder / "redis.log").open("a") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--dir",
                    str(self.folder),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        wait_for(
            lambda: redis_problem(self.url) is None,
            timeout=10,
            what=f"private redis-server on port {self.port}",
            details=lambda: (self.folder / "redis.log").read_text(),
        )

    def stop(self) -> None:
        """Down hard, as when its machine goes: nothing is saved."""
        if self.process is not None:
            kill_group(self.process)


class Worker:
    """One ``celery -A eakutur worker`` process and its log."""

    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @classmethod
    def start(
        cls,
        *,
        env: Mapping[str, str],
        queue: str,
        name: str,
        log_path: Path,
        pool: str = "threads",
        concurrency: int = 4,
    ) -> Worker:
        """Start a worker on ``queue`` and wait until it is ready."""
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "eakutur",
                    "worker",
                    f"--pool={pool}",
                    f"--concurrency={concurrency}",
                    f"--queues={queue}",
                    f"--hostname={name}@%h",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=INFO",
                ],
                cwd=BASE_DIR,
                env=dict(env),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        worker = cls(process, log_path)
        try:
            wait_for(
                lambda: "ready." in worker.log() or process.poll() is not None,
                timeout=READY_DEADLINE,
                what="the Celery worker starts",
                details=worker.log,
            )
        except BaseException:
            worker.kill()
            raise
        if process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.log()}")
        return worker

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def received(self, task: str) -> list[str]:
        """The ids of the ``task`` messages this worker took, in order (from its log)."""
        return re.findall(
            rf"Task {re.escape(task)}\[([0-9a-f-]+)\] received", self.log()
        )

    def results(self, task: str) -> dict[str, str]:
        """What each finished run of ``task`` returned, by task id (from the log)."""
        pattern = rf"Task {re.escape(task)}\[([0-9a-f-]+)\] succeeded in \S+: (.*)"
        return {
            task_id: value.strip("'")
            for task_id, value in re.findall(pattern, self.log())
        }

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no ack, no cleanup (a crash, an OOM kill)."""
        kill_group(self.process)

    def stop(self) -> None:
        """SIGTERM (warm shutdown: running tasks finish), SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        kill_group(self.process)
