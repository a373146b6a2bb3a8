"""Scenario 4: the provider misbehaves. Zalo times out, answers 5xx, says the quota is
spent, refuses a group or the token; the SMS gateway answers 503.

What the portal promises: a transient failure (timeout, 5xx) is retried with backoff and
ends sent once, each try counted; a quota answer waits for the quota's reset without
counting a try; a permanent failure ends failed at once with the reason the official
reads on the notice's page, and is never tried again; a provider that stays down is
given up after NOTICE_MAX_ATTEMPTS. The one duplicate: Zalo took the message but its
answer came after the timeout, so the portal could not know (Zalo has no idempotency
key): at least once, never lost.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.channels.zalo import RATE_LIMIT_WAIT, VIETNAM
from outreach.models import Delivery, DeliveryStatus, GroupChannel, NoticeStatus
from tests.factories.outreach import VillageGroupFactory, groups_for, villages_of
from tests.faults.checks import FINAL_DELIVERY, assert_whole
from tests.faults.providers import AcceptThenHold
from tests.faults.scenarios import SWEEP, notice_to, wait_finished
from tests.integration.processes import wait_for
from tests.outreach.fake_sms import SEND_PATH
from tests.outreach.fake_zalo import REFRESH_PATH, Answer

pytestmark = [
    pytest.mark.faults(timeout=100),
    pytest.mark.django_db(transaction=True),
]

DEADLINE = 40.0
HELD = 30.0  # far longer than CHANNEL_TIMEOUT_SECONDS (2 s in FAULT_SETTINGS)
MAX_ATTEMPTS = 3  # NOTICE_MAX_ATTEMPTS in FAULT_SETTINGS


def http(status: int) -> Answer:
    return Answer(status=status, json={"error": "server error"})


def rows(notice) -> dict[str, Delivery]:
    return {d.group.external_id: d for d in notice.deliveries.select_related("group")}


def midnight_in_vietnam(now: datetime) -> datetime:
    tomorrow = now.astimezone(VIETNAM).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=VIETNAM)


def test_provider_errors_are_retried_deferred_or_failed_with_the_reason(
    make_stack, commune, zalo, sms, client, figures
):
    villages = villages_of(commune, 9)
    hung, late, flaky, down, rate, daily, invalid, valid = (
        g.external_id for g in groups_for(villages[:8])
    )
    sms_group = VillageGroupFactory(
        village=villages[8], channel=GroupChannel.SMS, external_id="0912345678"
    )
    zalo.groups = {hung, late, flaky, down, rate, daily, valid}  # not `invalid`
    zalo.fail(hung, Answer.hang(HELD))  # never processed; no answer in time
    zalo.fail(late, AcceptThenHold(HELD))  # posted, but the answer comes too late
    zalo.fail(flaky, http(503), http(502))
    zalo.fail(down, *[http(500)] * MAX_ATTEMPTS)
    zalo.fail(rate, Answer.zalo_error(-32, "Exceeded request limit"))
    zalo.fail(daily, Answer.zalo_error(-211, "Out of daily quota"))
    sms.script(SEND_PATH, http(503))
    notice = notice_to(commune, "Lịch tiêm phòng cho trẻ em")
    stack = make_stack()
    worker = stack.start_worker(concurrency=4)
    beat = stack.start_beat()

    def settled() -> dict[str, Delivery] | None:
        """Every delivery final but the two quota deferrals, waiting for a reset."""
        found = rows(notice)
        still_open = {k for k, d in found.items() if d.status not in FINAL_DELIVERY}
        deferred = all(found[k].next_attempt_at for k in still_open)
        done = len(found) == 9 and still_open == {rate, daily} and deferred
        return found if done else None

    found = wait_for(
        settled,
        timeout=DEADLINE,
        what="all but the quota deferrals final",
        details=lambda: worker.log()[-3000:],
    )
    now = timezone.now()
    assert (found[hung].status, found[hung].attempts) == ("sent", 2)
    assert (found[late].status, found[late].attempts) == ("sent", 2)
    assert (found[flaky].status, found[flaky].attempts) == ("sent", 3)
    assert (found[down].status, found[down].attempts) == ("failed", MAX_ATTEMPTS)
    assert found[down].error == f"gave up after {MAX_ATTEMPTS} attempts: Zalo: HTTP 500"
    assert (found[invalid].status, found[invalid].attempts) == ("failed", 1)
    assert found[invalid].error == "Zalo error -230: Group is invalid"
    assert (found[valid].status, found[valid].attempts) == ("sent", 1)
    sms_row = found[sms_group.external_id]
    assert (sms_row.status, sms_row.attempts) == ("sent", 2)
    # The gateway got the delivery's id both times, to drop a repeated send.
    refs = {r.json()["client_ref"] for r in sms.calls(SEND_PATH)}
    assert refs == {str(sms_row.pk)} and len(sms.calls(SEND_PATH)) == 2
    # Quota: waiting for the reset, not counted as an attempt; the notice is still
    # being sent.
    for key, reset in (
        (rate, now + RATE_LIMIT_WAIT),
        (daily, midnight_in_vietnam(now)),
    ):
        assert found[key].attempts == 0
        assert abs(found[key].next_attempt_at - reset) < timedelta(seconds=30), key
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DISPATCHED

    # The official reads why on the notice's page.
    client.force_login(notice.author)
    page = client.get(reverse("outreach:notice_detail", args=[notice.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Zalo error -230: Group is invalid" in html
    assert f"gave up after {MAX_ATTEMPTS} attempts: Zalo: HTTP 500" in html
    assert "Zalo error -211: Out of daily quota" in html

    # Failed is final: more sweeps make no call.
    calls = {key: zalo.calls_to(key) for key in (down, invalid)}
    assert calls == {down: MAX_ATTEMPTS, invalid: 1}
    swept = len(worker.results(SWEEP))
    wait_for(
        lambda: len(worker.results(SWEEP)) >= swept + 3,
        timeout=DEADLINE,
        what="three more sweeps",
        details=beat.log,
    )
    assert {key: zalo.calls_to(key) for key in (down, invalid)} == calls

    # The quotas reset (the clock moved on: the rows say the reset is due now).
    Delivery.objects.filter(notice=notice, status=DeliveryStatus.QUEUED).update(
        next_attempt_at=timezone.now()
    )
    wait_finished([notice], timeout=DEADLINE, logs=[worker, beat])
    found = rows(notice)
    assert [(found[k].status, found[k].attempts) for k in (rate, daily)] == [
        ("sent", 1),
        ("sent", 1),
    ]

    # The OA's refresh token was spent elsewhere: the token is refused, the refresh
    # fails, and that is permanent (an official must authorise the OA again).
    zalo.expire_access_token()
    zalo.refresh_token = "spent-elsewhere"
    second = notice_to(commune, "Họp thôn tháng 12", villages=villages[:2])
    wait_finished([second], timeout=DEADLINE, logs=[worker, beat])
    reasons = {(d.status, d.attempts, d.error) for d in second.deliveries.all()}
    assert reasons == {
        ("failed", 1, "Zalo token refresh failed: Invalid refresh_token")
    }
    refreshes = len(zalo.calls(REFRESH_PATH))
    assert 1 <= refreshes <= 2

    outcome = assert_whole([notice, second], [zalo, sms], may_repeat=[found[late].pk])
    # The late answer is the only duplicate: Zalo posted it, the portal timed out.
    assert outcome.duplicates == [found[late].pk]
    assert len(zalo.messages(late, found[late].text)) == 2
    assert (outcome.sent, outcome.failed) == (7, 4)
    figures.record(outcome, note="1 duplicate: Zalo answered after the timeout")
