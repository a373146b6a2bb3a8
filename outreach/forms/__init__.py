"""Forms of the outreach screens, one module per screen family."""

from .applications import (
    ApplicationFilterForm,
    ApplicationForm,
    ApplicationHouseholdSearchForm,
    ApplicationStatusForm,
)
from .contacts import (
    ContactFilterForm,
    ContactForm,
    CoverageForm,
    FollowUpDoneForm,
    FollowUpFilterForm,
    HouseholdSearchForm,
)
from .groups import VillageGroupFilterForm, VillageGroupForm
from .notices import (
    ConfirmForm,
    NoticeCancelForm,
    NoticeComposeForm,
    NoticeFilterForm,
    NoticeScheduleForm,
)
from .relay import RelayFilterForm
from .teams import MemberLeaveForm, TeamForm, TeamMemberForm

__all__ = [
    "ApplicationFilterForm",
    "ApplicationForm",
    "ApplicationHouseholdSearchForm",
    "ApplicationStatusForm",
    "ConfirmForm",
    "ContactFilterForm",
    "ContactForm",
    "CoverageForm",
    "FollowUpDoneForm",
    "FollowUpFilterForm",
    "HouseholdSearchForm",
    "MemberLeaveForm",
    "NoticeCancelForm",
    "NoticeComposeForm",
    "NoticeFilterForm",
    "NoticeScheduleForm",
    "RelayFilterForm",
    "TeamForm",
    "TeamMemberForm",
    "VillageGroupFilterForm",
    "VillageGroupForm",
]
