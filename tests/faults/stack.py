"""A scenario's processes: the integration tests' ``Stack`` (workers on a queue of their
own, the test database, the fake Zalo) plus real ``celery beat`` processes.

The beats run ``tests.faults.beat_app``: the portal's app whose notice jobs tick every
second instead of every minute. Each beat has its own schedule file, as two beats
started by mistake on two machines would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.integration.conftest import Stack
from tests.integration.processes import (
    BASE_DIR,
    READY_DEADLINE,
    kill_group,
    wait_for,
)

# What every scenario's processes run with: shorter than production so that a scenario
# takes seconds, in the same proportions (docs/faults.md).
FAULT_SETTINGS = {
    "CHANNEL_TIMEOUT_SECONDS": "2",  # the provider's answer; 10 s in production
    "NOTICE_RETRY_BASE_SECONDS": "1",  # retries after 1, 2, 4 s (minutes in production)
    "NOTICE_LOST_AFTER_SECONDS": "5",  # a task the broker lost (2 min in production)
    "NOTICE_WIRED_TIMEOUT_SECONDS": "20",  # a worker lost mid-send (10 min)
    "NOTICE_MAX_ATTEMPTS": "3",  # 8 in production
    "FAULTS_BEAT_INTERVAL": "1",  # beat's tick (60 s in production)
}


class Beat:
    """One ``celery beat`` process and its log."""

    def __init__(self, process: subprocess.Popen, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @classmethod
    def start(cls, *, env: dict[str, str], folder: Path, name: str) -> Beat:
        log_path = folder / f"{name}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tests.faults.beat_app",
                    "beat",
                    f"--schedule={folder / name}-schedule",
                    "--max-interval=1",
                    "--loglevel=INFO",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        beat = cls(process, log_path)
        try:
            wait_for(
                lambda: "Sending due task" in beat.log() or process.poll() is not None,
                timeout=READY_DEADLINE,
                what=f"{name} sends its first task",
                details=beat.log,
            )
        except BaseException:
            kill_group(process)
            raise
        if process.poll() is not None:
            raise AssertionError(f"{name} exited:\n{beat.log()}")
        return beat

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def sent(self, entry: str) -> int:
        """How many times this beat sent the schedule entry ``entry``."""
        return self.log().count(f"Sending due task {entry} ")


class FaultStack(Stack):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._beats = 0

    def start_worker(self, *, extra_env: dict[str, str] | None = None, **kwargs):
        """A worker on this stack's queue; ``extra_env`` changes its settings only."""
        shared = self.env
        self.env = {**shared, **(extra_env or {})}
        try:
            return super().start_worker(**kwargs)
        finally:
            self.env = shared

    def start_beat(self) -> Beat:
        self._beats += 1
        beat = Beat.start(env=self.env, folder=self.folder, name=f"beat-{self._beats}")
        self.processes.append(beat.process)
        return beat
