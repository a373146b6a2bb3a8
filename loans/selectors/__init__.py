"""Reads of the loan book, scoped to what the user may see.

A loan is visible when its household's village is (``households.selectors.villages_for``),
so a village officer sees the loans of their villages only, and another village's loan is a
404. Lists, totals, the overdue list and the period report all start from ``loans_for``
(``scope``). Import from ``loans.selectors``, never from a submodule.
"""

from .book import (
    OVERDUE,
    SORTS,
    LoanFilters,
    last_repayment_on,
    loan_book_summary,
    loan_list_for,
    loan_totals,
    loans_of_household,
    overdue_loans_for,
)
from .facts import eligibility_for_household, facts_for_household, judge_programs
from .groups import (
    household_choices_for,
    savings_group_list_for,
    savings_group_loans,
    savings_group_members,
    savings_groups_of_village,
)
from .reports import PeriodReport, PeriodRow, outstanding_on, period_report
from .scope import (
    disbursement_import_get_for,
    disbursement_imports_of,
    loan_get_for,
    loan_repayments,
    loans_for,
    program_catalogue,
    programs_open,
    savings_group_get_for,
    savings_groups_for,
    today,
)

__all__ = [
    "OVERDUE",
    "SORTS",
    "LoanFilters",
    "PeriodReport",
    "PeriodRow",
    "disbursement_import_get_for",
    "disbursement_imports_of",
    "eligibility_for_household",
    "facts_for_household",
    "household_choices_for",
    "judge_programs",
    "last_repayment_on",
    "loan_book_summary",
    "loan_get_for",
    "loan_list_for",
    "loan_repayments",
    "loan_totals",
    "loans_for",
    "loans_of_household",
    "outstanding_on",
    "overdue_loans_for",
    "period_report",
    "program_catalogue",
    "programs_open",
    "savings_group_get_for",
    "savings_group_list_for",
    "savings_group_loans",
    "savings_group_members",
    "savings_groups_for",
    "savings_groups_of_village",
    "today",
]
