"""Writing a notice from the compose screen in one go: the draft and its next step (a
commune-wide official schedules it, a village officer asks for approval) in one
transaction, so a refused step leaves nothing half-saved."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Village

from ..models import Notice
from .notices import SCHEDULE_GRACE, notice_create, notice_schedule, notice_submit


def notice_compose(
    *,
    actor,
    title: str,
    body: str,
    audience: str,
    villages: Iterable[Village] = (),
    second_language: str = "",
    body_second: str = "",
    second_language_villages: Iterable[Village] = (),
    scheduled_at: datetime,
) -> Notice:
    """Create the notice, then schedule it (commune-wide) or submit it for approval
    (village officer). Either both happen or neither."""
    if scheduled_at is None or scheduled_at < timezone.now() - SCHEDULE_GRACE:
        raise ValidationError(
            {"scheduled_at": _("Choose a time from now on, not in the past.")}
        )
    with transaction.atomic():
        notice = notice_create(
            actor=actor,
            title=title,
            body=body,
            audience=audience,
            villages=villages,
            second_language=second_language,
            body_second=body_second,
            second_language_villages=second_language_villages,
            scheduled_at=scheduled_at,
        )
        if actor.is_commune_wide:
            return notice_schedule(
                actor=actor, notice=notice, scheduled_at=scheduled_at
            )
        return notice_submit(actor=actor, notice=notice)
