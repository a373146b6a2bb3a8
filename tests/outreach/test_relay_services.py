"""Relay groups: the village officer confirms a forwarded notice; the chase reminds them
by e-mail and gives up after RELAY_GIVE_UP_AFTER; the sweeper and the worker never touch
a relay.

"Now" is pinned to 15/06/2025 09:30 in Asia/Ho_Chi_Minh and moved with time-machine.
Defaults: reminded after 2 hours, given up after 48 hours.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from outreach import tasks
from outreach.models import Delivery, DeliveryStatus, GroupChannel, NoticeStatus
from outreach.selectors import delivery_counts
from outreach.services import (
    GIVE_UP_REASON,
    deliveries_sweep,
    delivery_send,
    notice_dispatch_due,
    notice_resend_failed,
    relay_confirm,
    relays_chase,
)
from tests.factories import UserFactory, VillageFactory
from tests.factories.outreach import NoticeFactory, groups_for

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=HCM)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def relay_group(village):
    (group,) = groups_for([village], channel=GroupChannel.RELAY)
    group.name = "Nhóm Zalo bà con Thôn 1"
    group.save()
    return group


@pytest.fixture
def officer(commune, village):
    """The village officer of Thôn 1, with an e-mail address."""
    return UserFactory(
        username="thon1",
        full_name="Y Bhin Niê",
        email="ybhin@example.vn",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[village],
    )


@pytest.fixture
def notice(clock, commune, relay_group):
    """Dispatched at 09:30 to Thôn 1's relay group only."""
    notice = NoticeFactory(
        commune=commune,
        title="Họp dân về tiêm chủng",
        body="Mời bà con đến nhà văn hoá lúc 8 giờ.",
    )
    assert notice_dispatch_due() == 1
    notice.refresh_from_db()
    return notice


@pytest.fixture
def relay(notice):
    return notice.deliveries.get()


def reload(obj):
    obj.refresh_from_db()
    return obj


# --- Confirming -------------------------------------------------------------------------


def test_the_officer_confirms_and_the_notice_is_done(officer, notice, relay):
    assert (relay.status, notice.status) == (DeliveryStatus.QUEUED, "dispatched")
    relay_confirm(actor=officer, delivery=relay)
    relay = reload(relay)
    assert relay.status == DeliveryStatus.SENT
    assert relay.sent_at == NOW
    assert relay.provider_id == f"relay:{officer.pk}"
    assert relay.confirmed_by == officer
    assert reload(notice).status == NoticeStatus.DONE
    entry = AuditEntry.objects.get(object_id=relay.pk, actor=officer)
    assert entry.changes["confirmed_by"] == [None, str(officer)]
    assert entry.changes["provider_id"] == ["", f"relay:{officer.pk}"]
    assert entry.parent_id == notice.pk
    assert "Nhóm Zalo bà con Thôn 1" in entry.note


def test_the_notice_stays_sending_until_its_last_relay(
    officer, commune, relay_group, clock
):
    (zalo,) = groups_for([VillageFactory(commune=commune)])
    notice = NoticeFactory(commune=commune)
    notice_dispatch_due()
    relay = notice.deliveries.get(group=relay_group)
    # The Zalo group got it; the relay still holds the notice open.
    Delivery.objects.filter(group=zalo).update(
        status=DeliveryStatus.SENT, provider_id="zalo-1", sent_at=timezone.now()
    )
    assert reload(notice).status == NoticeStatus.DISPATCHED
    relay_confirm(actor=officer, delivery=relay)
    assert reload(notice).status == NoticeStatus.DONE


def test_a_commune_official_may_confirm_any_relay_of_the_commune(
    official, notice, relay
):
    relay_confirm(actor=official, delivery=relay)
    assert reload(relay).confirmed_by == official


def test_another_villages_officer_cannot_confirm(commune, other_village, relay):
    stranger = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=commune, villages=[other_village]
    )
    with pytest.raises(PermissionDenied):
        relay_confirm(actor=stranger, delivery=relay)
    assert reload(relay).status == DeliveryStatus.QUEUED


def test_another_communes_official_cannot_confirm(foreign_official, relay):
    with pytest.raises(PermissionDenied):
        relay_confirm(actor=foreign_official, delivery=relay)
    assert reload(relay).status == DeliveryStatus.QUEUED


def test_confirming_twice_says_who_did_and_changes_nothing(
    officer, official, notice, relay, clock
):
    relay_confirm(actor=officer, delivery=relay)
    clock.shift(timedelta(minutes=5))
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        relay_confirm(actor=official, delivery=relay)
    assert "Y Bhin Niê" in exc.value.messages[0]
    assert "15/06/2025 09:30" in exc.value.messages[0]
    relay = reload(relay)
    assert (relay.confirmed_by, relay.sent_at) == (officer, NOW)
    assert AuditEntry.objects.count() == entries


