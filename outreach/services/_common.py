"""Checks and helpers the notice services share: roles, the status map, the text each
group gets, and sending tasks after commit."""

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from eakutur.audit.services import audited_update

from ..models import TRANSITIONS, Notice

logger = logging.getLogger("outreach.notices")


def _ensure_commune_wide(actor, notice: Notice | None = None) -> None:
    """Only a commune-wide official (of the notice's commune) approves and schedules."""
    if not (actor.is_authenticated and actor.is_active and actor.is_commune_wide):
        raise PermissionDenied(
            _("Only a commune official can approve and schedule notices.")
        )
    if (
        notice is not None
        and not actor.is_superuser
        and notice.commune_id != actor.commune_id
    ):
        raise PermissionDenied(_("This notice belongs to another commune."))


def _ensure_transition(notice: Notice, target: str) -> None:
    if target not in TRANSITIONS[notice.status]:
        raise ValidationError(
            _("A notice that is %(status)s cannot become %(target)s.")
            % {
                "status": notice.get_status_display(),
                "target": Notice(status=target).get_status_display(),
            },
            code="illegal_transition",
        )


def _set_status(notice: Notice, target: str, *, actor, note: str = "", **fields):
    """Move a locked notice to ``target`` (checked against TRANSITIONS), audited."""
    _ensure_transition(notice, target)
    audited_update(notice, {"status": target, **fields}, actor=actor, note=note)


def _skip_locked() -> dict[str, bool]:
    """``select_for_update`` options: skip rows another worker holds, where supported."""
    return {"skip_locked": connection.features.has_select_for_update_skip_locked}


def notice_text(notice: Notice, *, with_second_language: bool) -> str:
    """The exact text a group gets: title, Vietnamese body, then the second language."""
    parts = [notice.title.strip(), notice.body.strip()]
    if with_second_language and notice.second_language:
        parts.append(f"[{notice.second_language}]\n{notice.body_second.strip()}")
    return "\n\n".join(parts)


def _send_after_commit(delivery_ids: Iterable[int]) -> None:
    """One ``send_delivery`` task per delivery, once the rows are committed.

    If the broker refuses (down, restarting), the rows stay queued and the sweeper sends
    them later: nothing is lost, so the failure is logged, not raised.
    """
    ids = list(delivery_ids)
    if not ids:
        return

    def send() -> None:
        from ..tasks import send_delivery  # tasks import the services

        for n, pk in enumerate(ids):
            try:
                send_delivery.delay(pk)
            except Exception:
                logger.exception(
                    "Broker refused send_delivery for %s of %s deliveries; "
                    "the sweeper will send them",
                    len(ids) - n,
                    len(ids),
                )
                return

    transaction.on_commit(send)
