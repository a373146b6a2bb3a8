"""Beat's side of notices: send out what is due, and re-find what the broker lost.

``notice_dispatch_due`` is the outbox step: in one transaction per notice, with the notice
row locked, it creates one ``Delivery`` per target group and marks the notice dispatched;
the ``send_delivery`` tasks go to the broker only after that commit. If the broker is down
then, the rows are still there and ``deliveries_sweep`` sends them when it is back.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..delivery_errors import DeliveryErrorCode
from ..models import Delivery, DeliveryStatus, GroupChannel, Notice, NoticeStatus
from ._common import _send_after_commit, _set_status, _skip_locked, notice_text
from .notices import notice_target_groups

logger = logging.getLogger("outreach.notices")

DISPATCH_BATCH = 100
SWEEP_BATCH = 500


def notice_dispatch_due(*, now: datetime | None = None) -> int:
    """Send out every scheduled notice that is due; returns how many were dispatched."""
    now = now or timezone.now()
    due = list(
        Notice.objects.due(now)
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    return sum(_dispatch_one(pk, now=now) for pk in due)


def _dispatch_one(notice_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(**_skip_locked())
            .filter(pk=notice_id, status=NoticeStatus.SCHEDULED, scheduled_at__lte=now)
            .first()
        )
        if notice is None:  # another dispatcher has it, or it changed meanwhile
            return False
        lateness = now - notice.scheduled_at
        if lateness > settings.NOTICE_MAX_LATENESS:
            _set_status(
                notice,
                NoticeStatus.EXPIRED,
                actor=None,
                note=_("Not sent: %(minutes)s minutes late.")
                % {"minutes": int(lateness.total_seconds() // 60)},
            )
            logger.warning("Notice %s expired, %s late", notice.pk, lateness)
            return False
        groups = list(notice_target_groups(notice).select_related("village"))
        second_villages = (
            set(notice.second_language_villages.values_list("pk", flat=True))
            if notice.second_language
            else set()
        )
        # The unique (notice, group) constraint makes a repeated run a no-op.
        Delivery.objects.bulk_create(
            [
                Delivery(
                    notice=notice,
                    group=group,
                    text=notice_text(
                        notice,
                        with_second_language=group.village_id in second_villages,
                    ),
                )
                for group in groups
            ],
            ignore_conflicts=True,
        )
        _set_status(notice, NoticeStatus.DISPATCHED, actor=None, dispatched_at=now)
        if not groups:  # every group was switched off since it was scheduled
            _set_status(notice, NoticeStatus.DONE, actor=None)
        # Relay deliveries wait for a human: no task, no next attempt.
        to_send = (
            notice.deliveries.filter(status=DeliveryStatus.QUEUED)
            .exclude(group__channel=GroupChannel.RELAY)
            .values_list("pk", flat=True)
        )
        _send_after_commit(to_send)
    return True


def deliveries_sweep(*, now: datetime | None = None) -> int:
    """Re-send lost or due work; returns how many ``send_delivery`` tasks were sent.

    - ``wired`` for longer than ``NOTICE_WIRED_TIMEOUT``: the worker died during the
      provider call, so the outcome is unknown. It goes back to the queue (the attempt
      counts) and is sent again: the one case where a group may get a notice twice.
    - ``queued`` and due (a retry or a quota deferral), or queued without a next attempt
      for longer than ``NOTICE_LOST_AFTER`` (it was sent to the broker when it was
      created, and the broker lost the message: a Redis restart).
    Relay deliveries wait for a human and are left alone.
    """
    now = now or timezone.now()
    lost_after = settings.NOTICE_LOST_AFTER
    not_relay = ~Q(group__channel=GroupChannel.RELAY)
    with transaction.atomic():
        stale = list(
            Delivery.objects.select_for_update(**_skip_locked())
            .filter(
                not_relay,
                status=DeliveryStatus.WIRED,
                wired_at__lt=now - settings.NOTICE_WIRED_TIMEOUT,
            )
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if stale:
            Delivery.objects.filter(pk__in=stale, status=DeliveryStatus.WIRED).update(
                status=DeliveryStatus.QUEUED,
                next_attempt_at=now,
                error="worker lost during the send; outcome unknown, sending again",
                error_code=DeliveryErrorCode.INTERRUPTED,
            )
            logger.warning("Re-queued %s deliveries left wired", len(stale))
        due = list(
            Delivery.objects.filter(not_relay, status=DeliveryStatus.QUEUED)
            .filter(
                Q(next_attempt_at__lte=now)
                | Q(next_attempt_at__isnull=True, created_at__lte=now - lost_after)
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        _send_after_commit(due)
    return len(due)
