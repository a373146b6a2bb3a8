"""Scenario 1: Redis (the broker and the cache) goes down hard in the middle of a notice's
fan-out, two more notices fall due while it is down, and it comes back empty ten
seconds later (no persistence: every queued task is gone).

What the portal promises: the database is the outbox, so nothing is lost. The tasks the
broker lost are found again by the sweeper (a queued delivery older than
NOTICE_LOST_AFTER); the notices that fell due during the outage are sent out by beat's
next tick once Redis answers; the same worker and beat ride out the outage. Every group
gets every notice exactly once.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import DeliveryStatus, NoticeStatus
from tests.faults.checks import assert_whole
from tests.faults.scenarios import notice_to, wait_finished, zalo_groups
from tests.integration.processes import sleep_until, wait_for

pytestmark = [
    pytest.mark.faults(timeout=100),
    pytest.mark.django_db(transaction=True),
]

GROUPS = 8
OUTAGE = 10.0  # seconds Redis stays down
DEADLINE = 40.0


def test_redis_down_while_notices_fall_due_each_group_gets_each_notice_once(
    make_stack, redis_server, commune, zalo, figures
):
    zalo_groups(commune, zalo, GROUPS)
    zalo.latency = 0.5  # a fan-out that takes a few seconds, so Redis dies during it
    first = notice_to(commune, "Thông báo lịch cấp phát giống cà phê")
    stack = make_stack()
    worker = stack.start_worker(concurrency=2)
    beat = stack.start_beat()

    wait_for(
        lambda: zalo.all_posted(),
        timeout=DEADLINE,
        what="the first notice's fan-out starts",
        details=lambda: worker.log()[-3000:],
    )
    redis_server.stop()
    down_at = time.monotonic()
    # Officials keep scheduling while the broker is down: the web needs no Redis for it.
    now = timezone.now()
    during = [
        notice_to(commune, "Họp dân về vay vốn", at=now + timedelta(seconds=2)),
        notice_to(commune, "Tập huấn sầu riêng", at=now + timedelta(seconds=5)),
    ]

    sleep_until(down_at + OUTAGE)  # the outage itself: a fixed length by design
    # Both fell due during the outage, and nothing could send them out.
    assert [n.status for n in map(refreshed, during)] == [NoticeStatus.SCHEDULED] * 2
    lost = first.deliveries.filter(status=DeliveryStatus.QUEUED).count()
    assert lost > 0, "the fan-out ended before Redis went down: nothing was at stake"
    redis_server.start()

    notices = [first, *during]
    wait_finished(notices, timeout=DEADLINE, logs=[worker, beat])

    outcome = assert_whole(notices, [zalo])
    assert outcome.duplicates == []
    assert (outcome.deliveries, outcome.sent) == (3 * GROUPS, 3 * GROUPS)
    # The same worker and beat reconnected on their own.
    assert worker.process.poll() is None and beat.process.poll() is None
    assert "Connection to broker lost" in worker.log()
    figures.record(
        outcome, note=f"{lost} tasks lost with Redis, re-sent by the sweeper"
    )


def refreshed(notice):
    notice.refresh_from_db()
    return notice
