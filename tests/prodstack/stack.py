"""``ProdStack``: the portal as production runs it, on loopback, started and stopped
from Python.

The processes are the ones of ``deploy/systemd``, started with the same commands
(``WEB``, ``WORKER``, ``BEAT``; ``tests/smoke/test_stack_commands.py`` holds them to the
unit files), the settings those of ``deploy/env.example`` in production (DEBUG off,
``HTTPS=true``, a random SECRET_KEY, PostgreSQL and Redis), and the preparation the
upgrade steps of ``deploy/README.md`` (migrate, compilemessages, collectstatic), then a
dataset. Zalo is the fake of ``tests/outreach/fake_zalo.py``, in this process.

nginx is not started: the client plays it. It sends ``X-Forwarded-Proto: https`` as
nginx does (``FORWARDED_HEADERS``), which gunicorn and Django believe from loopback, so
HTTPS redirects, secure cookies and HSTS stay as configured. A browser speaks plain
HTTP to the loopback address, so its ``Origin`` is ``http://127.0.0.1:<port>``: that
origin is the one concession, in CSRF_TRUSTED_ORIGINS.

Every process runs in a session of its own; ``stop()`` sends SIGTERM to the main
process (systemd's ``KillMode=mixed``) and SIGKILLs the session after a grace period.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration.processes import (
    BASE_DIR,
    NotInTime,
    kill_group,
    redis_problem,
    wait_for,
)
from tests.outreach.fake_zalo import FakeZalo

BIN = Path(sys.executable).parent
# ExecStart= of deploy/systemd/eakutur-{web,worker,beat}.service, run from the project
# folder (their WorkingDirectory). ${CELERY_CONCURRENCY} is expanded as systemd does.
WEB = ["gunicorn", "--config", "deploy/gunicorn.conf.py", "eakutur.wsgi"]
WORKER = [
    "celery",
    "-A",
    "eakutur",
    "worker",
    "--loglevel=INFO",
    "--concurrency=${CELERY_CONCURRENCY}",
]
BEAT = ["celery", "-A", "eakutur", "beat", "--loglevel=INFO"]
# The upgrade steps of deploy/README.md.
COMPILEMESSAGES = [
    "compilemessages",
    "--ignore=.venv",
    "--ignore=node_modules",
    "--ignore=staticfiles",
    "--ignore=var",
    "--ignore=tests",
]
# What nginx adds to every request it passes on (deploy/nginx/eakutur.conf).
FORWARDED_HEADERS = {"X-Forwarded-Proto": "https"}
# The Zalo group the fake knows; a smoke test adds it to a village.
ZALO_GROUP_ID = "5550001"
# A first heartbeat comes 60 s after beat starts; migrations, seeding and a cold
# gunicorn on a busy two-core machine come on top.
HEALTHY_DEADLINE = 240.0
STOP_GRACE = 15.0
PREPARE_TIMEOUT = 1800  # the 50,000-household commune takes minutes


class StackError(RuntimeError):
    """A step of the stack failed; the message ends with the end of its log."""


def tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return f"({path} is empty)"
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return f"--- {path.name} (last {len(text)} lines)\n" + "\n".join(text)


class Service:
    """One long-running process (gunicorn, a worker, beat) and its log."""

    def __init__(self, name: str, argv: Sequence[str], *, env: dict, folder: Path):
        self.name = name
        self.argv = [_expand(arg, env) for arg in argv]
        self.argv[0] = str(
            BIN / self.argv[0]
        )  # the virtualenv's, as /srv/eakutur/.venv/bin
        self.env = env
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        )

    def stop(self) -> None:
        """SIGTERM to the main process (a warm shutdown), SIGKILL to the whole session
        if it has not ended within the grace period."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_GRACE)
        kill_group(self.process)


def _expand(arg: str, env: dict) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], arg)


@dataclass
class StackSettings:
    """What one stack runs on. The database and the Redis database are the caller's
    own: with ``fresh`` the database is dropped and created again and the Redis
    database emptied."""

    database_url: str
    redis_url: str
    port: int
    folder: Path
    dataset: str = "demo"  # "demo": seed_demo; "large": tests.perf.large_commune
    households: int | None = None  # None: the dataset's own size
    fresh: bool = True
    worker_concurrency: int = 2  # the unit's default is 4; this machine has 2 cores
    extra_env: dict[str, str] = field(default_factory=dict)


