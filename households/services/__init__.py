"""Writes to the registry: one function per use case, each in one transaction, each audited.

Every function checks that the actor may act on the village (the views already fetched the
record through a scoped selector; this is the second lock on the same door), validates with
``full_clean()`` so database constraints surface as translated form errors, and never
deletes: households and members are archived with a reason.
"""

from ._common import _ensure_active, _ensure_village_allowed
from .households import (
    HOUSEHOLD_FIELDS,
    _area,
    household_archive,
    household_create,
    household_restore,
    household_update,
)
from .members import (
    MEMBER_FIELDS,
    household_change_head,
    member_add,
    member_remove,
    member_update,
)
from .reviews import (
    REVIEW_FIELDS,
    _judge_review,
    _refresh_current_status,
    poverty_review_correct,
    poverty_review_propose,
    poverty_review_record,
)
from .villages import (
    VILLAGE_FIELDS,
    _ensure_commune_wide,
    village_create,
    village_update,
)

__all__ = [
    "HOUSEHOLD_FIELDS",
    "MEMBER_FIELDS",
    "REVIEW_FIELDS",
    "VILLAGE_FIELDS",
    "_area",
    "_ensure_active",
    "_ensure_commune_wide",
    "_ensure_village_allowed",
    "_judge_review",
    "_refresh_current_status",
    "household_archive",
    "household_change_head",
    "household_create",
    "household_restore",
    "household_update",
    "member_add",
    "member_remove",
    "member_update",
    "poverty_review_correct",
    "poverty_review_propose",
    "poverty_review_record",
    "village_create",
    "village_update",
]