def test_a_relay_of_a_cancelled_notice_is_refused(officer, commune, relay_group):
    notice = NoticeFactory(
        commune=commune,
        status=NoticeStatus.CANCELLED,
        cancelled_at=timezone.now(),
        cancel_reason="Đổi lịch họp",
    )
    relay = Delivery.objects.create(notice=notice, group=relay_group, text="Họp dân")
    with pytest.raises(ValidationError, match="đã bị hủy"):
        relay_confirm(actor=officer, delivery=relay)
    assert reload(relay).status == DeliveryStatus.QUEUED
    assert reload(notice).status == NoticeStatus.CANCELLED


def test_a_given_up_relay_cannot_be_confirmed(officer, relay, clock):
    clock.shift(timedelta(hours=48, minutes=1))
    relays_chase()
    assert reload(relay).status == DeliveryStatus.FAILED
    with pytest.raises(ValidationError):
        relay_confirm(actor=officer, delivery=relay)
    assert reload(relay).status == DeliveryStatus.FAILED


def test_a_delivery_the_system_sends_is_not_a_relay(official, commune, village, clock):
    groups_for([village])
    notice = NoticeFactory(commune=commune)
    notice_dispatch_due()
    zalo = notice.deliveries.get()
    with pytest.raises(ValidationError):
        relay_confirm(actor=official, delivery=zalo)
    assert reload(zalo).confirmed_by is None


# --- The worker and the sweeper leave relays alone -----------------------------------


