"""Notices the portal schedules itself (reminders): once per key, only where a group
listens, cancellable by key until sent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eakutur.audit.models import AuditEntry
from outreach.models import GroupChannel, Notice, NoticeSource, NoticeStatus
from outreach.services import notice_schedule_automatic, notices_cancel_automatic
from tests.factories.outreach import NoticeFactory, VillageGroupFactory

pytestmark = pytest.mark.django_db


def _schedule(commune, villages, key="training:7:2days"):
    return notice_schedule_automatic(
        commune=commune,
        source=NoticeSource.TRAINING_REMINDER,
        source_key=key,
        title="Lớp tập huấn cà phê",
        body="Mời bà con dự lớp.",
        villages=villages,
        scheduled_at=timezone.now() + timedelta(hours=1),
    )


def test_scheduled_once_per_key_and_audited(commune, village):
    VillageGroupFactory(village=village, channel=GroupChannel.CONSOLE)
    notice = _schedule(commune, [village])
    assert notice.status == NoticeStatus.SCHEDULED
    assert notice.approved_by is None and notice.approved_at is not None
    assert _schedule(commune, [village]) is None
    assert Notice.objects.count() == 1
    assert AuditEntry.objects.filter(object_id=notice.pk).exists()


def test_only_villages_with_an_active_group_are_addressed(
    commune, village, other_village
):
    VillageGroupFactory(village=village, channel=GroupChannel.CONSOLE)
    VillageGroupFactory(
        village=other_village, channel=GroupChannel.CONSOLE, is_active=False
    )
    notice = _schedule(commune, [village, other_village])
    assert list(notice.villages.all()) == [village]
    assert _schedule(commune, [other_village], key="other") is None


def test_another_communes_village_is_never_addressed(commune, foreign_village):
    VillageGroupFactory(village=foreign_village, channel=GroupChannel.CONSOLE)
    assert _schedule(commune, [foreign_village]) is None


def test_a_manual_source_is_a_programming_error(commune, village):
    with pytest.raises(ValueError):
        notice_schedule_automatic(
            commune=commune,
            source=NoticeSource.MANUAL,
            source_key="x",
            title="t",
            body="b",
            villages=[village],
            scheduled_at=timezone.now(),
        )


def test_cancel_by_key_prefix_leaves_sent_and_manual_notices_alone(commune, village):
    VillageGroupFactory(village=village, channel=GroupChannel.CONSOLE)
    pending = _schedule(commune, [village], key="training:7:2days")
    morning = _schedule(commune, [village], key="training:7:morning")
    other = _schedule(commune, [village], key="training:8:2days")
    Notice.objects.filter(pk=morning.pk).update(status=NoticeStatus.DISPATCHED)
    manual = NoticeFactory(commune=commune, status=NoticeStatus.DRAFT)

    assert (
        notices_cancel_automatic(
            commune=commune, source_key_prefix="training:7:", reason="Lớp bị hoãn"
        )
        == 1
    )
    pending.refresh_from_db()
    assert pending.status == NoticeStatus.CANCELLED
    assert pending.cancel_reason == "Lớp bị hoãn"
    for untouched, status in (
        (morning, NoticeStatus.DISPATCHED),
        (other, NoticeStatus.SCHEDULED),
        (manual, NoticeStatus.DRAFT),
    ):
        untouched.refresh_from_db()
        assert untouched.status == status
