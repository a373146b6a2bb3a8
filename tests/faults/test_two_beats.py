"""Scenario 5: two beats started by mistake (the deployment allows exactly one), each
publishing the dispatcher and the sweeper every tick, to two workers, while six notices
to the commune's 46 village groups fall due at the same moment (a dispatcher takes a
while over them, so the two overlap).

What the portal promises: each notice is locked (``select_for_update(skip_locked)``)
and re-checked as still scheduled by the dispatcher that sends it out, and its
deliveries are unique per (notice, group); so however many dispatchers run at once, each
notice is sent out once and each group gets it once. The dispatcher's cache lock is not
what keeps it so: the second worker here has a cache namespace of its own (as when the
lock expired under a long run, or Redis was flushed), so two dispatchers do overlap. The
extra tasks cost a skipped run, never a provider call.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.faults.checks import assert_whole
from tests.faults.scenarios import DISPATCH, SEND, notice_to, wait_finished, zalo_groups
from tests.integration.processes import wait_for

pytestmark = [
    pytest.mark.faults(timeout=100),
    pytest.mark.django_db(transaction=True),
]

GROUPS = 46
NOTICES = 6
DEADLINE = 40.0


def test_two_beats_each_notice_dispatched_once_each_group_once(
    make_stack, commune, zalo, figures
):
    zalo_groups(commune, zalo, GROUPS)
    zalo.latency = (0.02, 0.08)
    # Each beat publishes the dispatcher five times a second, so that runs overlap.
    stack = make_stack(FAULTS_DISPATCH_INTERVAL="0.2")
    workers = [
        stack.start_worker(concurrency=3),
        stack.start_worker(
            concurrency=3, extra_env={"CACHE_KEY_PREFIX": f"{stack.cache_prefix}-b"}
        ),
    ]
    beats = [stack.start_beat() for _ in range(2)]
    soon = timezone.now() + timedelta(seconds=1)
    notices = [
        notice_to(commune, f"Thông báo số {n + 1}", at=soon) for n in range(NOTICES)
    ]

    wait_finished(notices, timeout=DEADLINE, logs=[*workers, *beats])

    outcome = assert_whole(notices, [zalo])
    assert outcome.duplicates == []
    assert outcome.sent == NOTICES * GROUPS
    # Both beats were really publishing, and the dispatcher really ran many times; the
    # runs that sent notices out add up to the four notices, once each.
    ticks = [beat.sent("dispatch-due-notices") for beat in beats]
    assert min(ticks) >= 2, ticks

    def dispatcher_runs() -> list[str]:
        return [r for w in workers for r in w.results(DISPATCH).values()]

    def sent_out(runs: list[str]) -> int:
        return sum(int(r) for r in runs if r.isdigit())

    wait_for(
        lambda: sent_out(dispatcher_runs()) >= NOTICES,
        timeout=DEADLINE,
        what="the dispatcher runs that sent the notices out have logged",
        details=lambda: str(dispatcher_runs()),
    )
    runs = dispatcher_runs()
    assert sent_out(runs) == NOTICES, runs
    sends = [r for w in workers for r in w.results(SEND).values()]
    assert sends.count("sent") == NOTICES * GROUPS, sends
    figures.record(
        outcome,
        note=f"{sum(ticks)} dispatch ticks from 2 beats, {len(runs)} runs, "
        f"{sends.count('skipped')} extra send tasks skipped",
    )
