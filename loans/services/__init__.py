"""Writes to the loan book: one function per use case, each in one transaction, each
audited, each checking the actor's village again (the views fetched the record through a
scoped selector; this is the second lock on the same door).
"""

from ._common import loan_action_refusal
from .disbursements import (
    disbursement_import_confirm,
    disbursement_import_discard,
    disbursement_import_upload,
)
from .groups import (
    GROUP_FIELDS,
    savings_group_add_member,
    savings_group_create,
    savings_group_remove_member,
    savings_group_update,
)
from .loans import (
    LOAN_FIELDS,
    loan_apply,
    loan_approve,
    loan_disburse,
    loan_reject,
)
from .repayments import (
    AmountsDue,
    loan_amounts_due,
    repayment_record,
    repayment_reversal_refusal,
    repayment_reverse,
)

__all__ = [
    "GROUP_FIELDS",
    "LOAN_FIELDS",
    "AmountsDue",
    "disbursement_import_confirm",
    "disbursement_import_discard",
    "disbursement_import_upload",
    "loan_action_refusal",
    "loan_amounts_due",
    "loan_apply",
    "loan_approve",
    "loan_disburse",
    "loan_reject",
    "repayment_record",
    "repayment_reversal_refusal",
    "repayment_reverse",
    "savings_group_add_member",
    "savings_group_create",
    "savings_group_remove_member",
    "savings_group_update",
]
