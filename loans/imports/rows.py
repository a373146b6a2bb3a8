"""The cells of one row: household code, program, group, contract, amount, purpose, term
and dates, each read on its own.

``_parse_row`` turns the values of one data row into the dict kept on the batch (JSON:
dates as ISO text), with the problems a cell shows by itself (missing, not an amount,
not a date, a future date, an unknown purpose). Problems that need the registry are added
by ``checks``. A row's problems never refuse the file. Every message names the row and
the column as the file writes its heading.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from households.forms._common import VND_MAX
from households.imports.columns import _display, _norm, _text
from households.imports.rows import _to_amount
from households.text import fold

from ..interest import add_months
from ..models import EARLIEST_DATE, Loan, Purpose
from .columns import (
    AMOUNT,
    CODE,
    CONTRACT,
    DISBURSED,
    DUE,
    GROUP,
    PROGRAM,
    PURPOSE,
    TERM,
    _Layout,
    _purpose_label_vi,
)

CONTRACT_MAX = Loan._meta.get_field("contract_number").max_length
_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTHS = re.compile(r"(\d{1,4})(?:\s*(?:thang|months?))?")
MAX_TERM = 600  # months; above this it is a typo (the field is a small integer)


def _add_error(row: dict, column: str, problem: str) -> None:
    """A problem of one cell, said with its row and column."""
    message = _("Row %(row)s, column “%(column)s”: %(problem)s") % {
        "row": row["row"],
        "column": column,
        "problem": problem,
    }
    row["errors"].append({"row": row["row"], "column": column, "message": message})


def _to_whole_amount(value) -> int | None:
    """Whole đồng from a number or text such as "50.000.000"; None for a fraction."""
    if isinstance(value, float) and not value.is_integer():
        return None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return None
    return _to_amount(value)


def _to_months(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and (match := _MONTHS.fullmatch(fold(value))):
        return int(match.group(1))
    return None


def _to_date(value) -> date | None:
    """A date cell, or text written dd/mm/yyyy (also with . or -) or yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _new_row(number: int) -> dict:
    return {
        "row": number,
        "household_code": "",
        "household_id": None,
        "head_name": "",
        "village_id": None,
        "village_name": "",
        "program_code": "",
        "program_id": None,
        "program_name": "",
        "group_name": "",
        "group_id": None,
        "contract_number": "",
        "amount": None,
        "purpose": "",
        "purpose_label": "",
        "term_months": None,
        "disbursed_on": None,
        "due_on": None,
        "due_given": False,
        "loan_id": None,  # the loan already recorded under this contract number
        "outcome": "error",
        "errors": [],
    }


def _parse_row(number: int, values: tuple, layout: _Layout, purposes: dict) -> dict:
    """The values of one row, with the problems a cell shows on its own."""

    def get(key):
        index = layout.columns.get(key)
        return None if index is None else values[index]

    row = _new_row(number)
    title = layout.title
    today = timezone.localdate()

    code = get(CODE.key)
    if _text(code) == "":
        _add_error(row, title(CODE.key), _("the household code is missing."))
    elif isinstance(code, datetime | date | time | bool):
        problem = _("unknown household code “%(code)s”.") % {"code": _display(code)}
        _add_error(row, title(CODE.key), problem)
    else:
        row["household_code"] = _text(code)[:50]

    program = _text(get(PROGRAM.key))
    if program == "":
        _add_error(row, title(PROGRAM.key), _("the program code is missing."))
    else:
        row["program_code"] = program[:150]

    group = _text(get(GROUP.key))
    if group == "":
        _add_error(row, title(GROUP.key), _("the savings group is missing."))
    else:
        row["group_name"] = group[:100]

    contract = _text(get(CONTRACT.key))
    if contract == "":
        _add_error(row, title(CONTRACT.key), _("the contract number is missing."))
    elif len(contract) > CONTRACT_MAX:
        problem = _("the contract number is longer than %(max)s characters.")
        _add_error(row, title(CONTRACT.key), problem % {"max": CONTRACT_MAX})
        row["contract_number"] = contract[:CONTRACT_MAX]
    else:
        row["contract_number"] = contract

    raw = get(AMOUNT.key)
    amount = _to_whole_amount(raw)
    if _text(raw) == "":
        _add_error(row, title(AMOUNT.key), _("the amount is missing."))
    elif amount is None:
        problem = _("“%(value)s” is not a whole amount in đồng.")
        _add_error(row, title(AMOUNT.key), problem % {"value": _display(raw)})
    elif amount <= 0:
        _add_error(row, title(AMOUNT.key), _("the amount must be more than zero."))
    elif amount > VND_MAX:
        problem = _("%(value)s is too large; check the number of zeros.")
        _add_error(row, title(AMOUNT.key), problem % {"value": _display(raw)})
    else:
        row["amount"] = amount

    purpose = _text(get(PURPOSE.key))
    if purpose == "":
        _add_error(row, title(PURPOSE.key), _("the purpose is missing."))
    elif _norm(purpose) in purposes:
        row["purpose"] = purposes[_norm(purpose)]
        row["purpose_label"] = _purpose_label_vi(row["purpose"])
    else:
        problem = _("“%(value)s” is not a purpose; use one of: %(choices)s.")
        choices = ", ".join(f"“{label}”" for label in Purpose.labels)
        params = {"value": purpose[:50], "choices": choices}
        _add_error(row, title(PURPOSE.key), problem % params)

    raw = get(TERM.key)
    term = _to_months(raw)
    if _text(raw) == "":
        _add_error(row, title(TERM.key), _("the term is missing."))
    elif term is None or term <= 0 or term > MAX_TERM:
        problem = _("“%(value)s” is not a number of months.")
        _add_error(row, title(TERM.key), problem % {"value": _display(raw)})
    else:
        row["term_months"] = term

    raw = get(DISBURSED.key)
    disbursed = _to_date(raw)
    if _text(raw) == "":
        _add_error(row, title(DISBURSED.key), _("the disbursement date is missing."))
    elif disbursed is None:
        problem = _("“%(value)s” is not a date; write it as dd/mm/yyyy.")
        _add_error(row, title(DISBURSED.key), problem % {"value": _display(raw)})
    elif disbursed > today:
        problem = _("%(date)s is in the future.") % {
            "date": disbursed.strftime("%d/%m/%Y")
        }
        _add_error(row, title(DISBURSED.key), problem)
    elif disbursed < EARLIEST_DATE:
        problem = _("%(date)s is before 01/01/2000; check the year.") % {
            "date": disbursed.strftime("%d/%m/%Y")
        }
        _add_error(row, title(DISBURSED.key), problem)
    else:
        row["disbursed_on"] = disbursed.isoformat()

    raw = get(DUE.key)
    due = _to_date(raw)
    if _text(raw) == "":
        if disbursed and row["term_months"]:
            due = add_months(disbursed, row["term_months"])
            row["due_on"] = due.isoformat()
    elif due is None:
        problem = _("“%(value)s” is not a date; write it as dd/mm/yyyy.")
        _add_error(row, title(DUE.key), problem % {"value": _display(raw)})
    elif disbursed and due <= disbursed:
        problem = _("the due date must come after the disbursement date.")
        _add_error(row, title(DUE.key), problem)
    elif (
        disbursed
        and row["term_months"]
        and due > add_months(disbursed, row["term_months"])
    ):
        problem = _(
            "the due date is more than the term (%(months)s months) after the "
            "disbursement."
        )
        _add_error(row, title(DUE.key), problem % {"months": row["term_months"]})
    else:
        row["due_on"] = due.isoformat()
        row["due_given"] = True
    return row
