"""The production stack of the smoke and load tests runs what the systemd units run: if a
unit's command changes, the stack must change with it (these run without the stack)."""

import re
from pathlib import Path

import pytest

from tests.prodstack.stack import BEAT, WEB, WORKER

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def exec_start(unit: str) -> list[str]:
    """ExecStart= of a unit, the virtualenv's folder left out of the program's path."""
    text = (UNITS / unit).read_text()
    (line,) = re.findall(r"^ExecStart=(.+)$", text, flags=re.MULTILINE)
    program, *args = line.split()
    return [Path(program).name, *args]


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("eakutur-web.service", WEB),
        ("eakutur-worker.service", WORKER),
        ("eakutur-beat.service", BEAT),
    ],
)
def test_the_stack_runs_the_units_commands(unit, command):
    assert exec_start(unit) == command
