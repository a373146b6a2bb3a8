"""Reads of the outreach app, scoped to what the user may see. Callers import from here."""

from .notices import (
    VISIBLE_TO_VILLAGES,
    NoticeFilters,
    PreviewRow,
    console_outbox_for,
    deliveries_of,
    delivery_counts,
    notice_get_for,
    notice_list_for,
    notice_preview,
    notices_for,
    village_groups_for,
)

__all__ = [
    "VISIBLE_TO_VILLAGES",
    "NoticeFilters",
    "PreviewRow",
    "console_outbox_for",
    "deliveries_of",
    "delivery_counts",
    "notice_get_for",
    "notice_list_for",
    "notice_preview",
    "notices_for",
    "village_groups_for",
]
