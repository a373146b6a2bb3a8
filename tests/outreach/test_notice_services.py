"""Notice services: who may write, approve and cancel; where a notice goes; the outbox."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eakutur.audit.models import AuditEntry
from outreach.models import Audience, Delivery, GroupChannel, Notice, NoticeStatus
from outreach.selectors import deliveries_of, notice_get_for, notices_for
from outreach.services import (
    notice_cancel,
    notice_create,
    notice_dispatch_due,
    notice_schedule,
    notice_submit,
    notice_target_groups,
)
from tests.factories.outreach import (
    NoticeFactory,
    VillageGroupFactory,
    groups_for,
    villages_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(village, other_village):
    return groups_for([village, other_village])


def draft(actor, **kwargs):
    kwargs.setdefault("audience", Audience.ALL_VILLAGES)
    return notice_create(
        actor=actor, title="Họp thôn", body="Mời bà con đến họp.", **kwargs
    )


# --- Roles -------------------------------------------------------------------------


def test_a_village_officer_drafts_for_their_own_village(officer, village, groups):
    notice = draft(officer, audience=Audience.CHOSEN_VILLAGES, villages=[village])
    assert notice.status == NoticeStatus.DRAFT
    assert list(notice.villages.all()) == [village]
    assert AuditEntry.objects.filter(object_id=notice.pk).count() == 1


def test_a_village_officer_cannot_write_to_another_village(officer, other_village):
    with pytest.raises(PermissionDenied):
        draft(officer, audience=Audience.CHOSEN_VILLAGES, villages=[other_village])
    with pytest.raises(ValidationError) as exc:
        draft(officer, audience=Audience.ALL_VILLAGES)
    assert "audience" in exc.value.message_dict
    assert not Notice.objects.exists()


def test_an_official_cannot_write_to_another_commune(official, foreign_village):
    with pytest.raises(PermissionDenied):
        draft(official, audience=Audience.CHOSEN_VILLAGES, villages=[foreign_village])


def test_chosen_villages_need_at_least_one(official):
    with pytest.raises(ValidationError) as exc:
        draft(official, audience=Audience.CHOSEN_VILLAGES)
    assert "villages" in exc.value.message_dict


def test_second_language_only_to_villages_the_notice_reaches(
    official, village, other_village
):
    with pytest.raises(ValidationError) as exc:
        draft(
            official,
            audience=Audience.CHOSEN_VILLAGES,
            villages=[village],
            second_language="Ê Đê",
            body_second="Klei hriă",
            second_language_villages=[other_village],
        )
    assert "second_language_villages" in exc.value.message_dict


def test_officer_submits_and_an_official_approves_and_schedules(
    officer, official, village, groups
):
    notice = draft(officer, audience=Audience.CHOSEN_VILLAGES, villages=[village])
    notice = notice_submit(actor=officer, notice=notice)
    assert notice.status == NoticeStatus.SUBMITTED
    at = timezone.now() + timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        notice_schedule(actor=officer, notice=notice, scheduled_at=at)
    notice = notice_schedule(actor=official, notice=notice, scheduled_at=at)
    notice.refresh_from_db()
    assert (notice.status, notice.scheduled_at, notice.approved_by) == (
        NoticeStatus.SCHEDULED,
        at,
        official,
    )


def test_scheduling_refuses_a_time_in_the_past_and_a_second_time(official, groups):
    notice = draft(official)
    with pytest.raises(ValidationError):
        notice_schedule(
            actor=official,
            notice=notice,
            scheduled_at=timezone.now() - timedelta(minutes=5),
        )
    notice_schedule(actor=official, notice=notice, scheduled_at=timezone.now())
    with pytest.raises(ValidationError):
        notice_schedule(actor=official, notice=notice, scheduled_at=timezone.now())


def test_a_notice_that_reaches_no_group_is_not_scheduled(official, village):
    notice = draft(official)
    with pytest.raises(ValidationError):
        notice_schedule(actor=official, notice=notice, scheduled_at=timezone.now())
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_a_foreign_official_cannot_schedule(official, foreign_official, groups):
    notice = draft(official)
    with pytest.raises(PermissionDenied):
        notice_schedule(
            actor=foreign_official, notice=notice, scheduled_at=timezone.now()
        )


def test_cancel_rules(officer, official, village, groups, commune):
    own = draft(officer, audience=Audience.CHOSEN_VILLAGES, villages=[village])
    with pytest.raises(ValidationError):
        notice_cancel(actor=officer, notice=own, reason="  ")
    assert notice_cancel(actor=officer, notice=own, reason="Sai ngày").status == (
        NoticeStatus.CANCELLED
    )
    others = draft(official)
    with pytest.raises(PermissionDenied):
        notice_cancel(actor=officer, notice=others, reason="x")
    scheduled = NoticeFactory(commune=commune, author=officer, approved_by=official)
    with pytest.raises(PermissionDenied):  # approved: only the commune cancels now
        notice_cancel(actor=officer, notice=scheduled, reason="x")
    notice_cancel(actor=official, notice=scheduled, reason="Hoãn họp")
    scheduled.refresh_from_db()
    assert scheduled.status == NoticeStatus.CANCELLED
    assert scheduled.cancel_reason == "Hoãn họp"
    dispatched = NoticeFactory(commune=commune, status=NoticeStatus.DISPATCHED)
    with pytest.raises(ValidationError):
        notice_cancel(actor=official, notice=dispatched, reason="Muộn rồi")


# --- Audience ----------------------------------------------------------------------


def test_audiences_reach_the_right_active_groups(commune, foreign_village):
    thon, buon, buon2 = villages_of(commune, 3, ethnic_minority=2)[::-1]
    g_thon, g_buon, g_buon2 = groups_for([thon, buon, buon2])
    sms = VillageGroupFactory(village=thon, channel=GroupChannel.SMS)
    VillageGroupFactory(village=buon, is_active=False)
    VillageGroupFactory(village=foreign_village)

    def reached(**kwargs):
        return set(notice_target_groups(NoticeFactory(commune=commune, **kwargs)))

    assert reached() == {g_thon, sms, g_buon, g_buon2}
    assert reached(audience=Audience.ETHNIC_MINORITY_VILLAGES) == {g_buon, g_buon2}
    assert reached(audience=Audience.CHOSEN_VILLAGES, villages=[thon, buon]) == {
        g_thon,
        sms,
        g_buon,
    }


# --- Dispatch (the outbox) ---------------------------------------------------------


def test_dispatch_creates_one_delivery_per_group_and_only_once(commune, groups):
    notice = NoticeFactory(commune=commune)
    assert notice_dispatch_due() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DISPATCHED
    assert notice.dispatched_at is not None
    assert set(notice.deliveries.values_list("group", flat=True)) == {
        g.pk for g in groups
    }
    assert notice_dispatch_due() == 0
    # Even a notice put back to "scheduled" cannot get a second row per group.
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SCHEDULED)
    assert notice_dispatch_due() == 1
    assert Delivery.objects.filter(notice=notice).count() == len(groups)


def test_a_notice_not_yet_due_waits(commune, groups):
    NoticeFactory(commune=commune, scheduled_at=timezone.now() + timedelta(minutes=5))
    assert notice_dispatch_due() == 0
    assert not Delivery.objects.exists()


def test_a_notice_too_late_is_expired_and_not_sent(commune, groups, settings):
    settings.NOTICE_MAX_LATENESS = timedelta(hours=6)
    late = NoticeFactory(
        commune=commune, scheduled_at=timezone.now() - timedelta(hours=6, minutes=1)
    )
    on_time = NoticeFactory(
        commune=commune, scheduled_at=timezone.now() - timedelta(hours=5)
    )
    assert notice_dispatch_due() == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.status == NoticeStatus.EXPIRED
    assert not late.deliveries.exists()
    assert on_time.status == NoticeStatus.DISPATCHED


def test_second_language_text_only_for_chosen_villages(commune, village, groups):
    other_group = groups[1]
    NoticeFactory(
        commune=commune,
        title="Vay vốn",
        body="Ngân hàng cho vay.",
        second_language="Ê Đê",
        body_second="Klei mă prăk.",
        second_language_villages=[other_group.village],
    )
    notice_dispatch_due()
    texts = dict(Delivery.objects.values_list("group", "text"))
    assert texts[groups[0].pk] == "Vay vốn\n\nNgân hàng cho vay."
    assert (
        texts[other_group.pk]
        == "Vay vốn\n\nNgân hàng cho vay.\n\n[Ê Đê]\nKlei mă prăk."
    )


def test_relay_groups_get_a_delivery_left_for_a_human(commune, village):
    (relay,) = groups_for([village], channel=GroupChannel.RELAY)
    NoticeFactory(commune=commune)
    notice_dispatch_due()
    delivery = Delivery.objects.get(group=relay)
    assert (delivery.status, delivery.next_attempt_at) == ("queued", None)


def test_dispatch_query_count_does_not_grow_with_groups(
    commune, django_assert_max_num_queries
):
    villages = villages_of(commune, 40)
    groups_for(villages)
    small = NoticeFactory(commune=commune, audience=Audience.CHOSEN_VILLAGES)
    small.villages.set(villages[:10])
    with CaptureQueriesContext(connection) as ten:
        notice_dispatch_due()
    assert small.deliveries.count() == 10
    NoticeFactory(commune=commune)  # all 40
    with django_assert_max_num_queries(len(ten)):
        notice_dispatch_due()
    assert Delivery.objects.count() == 50


# --- Selectors: what a village officer sees ---------------------------------------


def test_a_village_officer_sees_only_notices_and_deliveries_of_their_villages(
    officer, official, commune, village, other_village, groups
):
    to_all = NoticeFactory(commune=commune)
    to_other = NoticeFactory(
        commune=commune, audience=Audience.CHOSEN_VILLAGES, villages=[other_village]
    )
    others_draft = NoticeFactory(
        commune=commune, status=NoticeStatus.DRAFT, approved_by=None
    )
    own = draft(officer, audience=Audience.CHOSEN_VILLAGES, villages=[village])
    notice_dispatch_due()
    assert set(notices_for(officer)) == {to_all, own}
    assert set(notices_for(official)) == {to_all, to_other, others_draft, own}
    with pytest.raises(Http404):
        notice_get_for(officer, to_other.pk)
    assert [d.group for d in deliveries_of(to_all, officer)] == [groups[0]]
    assert len(deliveries_of(to_all, official)) == 2
