"""Proposing a household's poverty status from the standard in force.

Pure rules over plain values, so the review form, the import and (later) the resident
eligibility checker all reach the same answer with the same reasons.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import PovertyStandard, PovertyStatus
from .text import english_active


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
    if not english_active():
        text = text.replace(".", ",")
    return _("%(amount)s million") % {"amount": text}


def _amounts(income: int, threshold: int) -> tuple[str, str]:
    """Income and threshold as text that shows they differ when they do.

    "1,5 million" on both sides of "above" would read as a contradiction for 1,501,000 vs
    1,500,000: when the rounded texts collide, both are written in full đồng.
    """
    a, b = format_millions(income), format_millions(threshold)
    if a == b and income != threshold:
        return format_vnd(income), format_vnd(threshold)
    return a, b


def _deprivations(count: int) -> str:
    return ngettext("%(count)s deprivation", "%(count)s deprivations", count) % {
        "count": count
    }


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
    income_vs_line, line_text = _amounts(income_per_person, line)
    income_vs_ceiling, ceiling_text = _amounts(income_per_person, ceiling)
    params = {
        "income": income_vs_line,
        "line": line_text,
        "ceiling": ceiling_text,
        "deprivations": _deprivations(count),
        "min": standard.poor_min_deprivations,
        "names": ", ".join(deprivation_names),
    }
    if income_per_person <= line:
        if count >= standard.poor_min_deprivations:
            reason = _(
                "income %(income)s ≤ %(line)s and %(deprivations)s "
                "(at least %(min)s): %(names)s"
            )
            return Proposal(PovertyStatus.POOR, reason % params)
        if count:
            reason = _(
                "income %(income)s ≤ %(line)s and only %(deprivations)s "
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
    params["income"] = income_vs_ceiling
    return Proposal(PovertyStatus.NONE, _("income %(income)s > %(ceiling)s") % params)
