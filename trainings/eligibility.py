"""The vocational training support a trainee is entitled to (Decision 46/2015/QĐ-TTg),
as a pure rule over plain facts. Two callers: enrolment fixes the amount on the
enrolment (``services.support``), and the resident portal's check shows the level a
household's members would get. One rule, so both say the same.

Per course, up to: 4,000,000 VND for an ethnic-minority person of a poor household;
3,000,000 for an ethnic-minority person or a person of a poor household; 2,500,000 for
a person of a near-poor household; 2,000,000 for other rural workers.
"""

from households.models import PovertyStatus

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


def support_level(*, status: str | None, minority: bool) -> int:
    """The support per course for a person of a household with ``status`` (its latest
    review; None or any other status counts as neither poor nor near-poor)."""
    poor = status == PovertyStatus.POOR
    if poor and minority:
        return POOR_ETHNIC_MINORITY
    if poor or minority:
        return ETHNIC_MINORITY_OR_POOR
    if status == PovertyStatus.NEAR_POOR:
        return NEAR_POOR
    return OTHER_RURAL_WORKER


def support_range(*, status: str | None, minority: bool | None) -> tuple[int, int]:
    """The lowest and highest level when some facts are unknown (None): what the
    resident check can promise before the village officer confirms."""
    statuses = [status] if status is not None else [PovertyStatus.POOR, None]
    minorities = [minority] if minority is not None else [True, False]
    levels = [support_level(status=s, minority=m) for s in statuses for m in minorities]
    return min(levels), max(levels)
