"""Village notice groups, notices and their deliveries."""

from .deliveries import FINAL_DELIVERY_STATUSES, Delivery, DeliveryStatus
from .groups import (
    CHANNELS_WITHOUT_ADDRESS,
    GroupChannel,
    VillageGroup,
    VillageGroupQuerySet,
)
from .notices import (
    APPROVED_STATUSES,
    TRANSITIONS,
    Audience,
    Notice,
    NoticeQuerySet,
    NoticeSource,
    NoticeStatus,
)

__all__ = [
    "APPROVED_STATUSES",
    "CHANNELS_WITHOUT_ADDRESS",
    "FINAL_DELIVERY_STATUSES",
    "TRANSITIONS",
    "Audience",
    "Delivery",
    "DeliveryStatus",
    "GroupChannel",
    "Notice",
    "NoticeQuerySet",
    "NoticeSource",
    "NoticeStatus",
    "VillageGroup",
    "VillageGroupQuerySet",
]
