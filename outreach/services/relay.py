"""Relay groups: a village's ordinary personal Zalo group, which the Official Account
cannot post to. The village officer forwards the notice by hand and says so.

When a notice is sent out, each relay group gets a ``Delivery`` like any other group, but
no task sends it and the sweeper leaves it alone: it stays ``queued`` until

- a village officer of that village (or a commune official) confirms it was forwarded
  (``relay_confirm``): it becomes ``sent``, with ``provider_id`` "relay:<user pk>" and
  ``confirmed_by``; or
- it has waited ``RELAY_GIVE_UP_AFTER`` (``relays_chase``): it is ``failed`` with the
  reason "not forwarded by the village officer", counted as not delivered.

Meanwhile ``relays_chase`` (beat, every 15 minutes) e-mails the village's officers each
``RELAY_CHASE_AFTER``. A relay "waits since" its ``next_attempt_at`` when a commune
official resent it after it failed (the request to the officer started again then), else
since it was created: the system never sends a relay, so that column has no other use on
a relay row.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from eakutur.accounts.models import Role
from eakutur.audit.services import audited_update
from households.selectors import villages_for

from ..delivery_errors import DeliveryErrorCode
from ..models import Delivery, DeliveryStatus, GroupChannel, Notice, NoticeStatus
from ._common import _skip_locked
from .deliveries import _finish_notice_if_complete

logger = logging.getLogger("outreach.relay")

RELAY_PROVIDER_PREFIX = "relay:"
# Stored on the delivery (like the providers' errors, in English); the screens translate it.
GIVE_UP_REASON = gettext_noop("not forwarded by the village officer")
CHASE_BATCH = 500


def relay_waiting_since(delivery: Delivery) -> datetime:
    """When the current request to the village officer began."""
    return delivery.next_attempt_at or delivery.created_at


def waiting_relays() -> QuerySet[Delivery]:
    """Every relay delivery still waiting for a village officer, with ``waiting_since``."""
    return Delivery.objects.filter(
        status=DeliveryStatus.QUEUED,
        group__channel=GroupChannel.RELAY,
        notice__status=NoticeStatus.DISPATCHED,
    ).annotate(waiting_since=Coalesce("next_attempt_at", "created_at"))


def wait_in_words(delta: timedelta) -> str:
    """How long a relay has waited, the way people say it: "45 minutes", "2 hours 5
    minutes", "1 day 3 hours" (in the active language)."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if (minutes and not days) or not parts:
        parts.append(
            ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
        )
    return " ".join(parts)


# --- Confirming -----------------------------------------------------------------------


def _ensure_may_confirm(actor, delivery: Delivery) -> None:
    """A village officer of the group's village, or a commune-wide official of its
    commune (``villages_for`` is exactly that)."""
    if not (actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("Sign in to confirm a relay."))
    if not villages_for(actor).filter(pk=delivery.group.village_id).exists():
        raise PermissionDenied(
            _("You can confirm relays only for the groups of your own villages.")
        )


