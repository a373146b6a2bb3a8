"""Sending deliveries (task functions called directly, fake and real channels), the
sweeper, and the periodic tasks' dispatch after commit and their locks."""

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from outreach import tasks
from outreach.channels import PermanentError, QuotaExceeded, TransientError
from outreach.models import DeliveryStatus, GroupChannel, NoticeStatus
from outreach.selectors import delivery_counts
from outreach.services import (
    deliveries_sweep,
    notice_dispatch_due,
    notice_resend_failed,
)
from tests.factories.outreach import (
    FakeChannel,
    NoticeFactory,
    WorkerKilled,
    groups_for,
    villages_of,
)
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH, Answer

pytestmark = pytest.mark.django_db
send = tasks.send_delivery  # called as a function: the body the worker runs


@pytest.fixture
def channel(monkeypatch):
    fake = FakeChannel()
    monkeypatch.setattr("outreach.services.deliveries.get_channel", lambda name: fake)
    return fake


@pytest.fixture
def notice(commune, village, other_village):
    groups_for([village, other_village])
    notice = NoticeFactory(commune=commune)
    notice_dispatch_due()
    return notice


@pytest.fixture
def delivery(notice):
    return notice.deliveries.order_by("pk").first()


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_a_delivery_is_sent_once_however_often_its_task_runs(channel, delivery):
    assert send(delivery.pk) == "sent"
    assert send(delivery.pk) == "skipped"
    delivery = reload(delivery)
    assert channel.calls_for(delivery) == 1
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert delivery.provider_id == f"fake-{delivery.pk}"
    assert channel.messages[0].text == delivery.text


def test_a_permanent_error_fails_at_once_with_the_reason(channel, delivery):
    channel.script(PermanentError("Zalo: group is invalid (-230)"))
    assert send(delivery.pk) == "failed"
    assert send(delivery.pk) == "skipped"
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.error == "Zalo: group is invalid (-230)"
    assert channel.calls_for(delivery) == 1


def test_an_unconfigured_channel_fails_with_the_reason(channel, delivery):
    channel.script(ImproperlyConfigured("The zalo channel needs ZALO_APP_ID."))
    send(delivery.pk)
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.FAILED
    assert "ZALO_APP_ID" in delivery.error


def test_quota_defers_without_counting_an_attempt(channel, delivery):
    reset = timezone.now() + timedelta(hours=3)
    channel.script(QuotaExceeded("quota", retry_at=reset), QuotaExceeded("quota"))
    assert send(delivery.pk) == "deferred"
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 0)
    assert delivery.next_attempt_at == reset
    assert send(delivery.pk) == "skipped"  # not due yet: no provider call
    assert channel.calls_for(delivery) == 1
    with time_machine.travel(reset + timedelta(seconds=1), tick=False):
        assert send(delivery.pk) == "deferred"  # no reset time: 15 minutes
        delivery = reload(delivery)
        assert delivery.attempts == 0
        assert delivery.next_attempt_at == timezone.now() + timedelta(minutes=15)


def test_transient_errors_back_off_then_give_up(channel, delivery, settings):
    settings.NOTICE_MAX_ATTEMPTS = 4
    channel.script(*[TransientError("Zalo: HTTP 500")] * 4)
    now = timezone.now()
    waits = []
    for _attempt in range(3):
        with time_machine.travel(now, tick=False):
            assert send(delivery.pk) == "retry"
            delivery = reload(delivery)
            assert delivery.status == DeliveryStatus.QUEUED
            waits.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    minutes = [w.total_seconds() / 60 for w in waits]
    assert 0.8 <= minutes[0] <= 1.2
    assert 1.6 <= minutes[1] <= 2.4
    assert 3.2 <= minutes[2] <= 4.8
    with time_machine.travel(now, tick=False):
        assert send(delivery.pk) == "failed"
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 4)
    assert delivery.error == "gave up after 4 attempts: Zalo: HTTP 500"
    assert channel.calls_for(delivery) == 4


def test_the_notice_is_done_when_every_delivery_is_final(channel, notice):
    first, second = notice.deliveries.order_by("pk")
    channel.script(PermanentError("invalid group"))
    send(first.pk)
    assert reload(notice).status == NoticeStatus.DISPATCHED
    send(second.pk)
    assert reload(notice).status == NoticeStatus.DONE
    assert delivery_counts(notice) == {"queued": 0, "wired": 0, "sent": 1, "failed": 1}


