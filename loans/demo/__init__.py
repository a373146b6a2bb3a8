"""Demo data for the loan book of Xã Ea Ktur: savings groups, loans and repayments that
reproduce the commune's reported figures (3,880 households and over 147 billion đồng
disbursed from January to September 2025; about 168.2 billion đồng outstanding at the
end of 2024), at any commune size in proportion.

Pure planning over a seeded ``random.Random`` and plain values read from the registry
(``DemoHousehold``, ``DemoVillage``), no database access; ``loans.seeding`` reads the
registry and writes the plan.

- ``profiles``: the figures, how each program lends, the words on the records.
- ``households``: what the plan knows about villages and households.
- ``plans``: one planned loan and the choices it makes (program, purpose, amount, dates).
- ``repayments``: the schedule and what each household actually paid.
- ``verdicts``: the eligibility rule's verdict on each application, as of its day.
- ``groups``: the savings-and-loan groups and their members.
- ``book``: the whole book, calibrated to the figures.
"""

from .book import Book, Targets, plan_book
from .groups import GroupPlan
from .households import DemoHousehold, DemoVillage
from .plans import LoanPlan
from .profiles import OUTSTANDING_ON, PROGRAMS, WINDOW

__all__ = [
    "OUTSTANDING_ON",
    "PROGRAMS",
    "WINDOW",
    "Book",
    "DemoHousehold",
    "DemoVillage",
    "GroupPlan",
    "LoanPlan",
    "Targets",
    "plan_book",
]
