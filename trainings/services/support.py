"""Vocational training support per trainee, fixed on the enrolment when the person
enrols (or when a walk-in is matched to the registry). The levels and the rule are in
``trainings.eligibility`` (shared with the resident portal's check).

"Poor" and "near-poor" are the household's current status (its latest yearly review);
"ethnic minority" is the person's own ethnicity (the decision is about the trainee). A
walk-in not found in the registry gets the level of other rural workers: nothing is
known of their situation yet.
"""

from households.models import Member

from ..eligibility import (  # noqa: F401 (re-exported: the levels' old home)
    ETHNIC_MINORITY_OR_POOR,
    LEVELS,
    NEAR_POOR,
    OTHER_RURAL_WORKER,
    POOR_ETHNIC_MINORITY,
    support_level,
)
from ..models import Course


def vocational_support(*, course: Course, member: Member | None) -> int | None:
    """The support a trainee is entitled to for ``course`` (None: not a vocational
    course). ``member`` None is a walk-in not matched to the registry."""
    if not course.offers_vocational_support:
        return None
    if member is None:
        return OTHER_RURAL_WORKER
    return support_level(
        status=member.household.current_status or None,
        minority=member.ethnic_group.is_minority,
    )