def test_a_worker_killed_during_the_send_is_recovered_by_the_sweeper(
    channel, notice, delivery, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NOTICE_WIRED_TIMEOUT = timedelta(minutes=10)
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    other = notice.deliveries.exclude(pk=delivery.pk).get()
    assert send(other.pk) == "sent"
    channel.script(WorkerKilled())
    with pytest.raises(WorkerKilled):
        send(delivery.pk)
    delivery = reload(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.WIRED, 1)
    assert send(delivery.pk) == "skipped"  # a duplicate task meanwhile: no call
    later = timezone.now() + timedelta(minutes=9)
    assert deliveries_sweep(now=later) == 0  # might still be running
    assert reload(delivery).status == DeliveryStatus.WIRED
    later = timezone.now() + timedelta(minutes=11)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert deliveries_sweep() == 1
    assert sent_tasks == [delivery.pk]
    delivery = reload(delivery)
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.error_code == "interrupted"
    with time_machine.travel(later, tick=False):
        assert send(delivery.pk) == "sent"
    assert reload(delivery).error_code == ""
    assert reload(delivery).attempts == 2
    assert channel.calls_for(delivery) == 2  # the documented possible duplicate
    assert reload(notice).status == NoticeStatus.DONE


def test_the_sweeper_sends_lost_messages_but_not_relays(
    channel,
    commune,
    village,
    other_village,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    groups_for([village])
    groups_for([other_village], channel=GroupChannel.RELAY)
    notice = NoticeFactory(commune=commune)
    notice_dispatch_due()
    zalo = notice.deliveries.get(group__channel=GroupChannel.ZALO)
    assert deliveries_sweep() == 0  # just created: its task is on its way
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep(now=timezone.now() + timedelta(minutes=3)) == 1
    assert sent_tasks == [zalo.pk]  # the relay one waits for a human


def test_resending_failed_deliveries(
    channel, notice, official, monkeypatch, django_capture_on_commit_callbacks
):
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    first, second = notice.deliveries.order_by("pk")
    channel.script(PermanentError("invalid group"))
    send(first.pk)
    send(second.pk)
    assert reload(notice).status == NoticeStatus.DONE
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_resend_failed(actor=official, notice=notice) == 1
    assert sent_tasks == [first.pk]
    first = reload(first)
    assert (first.status, first.attempts) == (DeliveryStatus.QUEUED, 0)
    assert reload(notice).status == NoticeStatus.DISPATCHED
    assert send(first.pk) == "sent"
    assert reload(notice).status == NoticeStatus.DONE


# --- Periodic tasks ----------------------------------------------------------------


def test_dispatch_sends_one_task_per_delivery_after_commit(
    commune, village, other_village, monkeypatch, django_capture_on_commit_callbacks
):
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    groups_for([village, other_village])
    notice = NoticeFactory(commune=commune)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.dispatch_due_notices() == 1
    assert sent_tasks == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(sent_tasks) == sorted(notice.deliveries.values_list("pk", flat=True))


def test_a_broker_failure_after_commit_loses_nothing(
    commune, village, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(pk):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_delivery, "delay", broker_down)
    groups_for([village])
    notice = NoticeFactory(commune=commune)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_due_notices() == 1
    assert notice.deliveries.get().status == DeliveryStatus.QUEUED
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        tasks.sweep_deliveries()
    assert sent_tasks == [notice.deliveries.get().pk]


@pytest.mark.parametrize(
    ("task", "lock"),
    [
        (tasks.dispatch_due_notices, "cron-lock:dispatch-due-notices"),
        (tasks.sweep_deliveries, "cron-lock:sweep-deliveries"),
    ],
)
def test_a_second_concurrent_run_does_nothing(task, lock, commune, village):
    groups_for([village])
    notice = NoticeFactory(commune=commune)
    cache.add(lock, "another-run", 60)
    assert task() is None
    assert reload(notice).status == NoticeStatus.SCHEDULED
    assert cache.get(lock) == "another-run"  # not released by the run that skipped
    cache.delete(lock)
    assert task() is not None
    assert cache.get(lock) is None  # released after the run


def test_periodic_tasks_have_time_limits_below_the_beat_interval(settings):
    for name in ("dispatch-due-notices", "sweep-deliveries"):
        entry = settings.CELERY_BEAT_SCHEDULE[name]
        task = {
            "outreach.tasks.dispatch_due_notices": tasks.dispatch_due_notices,
            "outreach.tasks.sweep_deliveries": tasks.sweep_deliveries,
        }[entry["task"]]
        assert task.soft_time_limit < task.time_limit < entry["schedule"]
    assert tasks.send_delivery.acks_late
    assert tasks.send_delivery.soft_time_limit < tasks.send_delivery.time_limit
    assert (
        settings.NOTICE_WIRED_TIMEOUT.total_seconds() > tasks.send_delivery.time_limit
    )


# --- End to end through the real Zalo client and the local fake Zalo ----------------


@pytest.fixture
def zalo_commune(zalo_settings, fake_zalo, commune):
    """The commune's 46 villages (14 buôn), each with one Zalo group the fake knows."""
    groups = groups_for(villages_of(commune, 46, ethnic_minority=14))
    fake_zalo.groups = {g.external_id for g in groups}
    return groups


def _run_dispatch(monkeypatch, capture) -> list[int]:
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    with capture(execute=True):
        tasks.dispatch_due_notices()
    return sent_tasks


def _group_calls(fake_zalo) -> Counter:
    return Counter(
        r.json()["recipient"]["group_id"] for r in fake_zalo.calls(GROUP_MESSAGE_PATH)
    )


def test_a_notice_reaches_all_46_village_groups_once(
    zalo_commune, fake_zalo, commune, monkeypatch, django_capture_on_commit_callbacks
):
    notice = NoticeFactory(commune=commune)
    sent_tasks = _run_dispatch(monkeypatch, django_capture_on_commit_callbacks)
    assert len(sent_tasks) == 46
    for pk in sent_tasks:
        assert tasks.send_delivery(pk) == "sent"
    for pk in sent_tasks:  # the broker delivers every message twice: no new call
        assert tasks.send_delivery(pk) == "skipped"
    assert _group_calls(fake_zalo) == Counter({g.external_id: 1 for g in zalo_commune})
    assert delivery_counts(notice)["sent"] == 46
    assert set(notice.deliveries.values_list("provider_id", flat=True)) == {
        f"msg-{n}" for n in range(1, 47)
    }
    assert reload(notice).status == NoticeStatus.DONE


def test_groups_zalo_refuses_with_500_are_resent_by_the_sweeper(
    zalo_commune, fake_zalo, commune, monkeypatch, django_capture_on_commit_callbacks
):
    flaky = {g.external_id for g in zalo_commune[::9]}  # 6 groups
    answered_500 = Counter()
    zalo_answer = fake_zalo.respond

    def respond(request):
        if request.path == GROUP_MESSAGE_PATH:
            group_id = request.json()["recipient"]["group_id"]
            if group_id in flaky and not answered_500[group_id]:
                answered_500[group_id] += 1
                return Answer(status=500, raw=b"Internal Server Error")
        return zalo_answer(request)

    monkeypatch.setattr(fake_zalo, "respond", respond)
    notice = NoticeFactory(commune=commune)
    outcomes = Counter(
        tasks.send_delivery(pk)
        for pk in _run_dispatch(monkeypatch, django_capture_on_commit_callbacks)
    )
    assert outcomes == Counter({"sent": 40, "retry": 6})
    assert reload(notice).status == NoticeStatus.DISPATCHED
    retry_at = max(
        notice.deliveries.filter(status=DeliveryStatus.QUEUED).values_list(
            "next_attempt_at", flat=True
        )
    )
    resent = []
    monkeypatch.setattr(tasks.send_delivery, "delay", resent.append)
    assert tasks.sweep_deliveries() == 0  # not due yet
    with time_machine.travel(retry_at + timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.sweep_deliveries() == 6
        for pk in resent:
            assert tasks.send_delivery(pk) == "sent"
    assert delivery_counts(notice)["sent"] == 46
    assert reload(notice).status == NoticeStatus.DONE
    calls = _group_calls(fake_zalo)
    successes = calls - answered_500
    assert successes == Counter({g.external_id: 1 for g in zalo_commune})
    assert set(answered_500) == flaky
