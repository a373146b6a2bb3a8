"""Notices the portal writes itself: loan repayment reminders, training session reminders.

A rule (in ``loans`` or ``trainings``) decides what to say and to which villages; this
module turns it into a scheduled notice. Each automatic notice has a ``source_key`` naming
what it is about ("loan-due:12:2025-10-15"), unique per commune, so a job that runs every
hour, or twice by mistake, creates it once. They are approved by the rule that made them
(``approved_by`` stays empty, which the model allows only for automatic sources), so they
go out without an official's click, and an official can still cancel one until it is sent.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_record
from households.models import Commune, Village

from ..models import Audience, Notice, NoticeSource, NoticeStatus, VillageGroup
from ._common import _set_status

logger = logging.getLogger("outreach.notices")


def notice_schedule_automatic(
    *,
    commune: Commune,
    source: str,
    source_key: str,
    title: str,
    body: str,
    villages: Iterable[Village],
    scheduled_at: datetime,
) -> Notice | None:
    """Schedule an automatic notice once; None if it exists or would reach no group."""
    if source == NoticeSource.MANUAL or not source_key:
        raise ValueError("An automatic notice needs an automatic source and a key.")
    if Notice.objects.filter(commune=commune, source_key=source_key).exists():
        return None
    villages = [v for v in villages if v.commune_id == commune.pk]
    reached = set(
        VillageGroup.objects.active()
        .filter(village__in=villages)
        .values_list("village_id", flat=True)
    )
    villages = [v for v in villages if v.pk in reached]
    if not villages:
        return None
    notice = Notice(
        commune=commune,
        title=title[:200],
        body=body,
        audience=Audience.CHOSEN_VILLAGES,
        status=NoticeStatus.SCHEDULED,
        scheduled_at=scheduled_at,
        approved_at=timezone.now(),
        source=source,
        source_key=source_key,
    )
    try:
        with transaction.atomic():
            notice.save()
            notice.villages.set(villages)
            audit_record(
                actor=None,
                instance=notice,
                action=AuditAction.CREATE,
                changes={
                    "source": [None, source],
                    "scheduled_at": [None, scheduled_at.isoformat()],
                    "villages": [None, sorted(str(v) for v in villages)],
                },
            )
    except IntegrityError:
        # Another run created the same key between our check and our insert.
        if Notice.objects.filter(commune=commune, source_key=source_key).exists():
            return None
        raise
    return notice


def notices_cancel_automatic(
    *, commune: Commune, source_key_prefix: str, reason: str
) -> int:
    """Cancel the automatic notices whose key starts with the prefix and that are not
    sent out yet (e.g. a training session's reminders when the session is cancelled);
    returns how many were cancelled."""
    cancelled = 0
    with transaction.atomic():
        pending = (
            Notice.objects.select_for_update()
            .filter(
                commune=commune,
                source_key__startswith=source_key_prefix,
                status__in=(NoticeStatus.DRAFT, NoticeStatus.SCHEDULED),
            )
            .exclude(source=NoticeSource.MANUAL)
        )
        for notice in pending:
            _set_status(
                notice,
                NoticeStatus.CANCELLED,
                actor=None,
                cancelled_at=timezone.now(),
                cancel_reason=reason[:300],
            )
            cancelled += 1
    return cancelled
