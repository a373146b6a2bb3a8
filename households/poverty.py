"""Proposing a household's poverty status from the standard in force.

Pure rules over plain values, so the review form, the import and (later) the resident
eligibility checker all reach the same answer with the same reasons.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import PovertyStandard, PovertyStatus


@dataclass(frozen=True)
class Proposal:
    status: str
    reason: str


def format_vnd(amount: int) -> str:
    """147000000 -> "147.000.000 ₫" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " ₫"


def format_millions(amount: int) -> str:
    """1200000 -> "1,2 triệu" in Vietnamese, "1.2 million" in English."""
    millions = amount / 1_000_000
    text = f"{millions:.2f}".rstrip("0").rstrip(".")
    if not (get_language() or "vi").startswith("en"):
        text = text.replace(".", ",")
    return _("%(amount)s million") % {"amount": text}


def propose_status(
    *,
    standard: PovertyStandard,
    income_per_person: int,
    deprivation_names: Sequence[str],
    is_urban: bool = False,
    previous_status: str | None = None,
) -> Proposal:
    """The status the standard gives, and a sentence saying why.

    - income at or below the line and at least ``poor_min_deprivations`` -> poor;
    - income at or below the line, fewer deprivations -> near-poor;
    - otherwise, if last year's review said poor / near-poor -> escaped poverty /
      escaped near-poverty;
    - otherwise income up to the average-living ceiling -> average living standard;
    - otherwise not poor.
    """
    line = standard.urban_line if is_urban else standard.rural_line
    ceiling = (
        standard.urban_average_ceiling if is_urban else standard.rural_average_ceiling
    )
    count = len(deprivation_names)
    params = {
        "income": format_millions(income_per_person),
        "line": format_millions(line),
        "ceiling": format_millions(ceiling),
        "count": count,
        "min": standard.poor_min_deprivations,
        "names": ", ".join(deprivation_names),
    }
    if income_per_person <= line:
        if count >= standard.poor_min_deprivations:
            return Proposal(
                PovertyStatus.POOR,
                _(
                    "income %(income)s ≤ %(line)s and %(count)s deprivations "
                    "(at least %(min)s): %(names)s"
                )
                % params,
            )
        if count:
            reason = _(
                "income %(income)s ≤ %(line)s and only %(count)s deprivations "
                "(fewer than %(min)s): %(names)s"
            )
        else:
            reason = _("income %(income)s ≤ %(line)s and no deprivations")
        return Proposal(PovertyStatus.NEAR_POOR, reason % params)
    if previous_status == PovertyStatus.POOR:
        return Proposal(
            PovertyStatus.ESCAPED_POOR,
            _("income %(income)s > %(line)s; the household was poor last year")
            % params,
        )
    if previous_status == PovertyStatus.NEAR_POOR:
        return Proposal(
            PovertyStatus.ESCAPED_NEAR_POOR,
            _("income %(income)s > %(line)s; the household was near-poor last year")
            % params,
        )
    if income_per_person <= ceiling:
        return Proposal(
            PovertyStatus.AVERAGE,
            _("income %(income)s is above %(line)s and at most %(ceiling)s") % params,
        )
    return Proposal(PovertyStatus.NONE, _("income %(income)s > %(ceiling)s") % params)
