"""What the fault suite (tests/faults) found, pinned down without servers: a database that
is briefly down after the provider accepted, and the timings the suite shortens.

The fault run that found the first: PostgreSQL crashed during a fan-out to 46 groups; the
sends in flight could not record ``sent``, stayed ``wired``, and the sweeper sent them
again after NOTICE_WIRED_TIMEOUT: a group got the notice twice though the worker had
known all along that Zalo took it.
"""

from datetime import timedelta

import pytest
from django.db import OperationalError

from outreach import tasks
from outreach.models import DeliveryStatus, NoticeStatus
from outreach.services import backoff, deliveries_sweep, notice_dispatch_due
from outreach.services import deliveries as deliveries_service
from tests.factories.outreach import (
    FakeChannel,
    NoticeFactory,
    groups_for,
    villages_of,
)

pytestmark = pytest.mark.django_db
send = tasks.send_delivery  # called as a function: the body the worker runs


@pytest.fixture
def channel(monkeypatch):
    fake = FakeChannel()
    monkeypatch.setattr("outreach.services.deliveries.get_channel", lambda name: fake)
    return fake


@pytest.fixture
def delivery(commune):
    groups_for(villages_of(commune, 1))
    notice = NoticeFactory(commune=commune)
    notice_dispatch_due()
    return notice.deliveries.get()


@pytest.fixture
def database_down(monkeypatch):
    """Make the next ``count`` writes of a send's outcome fail as if PostgreSQL were
    restarting; no real waiting between tries."""
    monkeypatch.setattr(deliveries_service, "RECORD_RETRY_EVERY", 0)
    write = deliveries_service._write_outcome
    failures = []

    def fail_first(count: int) -> list:
        def flaky(*args, **kwargs):
            if len(failures) < count:
                failures.append(args[1])
                raise OperationalError("server closed the connection unexpectedly")
            return write(*args, **kwargs)

        monkeypatch.setattr(deliveries_service, "_write_outcome", flaky)
        return failures

    return fail_first


def test_an_accepted_send_waits_for_the_database_instead_of_repeating(
    channel, delivery, database_down
):
    failures = database_down(2)

    assert send(delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert failures == ["sent", "sent"]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    assert delivery.provider_id == f"fake-{delivery.pk}"
    assert channel.calls_for(delivery) == 1
    assert delivery.notice.status == NoticeStatus.DONE


def test_a_database_down_too_long_leaves_the_send_wired_for_the_sweeper(
    channel, delivery, database_down, monkeypatch
):
    monkeypatch.setattr(deliveries_service, "RECORD_RETRY_FOR", 0)
    database_down(1)

    with pytest.raises(OperationalError):
        send(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.WIRED, 1)
    assert channel.calls_for(delivery) == 1


def test_backoff_is_counted_in_notice_retry_base(settings):
    settings.NOTICE_RETRY_BASE = timedelta(seconds=1)
    waits = [backoff(n).total_seconds() for n in (1, 3, 12)]
    assert 0.8 <= waits[0] <= 1.2
    assert 3.2 <= waits[1] <= 4.8
    assert 48 <= waits[2] <= 72  # capped at 60 units


def test_a_lost_task_is_found_after_notice_lost_after(
    delivery, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NOTICE_LOST_AFTER = timedelta(seconds=5)
    sent_tasks = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent_tasks.append)
    created = delivery.created_at

    assert deliveries_sweep(now=created + timedelta(seconds=4)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep(now=created + timedelta(seconds=6)) == 1
    assert sent_tasks == [delivery.pk]
