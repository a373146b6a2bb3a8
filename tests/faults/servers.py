"""The servers the fault suite breaks: a PostgreSQL cluster and a redis-server of its own.

Both are started by the suite on fixed loopback ports (``PG_PORT``, ``REDIS_PORT``) in
temporary folders, and only ever stopped through the objects that started them, so the
machine's shared PostgreSQL (5432) and Redis (6379) cannot be touched: a port that is
already taken when the suite starts is refused, never reused.

No pytest here: plain objects the conftest wraps in session fixtures.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from tests.integration.processes import PrivateRedis, wait_for

PG_PORT = 55432
REDIS_PORT = 6390
# Before the test database exists the suite connects to this one (pytest-django makes
# test_<name> from it).
PG_DATABASE = "faults"
START_DEADLINE = 30.0


def port_taken(port: int) -> bool:
    """Does something already listen on 127.0.0.1:``port``?"""
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def postgres_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with initdb, else initdb on PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: (
            int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0
        ),
    )
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


class PrivatePostgres:
    """A throwaway cluster: ``initdb`` into a temporary folder, trust authentication on
    127.0.0.1 only, ``fsync=off`` (the machine does not crash, only the server does: a
    committed transaction is in the OS's cache and survives an immediate stop).

    PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user
    (``runuser``), in a folder that user owns.
    """

    def __init__(self, bin_dir: Path, port: int = PG_PORT) -> None:
        self.bin_dir = bin_dir
        self.port = port
        # Not under pytest's tmp_path: that folder is private to root, and the server
        # runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="eakutur-faults-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{PG_DATABASE}"

    def _run(self, program: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({result.returncode}):\n{result.stdout}\n"
                f"{result.stderr}\n{self.server_log()}"
            )

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def create(self) -> None:
        """initdb, start, and create the database the suite's URL names."""
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.start()
        self._run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            PG_DATABASE,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            str(int(START_DEADLINE)),
            "start",
        )
        wait_for(
            lambda: port_taken(self.port),
            timeout=START_DEADLINE,
            what=f"the private PostgreSQL on port {self.port}",
            details=self.server_log,
        )

    def stop(self, mode: str = "immediate") -> None:
        """``immediate``: the server dies as in a crash (recovery at the next start);
        ``fast``: clients are disconnected, a clean shutdown."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists() and port_taken(self.port)

    def destroy(self) -> None:
        if self.is_running():
            self.stop("fast")
        shutil.rmtree(self.folder, ignore_errors=True)


class FixedPortRedis(PrivateRedis):
    """The integration tests' private redis-server, on the suite's fixed port."""

    def __init__(self, folder: Path, port: int = REDIS_PORT) -> None:
        super().__init__(folder)
        self.port = port

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None
