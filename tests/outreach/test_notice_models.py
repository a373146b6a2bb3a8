"""The database itself refuses what must never happen to notices and deliveries."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach.models import (
    Delivery,
    DeliveryStatus,
    GroupChannel,
    NoticeSource,
    NoticeStatus,
    VillageGroup,
)
from tests.factories.outreach import DeliveryFactory, NoticeFactory, VillageGroupFactory

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_a_zalo_group_needs_an_address_a_relay_does_not(village):
    refused(
        lambda: VillageGroup.objects.create(
            village=village, channel=GroupChannel.ZALO, external_id="", name="Zalo"
        )
    )
    relay = VillageGroup.objects.create(
        village=village, channel=GroupChannel.RELAY, external_id="", name="Trưởng thôn"
    )
    assert relay.pk


def test_the_same_group_cannot_be_registered_twice(village):
    VillageGroupFactory(village=village, external_id="g-1")
    refused(lambda: VillageGroupFactory(village=village, external_id="g-1"))
    # Another channel with the same id, or another village, is a different group.
    VillageGroupFactory(village=village, external_id="g-1", channel=GroupChannel.SMS)


def test_a_scheduled_notice_needs_a_time_and_an_approver(commune):
    refused(lambda: NoticeFactory(commune=commune, scheduled_at=None))
    refused(lambda: NoticeFactory(commune=commune, approved_by=None))
    # An automatic reminder is approved by the rule that made it.
    NoticeFactory(
        commune=commune,
        approved_by=None,
        source=NoticeSource.LOAN_REMINDER,
        source_key="loan:1:2025-10-15",
    )
    # A draft needs neither.
    NoticeFactory(
        commune=commune, status=NoticeStatus.DRAFT, scheduled_at=None, approved_by=None
    )


@pytest.mark.parametrize("status", [NoticeStatus.DISPATCHED, NoticeStatus.DONE])
def test_a_sent_out_notice_needs_a_time_and_an_approver(commune, status):
    refused(lambda: NoticeFactory(commune=commune, status=status, scheduled_at=None))


def test_a_cancelled_notice_needs_a_time_and_a_reason(commune):
    now = timezone.now()
    cancelled = NoticeStatus.CANCELLED
    refused(lambda: NoticeFactory(commune=commune, status=cancelled, cancelled_at=now))
    refused(
        lambda: NoticeFactory(commune=commune, status=cancelled, cancel_reason="Hoãn")
    )
    NoticeFactory(
        commune=commune, status=cancelled, cancelled_at=now, cancel_reason="Hoãn"
    )


def test_the_second_language_needs_its_text_and_the_text_its_language(commune):
    refused(lambda: NoticeFactory(commune=commune, second_language="Ê Đê"))
    refused(lambda: NoticeFactory(commune=commune, body_second="Klei hriă"))
    NoticeFactory(commune=commune, second_language="Ê Đê", body_second="Klei hriă")


def test_an_automatic_reminder_is_created_once_per_subject(commune, other_commune):
    NoticeFactory(commune=commune, source_key="loan:7:2025-10-15")
    refused(lambda: NoticeFactory(commune=commune, source_key="loan:7:2025-10-15"))
    NoticeFactory(commune=other_commune, source_key="loan:7:2025-10-15")
    # Manual notices have no key: any number of them.
    NoticeFactory(commune=commune)
    NoticeFactory(commune=commune)


def test_a_notice_goes_to_a_group_at_most_once(commune, village):
    delivery = DeliveryFactory(notice__commune=commune, group__village=village)
    refused(
        lambda: Delivery.objects.create(
            notice=delivery.notice, group=delivery.group, text="again"
        )
    )


def test_a_sent_delivery_has_the_providers_id_and_time(commune):
    delivery = DeliveryFactory(notice__commune=commune)
    qs = Delivery.objects.filter(pk=delivery.pk)
    now = timezone.now()
    refused(lambda: qs.update(status=DeliveryStatus.SENT, sent_at=now))
    refused(lambda: qs.update(status=DeliveryStatus.SENT, provider_id="msg-1"))
    qs.update(status=DeliveryStatus.SENT, sent_at=now, provider_id="msg-1")


def test_a_failed_delivery_has_a_reason_and_time(commune):
    delivery = DeliveryFactory(notice__commune=commune)
    qs = Delivery.objects.filter(pk=delivery.pk)
    now = timezone.now()
    refused(lambda: qs.update(status=DeliveryStatus.FAILED, failed_at=now))
    refused(lambda: qs.update(status=DeliveryStatus.FAILED, error="invalid group"))
    refused(lambda: qs.update(status=DeliveryStatus.WIRED))
    qs.update(status=DeliveryStatus.FAILED, failed_at=now, error="invalid group")
