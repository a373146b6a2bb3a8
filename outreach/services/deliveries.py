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
row ``wired`` (a database that is down at step 3 is waited for, up to
``RECORD_RETRY_FOR``: the worker knows the outcome and must not lose it).
``deliveries_sweep`` treats a delivery wired for longer than
``NOTICE_WIRED_TIMEOUT`` as unknown and sends it again: a group may get the notice twice
(Zalo has no idempotency key; the SMS gateway gets ``key``). With a provider that answers
after the timeout, this is the crash-after-send window of docs/faults.md.
"""

import logging
import random
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from ..channels import (
    Message,
    PermanentError,
    QuotaExceeded,
    Sent,
    TransientError,
    get_channel,
)
from ..delivery_errors import DeliveryErrorCode
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
BACKOFF_CAP = 60  # NOTICE_RETRY_BASE units: an hour by default
JITTER = 0.2
# Once the provider has answered, the outcome is known: a database that is down for a
# moment (a restart, a failover) is waited for this long, rather than leaving the row
# wired for the sweeper to send again (a duplicate in the village group). A 10 s
# provider call plus this stays inside send_delivery's 50 s soft time limit.
RECORD_RETRY_FOR = 30.0  # seconds
RECORD_RETRY_EVERY = 1.0

SENT = "sent"
FAILED = "failed"
RETRY = "retry"
DEFERRED = "deferred"
SKIPPED = "skipped"
MISSING = "missing"
STALE = "stale"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes (``NOTICE_RETRY_BASE``) after the n-th attempt, capped at an
    hour, ±20%."""
    units = min(BACKOFF_CAP, 2 ** max(0, attempts - 1))
    factor = random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 (jitter, not a secret)
    return settings.NOTICE_RETRY_BASE * (units * factor)


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
        return _record(
            delivery,
            DEFERRED,
            reason=exc.reason,
            code=exc.code,
            retry_at=exc.retry_at,
        )
    except PermanentError as exc:
        return _record(delivery, FAILED, reason=exc.reason, code=exc.code)
    except TransientError as exc:
        return _record(delivery, RETRY, reason=exc.reason, code=exc.code)
    except ImproperlyConfigured as exc:
        return _record(
            delivery,
            FAILED,
            reason=str(exc),
            code=DeliveryErrorCode.NOT_CONFIGURED,
        )
    except Exception as exc:
        # A bug in a backend must not loop forever: retried like a transient failure,
        # so the attempt limit applies.
        logger.exception("Channel %s raised unexpectedly", group.channel)
        return _record(
            delivery,
            RETRY,
            reason=f"unexpected {type(exc).__name__}",
            code=DeliveryErrorCode.UNKNOWN,
        )
    return _record(delivery, SENT, sent=result)


def _record(wired: Delivery, outcome: str, **details) -> str:
    """Write the provider's outcome, waiting out a database that is briefly down."""
    deadline = time.monotonic() + RECORD_RETRY_FOR
    while True:
        try:
            return _write_outcome(wired, outcome, **details)
        except (OperationalError, InterfaceError) as exc:
            if time.monotonic() >= deadline:
                raise  # left wired: the sweeper sends it again (docs/decisions.md)
            logger.warning(
                "Delivery %s: cannot record %s yet, database unavailable (%s)",
                wired.pk,
                outcome,
                str(exc).strip()[:200],
            )
            _drop_broken_connection()
            time.sleep(RECORD_RETRY_EVERY)


def _drop_broken_connection() -> None:
    """Close this thread's connection if the failure broke it, so the next try opens a
    new one (what Django does between requests and Celery between tasks)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()


def _write_outcome(
    wired: Delivery,
    outcome: str,
    *,
    reason: str = "",
    code: str = "",
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
        fields = ["status", "error", "error_code", "next_attempt_at"]
        reason = reason[:300]
        delivery.error = reason
        delivery.error_code = code if reason else ""
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