def _who(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.username


def relay_confirm(*, actor, delivery: Delivery) -> Delivery:
    """The village officer forwarded the text to the group: the delivery is sent.

    Locks the notice, then the delivery (the order every notice service locks in), so a
    confirmation that finishes the last open delivery makes the notice done exactly once.
    Confirming twice, a relay given up, or a relay of a cancelled notice changes nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=delivery.notice_id)
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("group", "confirmed_by")
            .get(pk=delivery.pk)
        )
        if delivery.group.channel != GroupChannel.RELAY:
            raise ValidationError(
                _("The system sends this group's notices itself; nothing to confirm."),
                code="not_relay",
            )
        _ensure_may_confirm(actor, delivery)
        if delivery.status == DeliveryStatus.SENT:
            raise ValidationError(
                _(
                    "This notice was already marked as forwarded by %(name)s at "
                    "%(when)s. Nothing was changed."
                )
                % {
                    "name": _who(delivery.confirmed_by),
                    "when": formats.date_format(
                        timezone.localtime(delivery.sent_at), "d/m/Y H:i"
                    ),
                },
                code="already_confirmed",
            )
        if delivery.status == DeliveryStatus.FAILED:
            raise ValidationError(
                _(
                    "This relay waited too long and was counted as not delivered. "
                    "Nothing was changed; a commune official can send it again."
                ),
                code="given_up",
            )
        if notice.status == NoticeStatus.CANCELLED:
            raise ValidationError(
                _("This notice was cancelled: do not forward it. Nothing was changed."),
                code="cancelled",
            )
        if notice.status != NoticeStatus.DISPATCHED:
            raise ValidationError(
                _("This notice is no longer being sent. Nothing was changed."),
                code="not_sending",
            )
        audited_update(
            delivery,
            {
                "status": DeliveryStatus.SENT,
                "sent_at": now,
                "provider_id": f"{RELAY_PROVIDER_PREFIX}{actor.pk}",
                "confirmed_by": actor,
                "next_attempt_at": None,
                "error": "",
                "error_code": "",
            },
            actor=actor,
            parent=notice,
            note=_("Forwarded by hand to the group %(group)s.")
            % {"group": delivery.group.name},
        )
        _finish_notice_if_complete(notice)
    return delivery


# --- Chasing and giving up ------------------------------------------------------------


@dataclass(frozen=True)
class ChaseResult:
    reminded: int = 0  # relays whose officers were reminded (chase_count + 1)
    emails: int = 0  # e-mails handed to the mail backend
    given_up: int = 0  # relays failed as not forwarded


def relays_chase(*, now: datetime | None = None) -> ChaseResult:
    """Fail the relays waiting longer than ``RELAY_GIVE_UP_AFTER``; remind the officers
    of those waiting longer than ``RELAY_CHASE_AFTER`` and not reminded within it.

    Safe to run twice: the second run finds them reminded a moment ago, or failed. The
    e-mails go after commit, one per officer listing all their waiting relays; a mail
    server that refuses is logged, and the next reminder comes ``RELAY_CHASE_AFTER`` later.
    """
    now = now or timezone.now()
    chase_after = settings.RELAY_CHASE_AFTER
    give_up_before = now - settings.RELAY_GIVE_UP_AFTER
    overdue = list(
        waiting_relays()
        .filter(waiting_since__lte=give_up_before)
        .order_by("waiting_since", "pk")
        .values_list("pk", flat=True)[:CHASE_BATCH]
    )
    given_up = sum(_give_up(pk, now=now) for pk in overdue)

    with transaction.atomic():
        due = list(
            waiting_relays()
            .filter(
                Q(last_chased_at__isnull=True)
                | Q(last_chased_at__lte=now - chase_after),
                waiting_since__lte=now - chase_after,
                waiting_since__gt=give_up_before,
            )
            .order_by("waiting_since", "pk")
            .values_list("pk", flat=True)[:CHASE_BATCH]
        )
        # Rows a confirmation holds right now are skipped: they are no longer waiting.
        locked = list(
            Delivery.objects.select_for_update(**_skip_locked())
            .filter(pk__in=due, status=DeliveryStatus.QUEUED)
            .values_list("pk", flat=True)
        )
        reminded = []
        for delivery in (
            Delivery.objects.filter(pk__in=locked)
            .select_related("notice", "group__village")
            .annotate(waiting_since=Coalesce("next_attempt_at", "created_at"))
            .order_by("group__village__sort_order", "waiting_since", "pk")
        ):
            delivery.waited = now - delivery.waiting_since
            delivery.chase_count += 1
            delivery.last_chased_at = now
            delivery.save(update_fields=["chase_count", "last_chased_at"])
            reminded.append(delivery)
        emails = _reminders(reminded, now=now)
        transaction.on_commit(lambda: _send(emails))
    if reminded or given_up:
        logger.info(
            "Relays: %s reminded (%s e-mails), %s given up",
            len(reminded),
            len(emails),
            given_up,
        )
    return ChaseResult(reminded=len(reminded), emails=len(emails), given_up=given_up)


def _give_up(delivery_id: int, *, now: datetime) -> bool:
    with transaction.atomic():
        notice_id = (
            Delivery.objects.filter(pk=delivery_id)
            .values_list("notice_id", flat=True)
            .first()
        )
        if notice_id is None:
            return False
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("group")
            .get(pk=delivery_id)
        )
        still_waiting = (
            delivery.status == DeliveryStatus.QUEUED
            and delivery.group.channel == GroupChannel.RELAY
            and notice.status == NoticeStatus.DISPATCHED
            and relay_waiting_since(delivery) <= now - settings.RELAY_GIVE_UP_AFTER
        )
        if not still_waiting:  # confirmed (or resent) meanwhile
            return False
        delivery.status = DeliveryStatus.FAILED
        delivery.failed_at = now
        delivery.error = GIVE_UP_REASON
        delivery.error_code = DeliveryErrorCode.NOT_FORWARDED
        delivery.save(update_fields=["status", "failed_at", "error", "error_code"])
        _finish_notice_if_complete(notice)
    logger.info("Relay delivery %s given up: %s", delivery_id, GIVE_UP_REASON)
    return True


@dataclass(frozen=True)
class _Email:
    to: str
    subject: str
    body: str


def relay_page_link() -> str:
    """The relay page's address for an e-mail: absolute with ``SITE_URL``, else a path."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("outreach:relay_list")
    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{site}{path}"


def _reminders(deliveries: list[Delivery], *, now: datetime) -> list[_Email]:
    """One e-mail per village officer (with an address) of the reminded relays'
    villages, listing those of their villages, in Vietnamese (the portal's language)."""
    if not deliveries:
        return []
    village_ids = {d.group.village_id for d in deliveries}
    officers = (
        get_user_model()
        .objects.filter(
            is_active=True,
            role=Role.VILLAGE_OFFICER,
            villages__in=village_ids,
        )
        .exclude(email="")
        .distinct()
        .prefetch_related("villages")
    )
    by_village: dict[int, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_village[delivery.group.village_id].append(delivery)
    emails = []
    told = set()
    link = relay_page_link()
    give_up_hours = int(settings.RELAY_GIVE_UP_AFTER.total_seconds() // 3600)
    for officer in officers:
        theirs = [
            d
            for village in officer.villages.all()
            if village.commune_id == officer.commune_id
            for d in by_village.get(village.pk, [])
        ]
        if not theirs:
            continue
        told.update(d.group.village_id for d in theirs)
        with translation.override(settings.LANGUAGE_CODE):
            for delivery in theirs:
                delivery.waited_text = wait_in_words(delivery.waited)
            subject = ngettext(
                "%(count)s notice is waiting for you to forward",
                "%(count)s notices are waiting for you to forward",
                len(theirs),
            ) % {"count": len(theirs)}
            body = render_to_string(
                "outreach/relay_reminder_email.txt",
                {
                    "officer": officer,
                    "name": officer.get_full_name() or officer.username,
                    "deliveries": theirs,
                    "now": now,
                    "link": link,
                    "give_up_hours": give_up_hours,
                },
            )
        emails.append(_Email(to=officer.email, subject=subject, body=body))
    for village_id in village_ids - told:
        logger.warning(
            "Relays of village %s are waiting, but no village officer of it has an "
            "e-mail address to remind",
            village_id,
        )
    return emails


def _send(emails: list[_Email]) -> None:
    for email in emails:
        try:
            send_mail(email.subject, email.body, None, [email.to])
        except Exception:
            # The chase is recorded; the next one comes RELAY_CHASE_AFTER later.
            logger.exception("Could not e-mail the relay reminder to %s", email.to)
