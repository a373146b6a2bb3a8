"""Every program a resident can ask about (the open loan programs and the support
policies), judged for one household's facts, grouped the way the resident reads them.

Loan verdicts come from ``loans.eligibility`` through ``loans.selectors.judge_programs``,
policy verdicts from ``policies``: this module adds no rule of its own. It only adds the
one thing the resident check needs that the officials' screens do not: when the poverty
status was *estimated* from the resident's answers (``Estimate``), no verdict may say
"qualifies" outright, because only the village's yearly review puts a household on the
list.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from households.models import PovertyStatus
from loans.eligibility import HouseholdFacts, Judgement, Outcome
from loans.models import LoanProgram
from loans.selectors import judge_programs, programs_open

from .models import GuideKind, ProgramGuide
from .policies import POLICY_RULES, judge_policy

GROUP_ORDER = (Outcome.QUALIFIES, Outcome.MAY_QUALIFY, Outcome.DOES_NOT)


@dataclass(frozen=True)
class Estimate:
    """A status the poverty standard gives for the resident's answers, and why."""

    status: str
    reason: str


@dataclass(frozen=True)
class ProgramCard:
    code: str
    title: str
    kind: str
    guide: ProgramGuide | None
    program: LoanProgram | None
    judgement: Judgement

    @property
    def outcome(self) -> Outcome:
        return self.judgement.outcome


def catalogue() -> tuple[list[LoanProgram], dict[str, ProgramGuide]]:
    """The open loan programs and the published guides (2 queries)."""
    guides = {g.code: g for g in ProgramGuide.objects.published()}
    return list(programs_open()), guides


def program_cards(
    facts: HouseholdFacts,
    *,
    programs: list[LoanProgram] | None = None,
    guides: dict[str, ProgramGuide] | None = None,
    estimate: Estimate | None = None,
) -> list[ProgramCard]:
    """One card per open loan program (catalogue order), then per support policy.

    With an ``estimate``, ``facts.status`` is the estimated status. Each rule is then
    also asked with the status unknown: a "qualifies" that holds only thanks to the
    estimate is lowered to "may qualify" (see the module docstring).
    """
    if programs is None or guides is None:
        programs, guides = catalogue()
    verdicts = _verdicts(facts, programs, guides)
    if estimate is not None:
        unknown = replace(facts, status=None, status_year=None, past_statuses={})
        without = _verdicts(unknown, programs, guides)
        verdicts = {
            code: _hedged(judgement, without[code], estimate)
            for code, judgement in verdicts.items()
        }
    by_code = {p.code: p for p in programs}
    return [
        ProgramCard(
            code=code,
            title=guides[code].title if code in guides else str(by_code[code]),
            kind=guides[code].kind if code in guides else GuideKind.LOAN,
            guide=guides.get(code),
            program=by_code.get(code),
            judgement=judgement,
        )
        for code, judgement in verdicts.items()
    ]


def _verdicts(
    facts: HouseholdFacts, programs: list[LoanProgram], guides: dict[str, ProgramGuide]
) -> dict[str, Judgement]:
    verdicts = {p.code: j for p, j in judge_programs(facts, programs)}
    for code in POLICY_RULES:
        if code in guides:  # a policy whose guide the commune hides is not offered
            verdicts[code] = judge_policy(code, facts)
    return verdicts


def grouped(cards: list[ProgramCard]) -> list[tuple[Outcome, list[ProgramCard]]]:
    """(outcome, cards) in the order qualifies, may qualify, does not; empty groups out."""
    groups = [(o, [c for c in cards if c.outcome is o]) for o in GROUP_ORDER]
    return [(outcome, members) for outcome, members in groups if members]


def _hedged(judgement: Judgement, without: Judgement, estimate: Estimate) -> Judgement:
    if (
        judgement.outcome is not Outcome.QUALIFIES
        or without.outcome is Outcome.QUALIFIES
    ):
        return judgement
    label = str(PovertyStatus(estimate.status).label)
    note = _(
        "By your answers the household would be %(status)s (%(reason)s); only the "
        "village's yearly review puts it on the list: ask the village officer."
    ) % {"status": label, "reason": estimate.reason}
    # The rule's reasons with the status unknown follow: its "qualifies" sentence would
    # claim a review that never happened.
    reasons = (note, *without.reasons)
    return Judgement(judgement.program_code, Outcome.MAY_QUALIFY, reasons)