def test_the_worker_and_the_sweeper_never_send_a_relay(
    relay, clock, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(tasks.send_delivery, "delay", sent.append)
    assert delivery_send(delivery_id=relay.pk) == "skipped"
    # Long past "lost" (2 minutes) and past the wired timeout: still nothing.
    clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep() == 0
    assert sent == []
    relay = reload(relay)
    assert (relay.status, relay.attempts, relay.wired_at) == ("queued", 0, None)


# --- Chasing ----------------------------------------------------------------------------


def test_no_reminder_before_two_hours(officer, relay, clock):
    clock.shift(timedelta(hours=1, minutes=59))
    assert relays_chase().reminded == 0
    assert mail.outbox == []
    assert reload(relay).chase_count == 0


def test_reminder_after_two_hours_in_vietnamese(
    officer, relay, clock, django_capture_on_commit_callbacks
):
    clock.shift(timedelta(hours=2, minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        result = relays_chase()
    assert (result.reminded, result.emails, result.given_up) == (1, 1, 0)
    relay = reload(relay)
    assert relay.chase_count == 1
    assert relay.last_chased_at == NOW + timedelta(hours=2, minutes=5)
    [email] = mail.outbox
    assert email.to == ["ybhin@example.vn"]
    assert email.subject == "1 thông báo đang chờ bạn chuyển tiếp"
    assert "Chào Y Bhin Niê," in email.body
    assert "Họp dân về tiêm chủng" in email.body
    assert "Nhóm Zalo bà con Thôn 1" in email.body
    assert "(đã chờ 2 giờ 5 phút)" in email.body
    assert "/notices/relay/" in email.body
    assert "48 giờ" in email.body
    assert "Forwarded" not in email.body  # no English left


def test_the_link_is_absolute_when_the_site_url_is_set(
    officer, relay, clock, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://cong.eaktur.vn/"
    clock.shift(timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        relays_chase()
    assert "https://cong.eaktur.vn/notices/relay/" in mail.outbox[0].body


def test_reminded_again_only_after_another_two_hours(
    officer, relay, clock, django_capture_on_commit_callbacks
):
    clock.shift(timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        relays_chase()
    for minutes in (15, 60, 119):
        clock.move_to(NOW + timedelta(hours=2, minutes=minutes))
        with django_capture_on_commit_callbacks(execute=True):
            assert relays_chase().reminded == 0
    clock.move_to(NOW + timedelta(hours=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_chase().reminded == 1
    assert reload(relay).chase_count == 2
    assert len(mail.outbox) == 2


def test_officers_without_e_mail_and_other_villages_are_not_written_to(
    commune, village, other_village, relay, clock, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.VILLAGE_OFFICER, commune=commune, villages=[village])
    UserFactory(
        email="buon@example.vn",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[other_village],
    )
    UserFactory(email="canbo@example.vn", role=Role.COMMUNE_OFFICIAL, commune=commune)
    clock.shift(timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        result = relays_chase()
    # Chased (counted), but nobody of Thôn 1 has an address to write to.
    assert (result.reminded, result.emails) == (1, 0)
    assert mail.outbox == []
    assert reload(relay).chase_count == 1


def test_one_e_mail_per_officer_lists_all_their_relays(
    officer, commune, village, relay, clock, django_capture_on_commit_callbacks
):
    second = NoticeFactory(commune=commune, title="Lịch phát thẻ bảo hiểm y tế")
    notice_dispatch_due()
    assert second.deliveries.count() == 1
    clock.shift(timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_chase().reminded == 2
    [email] = mail.outbox
    assert email.subject == "2 thông báo đang chờ bạn chuyển tiếp"
    assert "Họp dân về tiêm chủng" in email.body
    assert "Lịch phát thẻ bảo hiểm y tế" in email.body


def test_a_mail_server_that_refuses_does_not_undo_the_chase(
    officer, relay, clock, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.outreach.test_channels.FailingBackend"
    clock.shift(timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert relays_chase().reminded == 1
    assert reload(relay).chase_count == 1


def test_a_confirmed_relay_is_not_chased(officer, relay, clock):
    relay_confirm(actor=officer, delivery=relay)
    clock.shift(timedelta(hours=50))
    result = relays_chase()
    assert (result.reminded, result.given_up) == (0, 0)
    assert reload(relay).status == DeliveryStatus.SENT


# --- Giving up --------------------------------------------------------------------------


def test_given_up_after_48_hours_counted_as_not_delivered(
    officer, notice, relay, clock
):
    clock.shift(timedelta(hours=47, minutes=59))
    assert relays_chase().given_up == 0
    assert reload(relay).status == DeliveryStatus.QUEUED
    assert delivery_counts(notice)[DeliveryStatus.QUEUED] == 1
    clock.shift(timedelta(minutes=1))
    mail.outbox.clear()
    result = relays_chase()
    assert result.given_up == 1
    relay = reload(relay)
    assert relay.status == DeliveryStatus.FAILED
    assert relay.error == GIVE_UP_REASON == "not forwarded by the village officer"
    assert relay.error_code == "not_forwarded"
    assert relay.failed_at == NOW + timedelta(hours=48)
    assert delivery_counts(notice)[DeliveryStatus.SENT] == 0
    assert delivery_counts(notice)[DeliveryStatus.FAILED] == 1
    assert reload(notice).status == NoticeStatus.DONE


def test_the_give_up_delay_is_a_setting(officer, relay, clock, settings):
    settings.RELAY_GIVE_UP_AFTER = timedelta(hours=6)
    settings.RELAY_CHASE_AFTER = timedelta(minutes=30)
    clock.shift(timedelta(hours=6))
    assert relays_chase().given_up == 1


def test_a_resent_relay_waits_from_the_resend(
    official, officer, notice, relay, clock, django_capture_on_commit_callbacks
):
    clock.shift(timedelta(hours=48))
    relays_chase()
    assert reload(notice).status == NoticeStatus.DONE
    clock.shift(timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_resend_failed(actor=official, notice=notice) == 1
    relay = reload(relay)
    assert relay.status == DeliveryStatus.QUEUED
    assert reload(notice).status == NoticeStatus.DISPATCHED
    # Not given up at once: its wait started again with the resend.
    clock.shift(timedelta(minutes=15))
    assert relays_chase().given_up == 0
    clock.shift(timedelta(hours=2))
    assert relays_chase().reminded == 1
    relay_confirm(actor=officer, delivery=relay)
    assert reload(notice).status == NoticeStatus.DONE


# --- The periodic task ------------------------------------------------------------------


def test_the_task_holds_the_cron_lock(officer, relay, clock):
    clock.shift(timedelta(hours=3))
    cache.add("cron-lock:chase-relays", "another-run", 60)
    assert tasks.chase_relays() is None
    assert reload(relay).chase_count == 0
    cache.delete("cron-lock:chase-relays")
    assert tasks.chase_relays() == {"reminded": 1, "emails": 1, "given_up": 0}


def test_beat_runs_the_chase_every_fifteen_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["chase-relays"]
    assert entry == {"task": "outreach.tasks.chase_relays", "schedule": 900.0}
    defaults = (settings.RELAY_CHASE_AFTER, settings.RELAY_GIVE_UP_AFTER)
    assert defaults == (timedelta(hours=2), timedelta(hours=48))


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 phút"),
        (45, "45 phút"),
        (120, "2 giờ"),
        (125, "2 giờ 5 phút"),
        (24 * 60 + 3 * 60 + 10, "1 ngày 3 giờ"),
        (2 * 24 * 60, "2 ngày"),
    ],
)
def test_the_wait_in_words(minutes, words):
    from django.utils import translation

    from outreach.services import wait_in_words

    with translation.override("vi"):
        assert wait_in_words(timedelta(minutes=minutes)) == words
