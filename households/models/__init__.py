"""The household registry: communes, villages, ethnic groups, households, members and
the yearly poverty review, with the poverty standard it is judged against.

Invariants live in the database as well as in forms; writes go through ``services.py``.
"""

from .households import (
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
