"""The fault suite's servers, processes and limits.

Run it with ``make faults``: it points ``DATABASE_URL`` and ``REDIS_URL`` at the ports
of ``servers.py`` and runs this folder in one process. The session then starts a
PostgreSQL cluster and a redis-server of its own there (before pytest-django creates the
test database on that cluster), and each scenario stops and starts them as it needs.
Anywhere else (``make test``, CI's PostgreSQL run against the shared servers) every test
here is skipped with the reason: the suite never stops a server it did not start.

Each scenario also gets: the fakes (``zalo``, ``sms``), ``make_stack`` (workers and
beats as subprocesses, killed at the end whatever happened), a hard timeout (``faults``
marker, ``timeout=`` seconds) and ``figures``, which the summary at the end prints.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.faults.checks import Outcome
from tests.faults.providers import RecordingSms, ScriptedZalo
from tests.faults.servers import (
    PG_PORT,
    REDIS_PORT,
    FixedPortRedis,
    PrivatePostgres,
    port_taken,
    postgres_bin_dir,
)
from tests.faults.stack import FAULT_SETTINGS, FaultStack

HERE = Path(__file__).resolve().parent
DEFAULT_TIMEOUT = 90  # seconds, setup and teardown included
MAKE_FAULTS = (
    "run it with `make faults` (DATABASE_URL=postgres://postgres@127.0.0.1:"
    f"{PG_PORT}/faults REDIS_URL=redis://127.0.0.1:{REDIS_PORT}/0, one process)"
)


def _why_not() -> str | None:
    """Why this process cannot run the fault suite, or None."""
    from django.conf import settings

    if postgres_bin_dir() is None:
        return (
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: the fault "
            "suite starts and restarts a cluster of its own"
        )
    if shutil.which("redis-server") is None:
        return "redis-server is not installed: the fault suite stops a Redis of its own"
    database = settings.DATABASES["default"]
    redis_url = getattr(settings, "REDIS_URL", "")
    if not (
        database["ENGINE"].endswith("postgresql")
        and database.get("HOST") in ("127.0.0.1", "localhost")
        and str(database.get("PORT")) == str(PG_PORT)
        and redis_url.startswith(f"redis://127.0.0.1:{REDIS_PORT}/")
    ):
        return (
            "the fault suite stops PostgreSQL and Redis, so it runs only against "
            f"servers it starts itself: {MAKE_FAULTS}"
        )
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return f"the fault suite uses fixed ports and one process: {MAKE_FAULTS}"
    return None


def pytest_collection_modifyitems(config, items) -> None:
    ours = [item for item in items if HERE in Path(str(item.path)).parents]
    if not ours:
        return
    reason = _why_not()
    for item in ours:
        if item.get_closest_marker("faults") is None:
            item.add_marker(pytest.mark.faults)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


# --- The servers ---------------------------------------------------------------------


@dataclass
class Servers:
    postgres: PrivatePostgres
    redis: FixedPortRedis


@pytest.fixture(scope="session", autouse=True)
def servers(tmp_path_factory) -> Iterator[Servers]:
    """Start the suite's own PostgreSQL and Redis, before the test database is made."""
    for port, what in ((PG_PORT, "PostgreSQL"), (REDIS_PORT, "Redis")):
        if port_taken(port):
            pytest.fail(
                f"port {port} is already in use: the fault suite starts its own {what} "
                "there and never stops a server it did not start (a leftover of an "
                "interrupted run? stop it by its own data folder or pid)"
            )
    postgres = PrivatePostgres(postgres_bin_dir())
    redis = FixedPortRedis(tmp_path_factory.mktemp("redis"))
    try:
        postgres.create()
        redis.start()
        yield Servers(postgres, redis)
    finally:
        redis.stop()
        postgres.destroy()


@pytest.fixture
def postgres(servers) -> PrivatePostgres:
    return servers.postgres


@pytest.fixture
def redis_server(servers) -> FixedPortRedis:
    return servers.redis


@pytest.fixture(autouse=True)
def _servers_up(servers) -> None:
    """Each scenario starts with both servers up (a failed one may have left one down)
    and an empty Redis (ours: nothing else uses it)."""
    import redis as redis_client

    if not servers.postgres.is_running():
        servers.postgres.start()
    if not servers.redis.is_running():
        servers.redis.start()
    client = redis_client.Redis.from_url(servers.redis.url)
    client.flushall()
    client.close()


# --- A scenario's limits and figures -----------------------------------------------------


@pytest.fixture(autouse=True)
def _hard_timeout(request) -> Iterator[None]:
    """Fail the scenario after its ``faults(timeout=…)`` seconds, wherever it waits."""
    limits = [
        m.kwargs["timeout"]
        for m in request.node.iter_markers("faults")
        if "timeout" in m.kwargs
    ]
    seconds = limits[0] if limits else DEFAULT_TIMEOUT

    def expired(signum, frame) -> None:
        pytest.fail(f"scenario still running after its hard timeout of {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


FIGURES = pytest.StashKey[list]()


class Figures:
    def __init__(self, name: str, sink: list) -> None:
        self.name = name
        self.started = time.monotonic()
        self._sink = sink

    def record(self, outcome: Outcome, *, note: str = "") -> None:
        self._sink.append(
            (
                self.name,
                time.monotonic() - self.started,
                outcome.deliveries,
                outcome.messages,
                len(outcome.duplicates),
                note,
            )
        )


@pytest.fixture
def figures(request) -> Figures:
    sink = request.config.stash.setdefault(FIGURES, [])
    return Figures(request.node.name, sink)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    rows = config.stash.get(FIGURES, [])
    if not rows:
        return
    write = terminalreporter.write_line
    terminalreporter.section("fault scenarios")
    write(f"{'scenario':62} {'time':>6} {'deliv.':>6} {'msgs':>5} {'dupl.':>5}")
    for name, seconds, deliveries, messages, duplicates, note in rows:
        write(
            f"{name[:62]:62} {seconds:5.1f}s {deliveries:6} {messages:5} "
            f"{duplicates:5}  {note}"
        )


# --- The fakes and the processes -----------------------------------------------------


@pytest.fixture(autouse=True)
def _no_proxy_for_fakes(monkeypatch) -> None:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def zalo() -> Iterator[ScriptedZalo]:
    server = ScriptedZalo().start()
    yield server
    server.stop()


@pytest.fixture
def sms() -> Iterator[RecordingSms]:
    server = RecordingSms().start()
    yield server
    server.stop()


@pytest.fixture
def make_stack(
    servers, transactional_db, zalo, sms, tmp_path
) -> Iterator[Callable[..., FaultStack]]:
    """Build the scenario's stack on the suite's Redis; ``**env`` overrides
    ``FAULT_SETTINGS``. Every process it started is killed in the teardown."""
    stacks: list[FaultStack] = []

    def make(**env: str) -> FaultStack:
        stack = FaultStack(
            broker_url=servers.redis.url,
            fake=zalo,
            folder=tmp_path / f"stack-{len(stacks) + 1}",
            extra_env={
                **FAULT_SETTINGS,
                "SMS_GATEWAY_URL": sms.send_url,
                "SMS_GATEWAY_TOKEN": RecordingSms.TOKEN,
                **env,
            },
        )
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.close()
