"""Registry screens. Views parse input, call one selector or service, and render.

Every object is fetched through a scoped selector, so another village's household is a 404
whatever URL is typed. State changes are POST only.
"""

from ._common import (
    XLSX,
    CommuneWideMixin,
    ConfirmReasonView,
    HouseholdScopedMixin,
    StaffMixin,
    add_service_errors,
    xlsx_response,
)
from .households import (
    HouseholdArchiveView,
    HouseholdCreateView,
    HouseholdDetailView,
    HouseholdExportView,
    HouseholdListView,
    HouseholdNationalIdsView,
    HouseholdRestoreView,
    HouseholdUpdateView,
)
from .imports import ReviewImportPreviewView, ReviewImportTemplateView, ReviewImportView
from .members import (
    ChangeHeadView,
    MemberCreateView,
    MemberRemoveView,
    MemberUpdateView,
)
from .reviews import ReviewCreateView, ReviewUpdateView
from .villages import (
    VillageCreateView,
    VillageDetailView,
    VillageListView,
    VillageUpdateView,
)

__all__ = [
    "XLSX",
    "ChangeHeadView",
    "CommuneWideMixin",
    "ConfirmReasonView",
    "HouseholdArchiveView",
    "HouseholdCreateView",
    "HouseholdDetailView",
    "HouseholdExportView",
    "HouseholdListView",
    "HouseholdNationalIdsView",
    "HouseholdRestoreView",
    "HouseholdScopedMixin",
    "HouseholdUpdateView",
    "MemberCreateView",
    "MemberRemoveView",
    "MemberUpdateView",
    "ReviewCreateView",
    "ReviewImportPreviewView",
    "ReviewImportTemplateView",
    "ReviewImportView",
    "ReviewUpdateView",
    "StaffMixin",
    "VillageCreateView",
    "VillageDetailView",
    "VillageListView",
    "VillageUpdateView",
    "add_service_errors",
    "xlsx_response",
]
