"""Scenario 2: the worker is killed (SIGKILL: an OOM kill, a power cut) while four of its
threads wait for Zalo, and a new worker starts.

What the portal promises (docs/decisions.md, "Notices"): ``wired`` was committed before
each provider call, so the four deliveries in flight are known to be uncertain. The
broker hands their tasks out again, which find them wired and make no call; after
NOTICE_WIRED_TIMEOUT the sweeper sends them again. Where Zalo had already posted the
message before the worker died, the group gets it twice: the crash-after-send window,
the one documented duplicate ("at least once" over "maybe never"). Every other delivery,
including the ones whose tasks were still queued, goes out exactly once.
"""

from __future__ import annotations

import time

import pytest

from outreach.models import DeliveryStatus
from tests.faults.checks import assert_whole, deliveries_of
from tests.faults.providers import AcceptThenHold
from tests.faults.scenarios import notice_to, wait_finished, zalo_groups
from tests.integration.processes import sleep_until, wait_for
from tests.outreach.fake_zalo import Answer

pytestmark = [
    pytest.mark.faults(timeout=100),
    pytest.mark.django_db(transaction=True),
]

GROUPS = 10
THREADS = 4
HELD = 60.0  # longer than the scenario: the worker dies while Zalo holds the call
VISIBILITY_TIMEOUT = 2  # a dead worker's task is handed out again after this
WIRED_TIMEOUT = 4  # a delivery wired this long lost its worker
DEADLINE = 40.0


def test_worker_killed_mid_send_only_the_crash_window_may_repeat(
    make_stack, commune, zalo, figures
):
    groups = zalo_groups(commune, zalo, GROUPS)
    zalo.latency = 0.2
    # The first four deliveries (the four threads' first tasks) are held by Zalo: two
    # were posted before the answer was held, two never reached the group.
    posted_first = [g.external_id for g in groups[:2]]
    never_processed = [g.external_id for g in groups[2:THREADS]]
    for group_id in posted_first:
        zalo.fail(group_id, AcceptThenHold(HELD))
    for group_id in never_processed:
        zalo.fail(group_id, Answer.hang(HELD))
    notice = notice_to(commune, "Thông báo thu hoạch cà phê")
    # The broker is ours alone: a short visibility timeout hands out nobody else's task.
    stack = make_stack(
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        NOTICE_WIRED_TIMEOUT_SECONDS=str(WIRED_TIMEOUT),
    )
    first = stack.start_worker(concurrency=THREADS)
    beat = stack.start_beat()

    wait_for(
        lambda: all(zalo.calls_to(g) for g in posted_first + never_processed),
        timeout=DEADLINE,
        what="four threads wait for Zalo",
        details=lambda: first.log()[-3000:],
    )
    first.kill()
    killed_at = time.monotonic()

    in_flight = {
        d.group.external_id: d
        for d in deliveries_of([notice])
        if d.status == DeliveryStatus.WIRED
    }
    assert set(in_flight) == {*posted_first, *never_processed}
    assert all(d.attempts == 1 for d in in_flight.values())
    assert [len(zalo.messages(g, notice_text(notice))) for g in posted_first] == [1, 1]

    sleep_until(killed_at + VISIBILITY_TIMEOUT + 0.2)  # as a supervisor restarts it
    second = stack.start_worker(concurrency=THREADS)
    wait_finished([notice], timeout=DEADLINE, logs=[second, beat])

    outcome = assert_whole(
        [notice], [zalo], may_repeat=[d.pk for d in in_flight.values()]
    )
    by_group = {d.group.external_id: d for d in deliveries_of([notice])}
    # The documented duplicate: exactly the deliveries Zalo had posted when the worker
    # died. The ones it never processed, and all the others, went out once.
    assert sorted(outcome.duplicates) == sorted(by_group[g].pk for g in posted_first)
    for group_id, delivery in by_group.items():
        messages = zalo.messages(group_id, delivery.text)
        expected = (
            (2, 2)
            if group_id in posted_first
            else ((1, 2) if group_id in never_processed else (1, 1))
        )
        assert (len(messages), delivery.attempts) == expected, group_id
    figures.record(outcome, note="2 duplicates: posted by Zalo when the worker died")


def notice_text(notice) -> str:
    return notice.deliveries.values_list("text", flat=True).first()
