"""Writing, approving, scheduling and cancelling notices.

A village officer drafts for their own villages and asks for approval; a commune-wide
official approves and schedules (or schedules their own directly). Each function is one
transaction, audited, and checks the actor's scope again even though the screens fetched
the notice through a scoped selector.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_record, snapshot
from households.models import Commune, Village
from households.selectors import villages_for

from ..models import (
    Audience,
    Delivery,
    DeliveryStatus,
    GroupChannel,
    Notice,
    NoticeStatus,
    VillageGroup,
)
from ._common import (
    _ensure_commune_wide,
    _ensure_transition,
    _send_after_commit,
    _set_status,
)

NOTICE_FIELDS = (
    "commune",
    "title",
    "body",
    "second_language",
    "body_second",
    "audience",
    "status",
    "scheduled_at",
    "source",
)
# A time picked on the form a moment ago is still "now".
SCHEDULE_GRACE = timedelta(minutes=1)


def audience_villages(
    *, commune_id: int, audience: str, chosen: Iterable[int] = ()
) -> QuerySet[Village]:
    """The villages an audience reaches."""
    villages = Village.objects.filter(commune_id=commune_id)
    if audience == Audience.CHOSEN_VILLAGES:
        return villages.filter(pk__in=list(chosen))
    if audience == Audience.ETHNIC_MINORITY_VILLAGES:
        return villages.filter(is_ethnic_minority=True)
    return villages


def notice_target_groups(notice: Notice) -> QuerySet[VillageGroup]:
    """The active groups a notice goes to."""
    if notice.audience == Audience.CHOSEN_VILLAGES:
        villages = notice.villages.filter(commune_id=notice.commune_id)
    else:
        villages = audience_villages(
            commune_id=notice.commune_id, audience=notice.audience
        )
    return VillageGroup.objects.active().filter(village__in=villages.values("pk"))


def _commune_of(actor, commune: Commune | None) -> Commune:
    if actor.is_superuser and commune is not None:
        return commune
    if actor.commune_id is None or (commune and commune.pk != actor.commune_id):
        raise PermissionDenied(_("You cannot write notices for this commune."))
    return actor.commune


def _check_villages(
    *, actor, commune: Commune, audience: str, villages, second_villages
) -> tuple[list[Village], list[Village]]:
    """Validate the audience for this actor; returns (chosen, second-language) villages."""
    villages = list(villages) if audience == Audience.CHOSEN_VILLAGES else []
    second_villages = list(second_villages)
    if any(v.commune_id != commune.pk for v in [*villages, *second_villages]):
        raise PermissionDenied(_("You cannot send notices to another commune."))
    if not actor.is_commune_wide:
        if audience != Audience.CHOSEN_VILLAGES:
            raise ValidationError(
                {
                    "audience": _(
                        "A village officer writes notices for their own villages: "
                        "choose them."
                    )
                }
            )
        mine = set(villages_for(actor).values_list("pk", flat=True))
        if any(v.pk not in mine for v in [*villages, *second_villages]):
            raise PermissionDenied(
                _("You can write notices only for your own villages.")
            )
    if audience == Audience.CHOSEN_VILLAGES and not villages:
        raise ValidationError({"villages": _("Choose at least one village.")})
    reached = set(
        audience_villages(
            commune_id=commune.pk, audience=audience, chosen=[v.pk for v in villages]
        ).values_list("pk", flat=True)
    )
    if any(v.pk not in reached for v in second_villages):
        raise ValidationError(
            {
                "second_language_villages": _(
                    "The second language can go only to villages the notice reaches."
                )
            }
        )
    return villages, second_villages


def notice_create(
    *,
    actor,
    commune: Commune | None = None,
    title: str,
    body: str,
    audience: str,
    villages: Iterable[Village] = (),
    second_language: str = "",
    body_second: str = "",
    second_language_villages: Iterable[Village] = (),
    scheduled_at: datetime | None = None,
) -> Notice:
    """A draft notice. ``scheduled_at`` is the proposed time until it is approved."""
    commune = _commune_of(actor, commune)
    chosen, second = _check_villages(
        actor=actor,
        commune=commune,
        audience=audience,
        villages=villages,
        second_villages=second_language_villages,
    )
    if second and not second_language:
        raise ValidationError(
            {"second_language": _("Say which language the second text is in.")}
        )
    notice = Notice(
        commune=commune,
        title=title.strip(),
        body=body.strip(),
        second_language=second_language.strip(),
        body_second=body_second.strip(),
        audience=audience,
        scheduled_at=scheduled_at,
        author=actor,
    )
    notice.full_clean()
    with transaction.atomic():
        notice.save()
        notice.villages.set(chosen)
        notice.second_language_villages.set(second)
        changes = {
            k: [None, v]
            for k, v in snapshot(notice, NOTICE_FIELDS).items()
            if v not in (None, "")
        }
        changes["villages"] = [None, sorted(str(v) for v in chosen)]
        if second:
            changes["second_language_villages"] = [None, sorted(str(v) for v in second)]
        audit_record(
            actor=actor, instance=notice, action=AuditAction.CREATE, changes=changes
        )
    return notice


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def notice_submit(*, actor, notice: Notice) -> Notice:
    """The author asks a commune official to approve and schedule the notice."""
    with transaction.atomic():
        notice = _locked(notice)
        if notice.author_id != actor.pk:
            raise PermissionDenied(_("Only the author can submit this notice."))
        _set_status(notice, NoticeStatus.SUBMITTED, actor=actor)
    return notice


def notice_schedule(*, actor, notice: Notice, scheduled_at: datetime) -> Notice:
    """Approve and schedule (commune-wide only)."""
    _ensure_commune_wide(actor, notice)
    now = timezone.now()
    if scheduled_at is None or scheduled_at < now - SCHEDULE_GRACE:
        raise ValidationError(
            {"scheduled_at": _("Choose a time from now on, not in the past.")}
        )
    with transaction.atomic():
        notice = _locked(notice)
        _ensure_transition(notice, NoticeStatus.SCHEDULED)
        if not notice_target_groups(notice).exists():
            raise ValidationError(
                _("This notice reaches no active village group; add a group first.")
            )
        _set_status(
            notice,
            NoticeStatus.SCHEDULED,
            actor=actor,
            scheduled_at=scheduled_at,
            approved_by=actor,
            approved_at=now,
        )
    return notice


def notice_cancel(*, actor, notice: Notice, reason: str) -> Notice:
    """Cancel before it is sent out. A village officer only their own unapproved ones."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": _("Say why the notice is cancelled.")})
    with transaction.atomic():
        notice = _locked(notice)
        if actor.is_commune_wide:
            _ensure_commune_wide(actor, notice)
        elif notice.author_id != actor.pk or notice.status not in (
            NoticeStatus.DRAFT,
            NoticeStatus.SUBMITTED,
        ):
            raise PermissionDenied(
                _(
                    "A village officer can cancel only their own notices not yet approved."
                )
            )
        _set_status(
            notice,
            NoticeStatus.CANCELLED,
            actor=actor,
            cancelled_at=timezone.now(),
            cancel_reason=reason,
        )
    return notice


