"""The worker's side: send one delivery through its group's channel.

The status walks queued → wired → sent (or failed), RapidPro style:

1. In a first transaction, with the row locked: skip unless it is queued and due; mark it
   ``wired`` (attempts + 1) and COMMIT, so a second task for the same delivery finds it
   wired and makes no provider call.
2. Call the provider outside any transaction (it may take seconds).
3. In a second transaction record the outcome: sent, failed with the reason, or back to
   the queue with a next attempt (exponential backoff with jitter; a quota deferral does
   not count as an attempt). The last final delivery of a notice makes it done.

The crash window: a worker killed between the provider's acceptance and step 3 leaves the
row ``wired``. ``deliveries_sweep`` treats a delivery wired for longer than
``NOTICE_WIRED_TIMEOUT`` as unknown and sends it again, the one documented case where a
group may get a notice twice (Zalo has no idempotency key; the SMS gateway gets ``key``).
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ..channels import (
    Message,
    PermanentError,
    QuotaExceeded,
    Sent,
    TransientError,
    get_channel,
)
from ..models import (
    FINAL_DELIVERY_STATUSES,
    Delivery,
    DeliveryStatus,
    GroupChannel,
    Notice,
    NoticeStatus,
)
from ._common import _set_status

logger = logging.getLogger("outreach.notices")

QUOTA_DEFAULT_WAIT = timedelta(minutes=15)
BACKOFF_CAP_MINUTES = 60
JITTER = 0.2

SENT = "sent"
FAILED = "failed"
RETRY = "retry"
DEFERRED = "deferred"
SKIPPED = "skipped"
MISSING = "missing"
STALE = "stale"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th attempt, capped at an hour, ±20%."""
    minutes = min(BACKOFF_CAP_MINUTES, 2 ** max(0, attempts - 1))
    factor = random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (jitter, not a secret)
    return timedelta(minutes=minutes * factor)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery; returns what happened ("sent", "retry", "skipped", …)."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return MISSING
        group = delivery.group
        due = delivery.next_attempt_at is None or delivery.next_attempt_at <= now
        if (
            delivery.status != DeliveryStatus.QUEUED
            or not due
            or group.channel == GroupChannel.RELAY
        ):
            return SKIPPED
        delivery.status = DeliveryStatus.WIRED
        delivery.attempts += 1
        delivery.wired_at = now
        delivery.next_attempt_at = None
        delivery.save(
            update_fields=["status", "attempts", "wired_at", "next_attempt_at"]
        )
        title = Notice.objects.values_list("title", flat=True).get(
            pk=delivery.notice_id
        )
    # Committed as wired: now the provider, outside any transaction.
    message = Message(
        target=group.external_id or group.name,
        text=delivery.text,
        key=str(delivery.pk),
        subject=title,
    )
    try:
        result = get_channel(group.channel).send(message)
    except QuotaExceeded as exc:
        return _record(delivery, DEFERRED, reason=exc.reason, retry_at=exc.retry_at)
    except PermanentError as exc:
        return _record(delivery, FAILED, reason=exc.reason)
    except TransientError as exc:
        return _record(delivery, RETRY, reason=exc.reason)
    except ImproperlyConfigured as exc:
        return _record(delivery, FAILED, reason=str(exc))
    except Exception as exc:
        # A bug in a backend must not loop forever: retried like a transient failure,
        # so the attempt limit applies.
        logger.exception("Channel %s raised unexpectedly", group.channel)
        return _record(delivery, RETRY, reason=f"unexpected {type(exc).__name__}")
    return _record(delivery, SENT, sent=result)


def _record(
    wired: Delivery,
    outcome: str,
    *,
    reason: str = "",
    retry_at: datetime | None = None,
    sent: Sent | None = None,
) -> str:
    now = timezone.now()
    with transaction.atomic():
        final = outcome in (SENT, FAILED) or (
            outcome == RETRY and wired.attempts >= settings.NOTICE_MAX_ATTEMPTS
        )
        # The notice first, then the delivery (the order every service locks in), so
        # two workers finishing a notice's last deliveries see each other's outcome.
        notice = (
            Notice.objects.select_for_update().get(pk=wired.notice_id)
            if final
            else None
        )
        delivery = Delivery.objects.select_for_update().get(pk=wired.pk)
        if (
            delivery.status != DeliveryStatus.WIRED
            or delivery.wired_at != wired.wired_at
        ):
            # The sweeper re-queued it meanwhile; another send owns the row now.
            logger.warning("Delivery %s changed during the send: %s", wired.pk, outcome)
            return STALE
        fields = ["status", "error", "next_attempt_at"]
        reason = reason[:300]
        delivery.error = reason
        delivery.next_attempt_at = None
        if outcome == SENT:
            delivery.status = DeliveryStatus.SENT
            delivery.provider_id = sent.provider_id[:200]
            delivery.sent_at = now
            fields += ["provider_id", "sent_at"]
        elif final:
            if outcome == RETRY:
                reason = f"gave up after {delivery.attempts} attempts: {reason}"[:300]
                delivery.error = reason
                outcome = FAILED
            delivery.status = DeliveryStatus.FAILED
            delivery.failed_at = now
            fields.append("failed_at")
        elif outcome == DEFERRED:
            delivery.status = DeliveryStatus.QUEUED
            delivery.attempts -= 1  # waiting for the quota is not an attempt
            delivery.next_attempt_at = (
                retry_at if retry_at and retry_at > now else now + QUOTA_DEFAULT_WAIT
            )
            fields.append("attempts")
        else:  # RETRY
            delivery.status = DeliveryStatus.QUEUED
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=fields)
        if notice is not None:
            _finish_notice_if_complete(notice)
    if outcome != SENT:
        logger.info("Delivery %s %s: %s", delivery.pk, outcome, reason)
    return outcome


def _finish_notice_if_complete(notice: Notice) -> None:
    """Call with the notice locked, after saving a delivery in a final status."""
    if notice.status != NoticeStatus.DISPATCHED:
        return
    open_left = notice.deliveries.exclude(status__in=FINAL_DELIVERY_STATUSES).exists()
    if not open_left:
        _set_status(notice, NoticeStatus.DONE, actor=None)
