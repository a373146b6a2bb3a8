"""Preferential credit: the program catalogue, the village savings-and-loan groups, loans
and their repayments, and the uploaded disbursement lists between preview and confirmation.
"""

from .groups import Organisation, SavingsGroup, SavingsGroupQuerySet
from .imports import DisbursementImport, DisbursementImportStatus
from .loans import (
    EARLIEST_DATE,
    TRANSITIONS,
    Eligibility,
    Loan,
    LoanQuerySet,
    LoanStatus,
    Purpose,
    Repayment,
)
from .programs import OVERDUE_RATE_MULTIPLIER, LoanProgram, LoanProgramQuerySet

__all__ = [
    "EARLIEST_DATE",
    "OVERDUE_RATE_MULTIPLIER",
    "TRANSITIONS",
    "DisbursementImport",
    "DisbursementImportStatus",
    "Eligibility",
    "Loan",
    "LoanProgram",
    "LoanProgramQuerySet",
    "LoanQuerySet",
    "LoanStatus",
    "Organisation",
    "Purpose",
    "Repayment",
    "SavingsGroup",
    "SavingsGroupQuerySet",
]
