"""Who may borrow from which preferential loan program: one pure rule per program code
(``rules``) over plain facts about a household (``core.HouseholdFacts``), with reasons in
plain words. See ``core`` for why the rules are pure. Import from ``loans.eligibility``.
"""

from . import rules as _rules  # noqa: F401 (registers every program's rule)
from .core import RULES, HouseholdFacts, Judgement, Outcome, judge, judge_many

__all__ = ["RULES", "HouseholdFacts", "Judgement", "Outcome", "judge", "judge_many"]
