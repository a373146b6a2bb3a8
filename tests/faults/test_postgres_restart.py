"""Scenario 3: PostgreSQL crashes (an immediate stop: no clean shutdown, recovery at the
next start) in the middle of a notice's fan-out to the commune's 46 village groups, while
a second notice falls due, and is back six seconds later.

What the portal promises: the deliveries were written with the notice in one
transaction, so a notice is either sent out with all 46 rows or not at all (the unique
(notice, group) constraint keeps a repeated dispatch from doubling one). During the
outage the tasks that cannot reach the database leave their rows queued, and the sweeper
sends them again; a send whose provider call went through waits for the database to
record it (``RECORD_RETRY_FOR``) instead of leaving it wired, so nobody gets it twice.
The second notice is sent out by beat's first tick after the restart.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.faults.checks import assert_whole
from tests.faults.scenarios import notice_to, wait_finished, zalo_groups
from tests.integration.processes import sleep_until, wait_for

pytestmark = [
    pytest.mark.faults(timeout=120),
    pytest.mark.django_db(transaction=True),
]

VILLAGES = 46  # Ea Ktur's villages and hamlets, one Zalo group each
OUTAGE = 6.0
DEADLINE = 60.0


def test_postgres_restarted_mid_fan_out_no_row_missing_or_doubled(
    make_stack, postgres, commune, zalo, figures
):
    zalo_groups(commune, zalo, VILLAGES)
    zalo.latency = (0.2, 0.4)
    first = notice_to(commune, "Thông báo chi trả trợ cấp tháng 12")
    stack = make_stack()
    worker = stack.start_worker(concurrency=4)
    beat = stack.start_beat()

    wait_for(
        lambda: len(zalo.all_posted()) >= 8,
        timeout=DEADLINE,
        what="the fan-out is under way",
        details=lambda: worker.log()[-3000:],
    )
    second = notice_to(
        commune,
        "Lịch khám sức khỏe người cao tuổi",
        at=timezone.now() + timedelta(seconds=1.5),
    )
    postgres.stop("immediate")
    down_at = time.monotonic()
    posted_before = len(zalo.all_posted())
    sleep_until(down_at + OUTAGE)  # the outage itself: a fixed length by design
    postgres.start()

    notices = [first, second]
    wait_finished(notices, timeout=DEADLINE, logs=[worker, beat])

    outcome = assert_whole(notices, [zalo])
    assert outcome.duplicates == []
    assert (outcome.deliveries, outcome.sent) == (2 * VILLAGES, 2 * VILLAGES)
    assert posted_before < VILLAGES, "the fan-out ended before PostgreSQL went down"
    assert worker.process.poll() is None  # the worker rode it out
    waited = len(set(re.findall(r"Delivery (\d+): cannot record", worker.log())))
    figures.record(
        outcome,
        note=f"{posted_before} of 46 sent before the crash; "
        f"{waited} outcomes waited for the database",
    )