def notice_resend_failed(*, actor, notice: Notice) -> int:
    """Failed deliveries go back to the queue with their attempts reset; returns how many."""
    _ensure_commune_wide(actor, notice)
    with transaction.atomic():
        notice = _locked(notice)
        failed = notice.deliveries.filter(status=DeliveryStatus.FAILED)
        ids = list(failed.values_list("pk", flat=True))
        if not ids:
            return 0
        if notice.status == NoticeStatus.DONE:
            _set_status(
                notice,
                NoticeStatus.DISPATCHED,
                actor=actor,
                note=_("Resending %(count)s failed deliveries.") % {"count": len(ids)},
            )
        else:
            audit_record(
                actor=actor,
                instance=notice,
                action=AuditAction.UPDATE,
                note=_("Resending %(count)s failed deliveries.") % {"count": len(ids)},
            )
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.QUEUED,
            attempts=0,
            next_attempt_at=None,
            failed_at=None,
        )
        # A relay's wait (chasing, giving up) starts again now (services/relay.py).
        Delivery.objects.filter(pk__in=ids, group__channel=GroupChannel.RELAY).update(
            next_attempt_at=timezone.now()
        )
        to_send = Delivery.objects.filter(pk__in=ids).exclude(
            group__channel=GroupChannel.RELAY
        )
        _send_after_commit(to_send.values_list("pk", flat=True))
    return len(ids)
