"""Vocational training support per trainee (Decision 46/2015/QĐ-TTg), fixed on the
enrolment when the person enrols (or when a walk-in is matched to the registry).

Per course, up to: 4,000,000 VND for an ethnic-minority person of a poor household;
3,000,000 for an ethnic-minority person or a person of a poor household; 2,500,000 for
a person of a near-poor household; 2,000,000 for other rural workers, and for a walk-in
not found in the registry (nothing is known of their situation yet).

"Poor" and "near-poor" are the household's current status (its latest yearly review);
"ethnic minority" is the person's own ethnicity (the decision is about the trainee).
"""

from households.models import Member, PovertyStatus

from ..models import Course

POOR_ETHNIC_MINORITY = 4_000_000
ETHNIC_MINORITY_OR_POOR = 3_000_000
NEAR_POOR = 2_500_000
OTHER_RURAL_WORKER = 2_000_000
LEVELS = {
    "poor_ethnic_minority": POOR_ETHNIC_MINORITY,
    "ethnic_minority_or_poor": ETHNIC_MINORITY_OR_POOR,
    "near_poor": NEAR_POOR,
    "other": OTHER_RURAL_WORKER,
}


def vocational_support(*, course: Course, member: Member | None) -> int | None:
    """The support a trainee is entitled to for ``course`` (None: not a vocational
    course). ``member`` None is a walk-in not matched to the registry."""
    if not course.offers_vocational_support:
        return None
    if member is None:
        return OTHER_RURAL_WORKER
    status = member.household.current_status
    poor = status == PovertyStatus.POOR
    minority = member.ethnic_group.is_minority
    if poor and minority:
        return POOR_ETHNIC_MINORITY
    if poor or minority:
        return ETHNIC_MINORITY_OR_POOR
    if status == PovertyStatus.NEAR_POOR:
        return NEAR_POOR
    return OTHER_RURAL_WORKER
