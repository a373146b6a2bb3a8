"""Digital teams, contacts, assisted applications; village notice groups, notices and
their deliveries; provider tokens."""

from .applications import (
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    AssistedApplication,
    PublicService,
)
from .contacts import (
    HOUSEHOLD_CHANNELS,
    LOGGED_CHANNELS,
    Contact,
    ContactChannel,
    ContactOutcome,
    ContactQuerySet,
    ContactTopic,
    ContactTopicChoice,
)
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
from .teams import DigitalTeam, TeamMember, TeamMemberQuerySet, TeamRole
from .tokens import ProviderToken

__all__ = [
    "APPROVED_STATUSES",
    "CHANNELS_WITHOUT_ADDRESS",
    "FINAL_DELIVERY_STATUSES",
    "HOUSEHOLD_CHANNELS",
    "LOGGED_CHANNELS",
    "OPEN_APPLICATION_STATUSES",
    "TRANSITIONS",
    "ApplicationStatus",
    "AssistedApplication",
    "Audience",
    "Contact",
    "ContactChannel",
    "ContactOutcome",
    "ContactQuerySet",
    "ContactTopic",
    "ContactTopicChoice",
    "Delivery",
    "DeliveryStatus",
    "DigitalTeam",
    "GroupChannel",
    "Notice",
    "NoticeQuerySet",
    "NoticeSource",
    "NoticeStatus",
    "ProviderToken",
    "PublicService",
    "TeamMember",
    "TeamMemberQuerySet",
    "TeamRole",
    "VillageGroup",
    "VillageGroupQuerySet",
]
