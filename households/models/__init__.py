"""The household registry: communes, villages, ethnic groups, households, members and
the yearly poverty review, with the poverty standard it is judged against.

Invariants live in the database as well as in forms; writes go through the ``services`` package.
"""

from .households import (
    HOUSEHOLD_EDITABLE_FIELDS,
    MEMBER_EDITABLE_FIELDS,
    Crop,
    Household,
    HouseholdQuerySet,
    Member,
    MemberQuerySet,
    Relation,
    Sex,
)
from .places import Commune, EthnicGroup, Village, VillageKind
from .reviews import PovertyReview, ReviewImport, ReviewImportStatus
from .standards import DeprivationIndicator, Dimension, PovertyStandard, PovertyStatus

__all__ = [
    "HOUSEHOLD_EDITABLE_FIELDS",
    "MEMBER_EDITABLE_FIELDS",
    "Commune",
    "Crop",
    "DeprivationIndicator",
    "Dimension",
    "EthnicGroup",
    "Household",
    "HouseholdQuerySet",
    "Member",
    "MemberQuerySet",
    "PovertyReview",
    "PovertyStandard",
    "PovertyStatus",
    "Relation",
    "ReviewImport",
    "ReviewImportStatus",
    "Sex",
    "Village",
    "VillageKind",
]
