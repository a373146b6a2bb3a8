"""What the notice screens share: the mixin that loads the notice through the scoped
selector, the status badges, the audience in a few words, and phone numbers masked."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from households.views._common import StaffMixin, add_service_errors

from .. import selectors
from ..models import TRANSITIONS, Audience, DeliveryStatus, NoticeStatus

NOTICE_BADGES = {
    NoticeStatus.DRAFT: "text-bg-light border",
    NoticeStatus.SUBMITTED: "text-bg-warning",
    NoticeStatus.SCHEDULED: "text-bg-info",
    NoticeStatus.DISPATCHED: "text-bg-primary",
    NoticeStatus.DONE: "text-bg-success",
    NoticeStatus.CANCELLED: "text-bg-dark",
    NoticeStatus.EXPIRED: "text-bg-danger",
}
DELIVERY_BADGES = {
    DeliveryStatus.QUEUED: "text-bg-light border",
    DeliveryStatus.WIRED: "text-bg-info",
    DeliveryStatus.SENT: "text-bg-success",
    DeliveryStatus.FAILED: "text-bg-danger",
}
# The page reloads itself while deliveries may still change.
LIVE_STATUSES = (NoticeStatus.SCHEDULED, NoticeStatus.DISPATCHED)

_PHONE = re.compile(r"^\+?[\d .\-]{8,}$")


def mask_address(address: str) -> str:
    """Phone numbers show only their last three digits, e-mail addresses the first letter
    and the domain ("h•••@gmail.com"); a Zalo group id as it is."""
    parts = []
    for part in (p.strip() for p in address.split(",")):
        digits = re.sub(r"\D", "", part)
        if _PHONE.match(part) and len(digits) > 3:
            part = "•" * (len(digits) - 3) + digits[-3:]
        elif "@" in part:
            local, _at, domain = part.rpartition("@")
            part = f"{local[:1]}•••@{domain}"
        parts.append(part)
    return ", ".join(p for p in parts if p)


def audience_summary(notice, village_count: int | None = None) -> str:
    """ "3 villages", "all villages", "ethnic-minority villages"."""
    if notice.audience == Audience.CHOSEN_VILLAGES:
        if village_count is None:
            village_count = len(notice.villages.all())
        return ngettext("%(n)s village", "%(n)s villages", village_count) % {
            "n": village_count
        }
    if notice.audience == Audience.ETHNIC_MINORITY_VILLAGES:
        return _("the ethnic-minority villages")
    return _("all villages")


def mark_notice(notice, village_count: int | None = None) -> None:
    """Give a notice what its row shows: badge and audience summary."""
    notice.badge_class = NOTICE_BADGES[notice.status]
    notice.audience_text = audience_summary(notice, village_count)


class NoticeScopedMixin(StaffMixin):
    """Loads ``self.notice`` through the scoped selector before anything else runs: a
    notice the user may not see is a 404 for GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.notice = selectors.notice_get_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


def can_schedule(user, notice) -> bool:
    return user.is_commune_wide and NoticeStatus.SCHEDULED in TRANSITIONS[notice.status]


def can_cancel(user, notice) -> bool:
    if NoticeStatus.CANCELLED not in TRANSITIONS[notice.status]:
        return False
    return user.is_commune_wide or (
        notice.author_id == user.pk
        and notice.status in (NoticeStatus.DRAFT, NoticeStatus.SUBMITTED)
    )


def can_resend(user, counts: dict[str, int]) -> bool:
    return user.is_commune_wide and counts[DeliveryStatus.FAILED] > 0


def add_notice_errors(form, exc: ValidationError) -> None:
    """``add_service_errors``, with the service's ``scheduled_at`` shown on the date."""
    if hasattr(exc, "error_dict") and "scheduled_at" in exc.error_dict:
        exc = ValidationError(
            {
                ("send_on" if field == "scheduled_at" else field): errors
                for field, errors in exc.error_dict.items()
            }
        )
    add_service_errors(form, exc)