class ProdStack:
    """``with ProdStack(settings) as stack:`` the portal answers at ``stack.url``."""

    def __init__(self, settings: StackSettings) -> None:
        if settings.dataset not in ("demo", "large"):
            raise ValueError(f"unknown dataset {settings.dataset!r}")
        self.settings = settings
        self.folder = settings.folder
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in (*self.folder.glob("*.log"), self.folder / "facts.json"):
            old.unlink(missing_ok=True)  # the logs of this run only
        self.url = f"http://127.0.0.1:{settings.port}"
        self.facts_path = self.folder / "facts.json"
        self.fake_zalo = FakeZalo()
        self.fake_zalo.groups = {ZALO_GROUP_ID}
        self.services: list[Service] = []
        self.env = self._environment()

    # --- the environment ----------------------------------------------------------------

    def _environment(self) -> dict[str, str]:
        s = self.settings
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PYTEST_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        }
        origins = [f"http://127.0.0.1:{s.port}", f"http://localhost:{s.port}"]
        env.update(
            DJANGO_SETTINGS_MODULE="eakutur.settings",
            PYTHONPATH=str(BASE_DIR),
            PYTHONUNBUFFERED="1",
            PYTHONDONTWRITEBYTECODE="1",
            # deploy/env.example, "Required in production".
            DEBUG="false",
            HTTPS="true",
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=s.database_url,
            REDIS_URL=s.redis_url,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=",".join(origins),
            SITE_URL=f"https://127.0.0.1:{s.port}",
            EAKUTUR_VAR_DIR=str(self.folder / "var"),
            # deploy/gunicorn.conf.py; its control socket in a folder of this stack's.
            GUNICORN_BIND=f"127.0.0.1:{s.port}",
            RUNTIME_DIRECTORY=str(self.folder / "run"),
            CELERY_CONCURRENCY=str(s.worker_concurrency),
            # The notices go to the fake Zalo.
            ZALO_BASE_URL=self.fake_zalo.url,
            ZALO_OAUTH_URL=self.fake_zalo.url,
            ZALO_APP_ID=FakeZalo.APP_ID,
            ZALO_SECRET_KEY=FakeZalo.SECRET_KEY,
            ZALO_ACCESS_TOKEN="access-1",
            ZALO_REFRESH_TOKEN="refresh-1",
            CHANNEL_TIMEOUT_SECONDS="5",
            no_proxy="127.0.0.1,localhost",
            NO_PROXY="127.0.0.1,localhost",
        )
        env.update(s.extra_env)
        (self.folder / "run").mkdir(exist_ok=True)
        return env

    # --- start and stop -----------------------------------------------------------------

    def __enter__(self) -> ProdStack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        s = self.settings
        self.fake_zalo.start()  # first: stop() stops it, and only a started one returns
        problem = redis_problem(s.redis_url)
        if problem:
            raise StackError(f"Redis at {s.redis_url} does not answer: {problem}")
        if s.fresh:
            recreate_database(s.database_url)
            empty_redis_database(s.redis_url)
        self.manage("migrate", "--noinput")
        # Worker and beat first: the first heartbeat comes 60 s after beat starts, and
        # the rest of the preparation happens meanwhile.
        self._start(Service("worker", WORKER, env=self.env, folder=self.folder))
        self._start(Service("beat", BEAT, env=self.env, folder=self.folder))
        self.manage(*COMPILEMESSAGES)
        self.manage("collectstatic", "--noinput", "--verbosity=0")
        self.load_dataset()
        self.python_module("tests.prodstack.datasets", "facts", str(self.facts_path))
        self._start(Service("web", WEB, env=self.env, folder=self.folder))
        self.wait_healthy()

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
        with suppress(Exception):
            self.fake_zalo.stop()

    def _start(self, service: Service) -> None:
        self.services.append(service.start())

    def load_dataset(self) -> None:
        s = self.settings
        size = [] if s.households is None else [f"--households={s.households}"]
        if s.dataset == "demo":
            self.manage("seed_demo", *size)
        else:
            self.python_module("tests.prodstack.datasets", "large", *size)

    # --- one-shot commands --------------------------------------------------------------

    def manage(self, *args: str) -> None:
        self._run([sys.executable, "manage.py", *args], what=f"manage.py {args[0]}")

    def python_module(self, module: str, *args: str) -> None:
        self._run([sys.executable, "-m", module, *args], what=f"{module} {args[0]}")

    def _run(self, argv: list[str], *, what: str) -> None:
        log_path = self.folder / "prepare.log"
        with log_path.open("ab") as log:
            log.write(f"\n$ {' '.join(argv)}\n".encode())
            log.flush()
            result = subprocess.run(
                argv,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=PREPARE_TIMEOUT,
                check=False,
            )
        if result.returncode != 0:
            raise StackError(f"{what} failed ({result.returncode})\n{tail(log_path)}")

    # --- health -------------------------------------------------------------------------

    def health(self) -> dict | None:
        """/healthz's report, or None while gunicorn does not answer."""
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:  # noqa: S310 (loopback)
                return json.load(answer)
        except urllib.error.HTTPError as error:  # 503 "down" still carries the report
            return json.load(error)
        except (OSError, ValueError):
            return None

    def wait_healthy(self, timeout: float = HEALTHY_DEADLINE) -> dict:
        """Until /healthz says "ok": database, Redis and a fresh beat heartbeat."""

        def healthy():
            for service in self.services:
                if not service.running:
                    raise StackError(f"{service.name} exited\n{tail(service.log_path)}")
            report = self.health()
            return report if report and report["status"] == "ok" else None

        try:
            return wait_for(
                healthy,
                timeout=timeout,
                what=f"{self.url}/healthz says ok",
                details=lambda: (
                    f"last report: {self.health()}\n"
                    + "\n".join(tail(s.log_path, 15) for s in self.services)
                ),
                interval=1.0,
            )
        except NotInTime as error:
            raise StackError(str(error)) from None

    def facts(self) -> dict:
        """What the dataset holds that a client needs (tests.prodstack.datasets)."""
        return json.loads(self.facts_path.read_text())


# --- the caller's database and Redis database --------------------------------------------


def recreate_database(url: str) -> None:
    """Drop the database ``url`` names (closing its connections) and create it empty."""
    import environ

    from tests.perf.bench_registry import _pg_admin

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise StackError(f"{url}: the production stack runs on PostgreSQL only")
    name = config["NAME"]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise StackError(f"{name!r}: use a plain lower-case database name")
    admin = _pg_admin({**config, "NAME": "postgres"})
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def empty_redis_database(url: str) -> None:
    """FLUSHDB on the Redis database ``url`` names, which must name one explicitly and
    not 0 (the shared default): it has to be the caller's own."""
    import redis

    if not re.search(r"/([1-9]\d*)$", url):
        raise StackError(f"{url}: name a Redis database of your own (not /0)")
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()
