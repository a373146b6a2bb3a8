"""The cells of one row: the year, the amount, the deprivation marks and the status.

``_parse_row`` turns the values of one data row into the dict kept on the batch, with
the problems a cell shows on its own (missing, not a year, not an amount, not a mark,
not a status, text too long). Problems that need the registry are added later by
``registry``. A row's problems never refuse the file.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from ..models import PovertyStatus
from ..text import fold
from .columns import (
    CODE,
    HEAD,
    INCOME,
    NOTES,
    REASON,
    STATUS,
    YEAR,
    _display,
    _Layout,
    _norm,
    _text,
)

MARK_YES = frozenset({"x", "1", "co", "yes", "true", "v", "✓", "✔"})  # folded
MARK_NO = frozenset({"", "0", "khong", "no", "false"})
MAX_INCOME = 10_000_000_000  # VND per person per month; above this it is a typo
MAX_REASON, MAX_NOTES = 300, 500  # the model's max_length

_AMOUNT_FORMS = (
    re.compile(r"-?\d+"),
    re.compile(r"-?\d{1,3}(?:\.\d{3})+"),
    re.compile(r"-?\d{1,3}(?:,\d{3})+"),
)


def _to_year(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    return None


def _to_amount(value) -> int | None:
    """Whole đồng from a numeric cell (rounded) or text such as "1.200.000",
    "1,200,000" or "1 200 000 đ"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        try:
            return int(Decimal(str(value)).to_integral_value())
        except (InvalidOperation, ValueError, OverflowError):
            return None
    if isinstance(value, str):
        text = re.sub(r"\s", "", fold(value))
        text = re.sub(r"(vnd|dong|d|₫)$", "", text)
        if any(form.fullmatch(text) for form in _AMOUNT_FORMS):
            return int(re.sub(r"[.,]", "", text))
    return None


def _to_mark(value) -> bool | None:
    """True for a deprivation, False for none, None for anything else."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = fold(str(value))
    if text in MARK_YES:
        return True
    if text in MARK_NO:
        return False
    return None


def _add_error(row: dict, column: str, message: str) -> None:
    row["errors"].append({"row": row["row"], "column": column, "message": message})


def _parse_row(number: int, values: tuple, layout: _Layout, statuses) -> dict:
    """The values of one row, with the problems a cell shows on its own."""

    def get(key):
        index = layout.columns.get(key)
        return None if index is None else values[index]

    row = {
        "row": number,
        "household_code": "",
        "household_id": None,
        "household_head_name": "",
        "head_name": _text(get(HEAD.key))[:200],
        "year": None,
        "income_per_person": None,
        "deprivations": [],
        "status": "",
        "override_reason": _text(get(REASON.key)),
        "notes": _text(get(NOTES.key)),
        "proposed_status": "",
        "proposed_label": "",
        "proposal_reason": "",
        "final_status": "",
        "final_label": "",
        "outcome": "error",
        "errors": [],
    }
    p = {"row": number}

    code = get(CODE.key)
    if _text(code) == "":
        _add_error(
            row,
            layout.title(CODE.key),
            _("Row %(row)s: the household code is missing.") % p,
        )
    elif isinstance(code, datetime | date | time | bool):
        message = _("Row %(row)s: unknown household code “%(code)s”.")
        _add_error(row, layout.title(CODE.key), message % {**p, "code": _display(code)})
    else:
        row["household_code"] = _text(code)[:50]

    year = get(YEAR.key)
    if _text(year) == "":
        _add_error(
            row, layout.title(YEAR.key), _("Row %(row)s: the year is missing.") % p
        )
    elif (parsed_year := _to_year(year)) is None:
        message = _("Row %(row)s: “%(value)s” is not a year.")
        _add_error(
            row, layout.title(YEAR.key), message % {**p, "value": _display(year)}
        )
    else:
        row["year"] = parsed_year

    income = get(INCOME.key)
    amount = _to_amount(income)
    if _text(income) == "":
        message = _("Row %(row)s: the income per person is missing.") % p
    elif amount is None:
        message = _("Row %(row)s: “%(value)s” is not an amount in đồng.") % {
            **p,
            "value": _display(income),
        }
    elif amount < 0:
        message = _("Row %(row)s: the income per person cannot be negative.") % p
    elif amount > MAX_INCOME:
        message = _(
            "Row %(row)s: %(value)s đồng per person per month is not plausible; check "
            "the amount."
        ) % {**p, "value": _display(income)}
    else:
        message = ""
        row["income_per_person"] = amount
    if message:
        _add_error(row, layout.title(INCOME.key), message)

    for indicator, index in layout.indicators.items():
        mark = _to_mark(values[index])
        if mark:
            row["deprivations"].append(indicator)
        elif mark is None:
            message = _(
                "Row %(row)s: “%(value)s” in the column “%(column)s” is not a mark; write "
                "x for a deprivation and leave the cell empty otherwise."
            )
            column = layout.titles[index]
            _add_error(
                row,
                column,
                message % {**p, "value": _display(values[index]), "column": column},
            )

    status = _text(get(STATUS.key))
    if status and _norm(status) in statuses:
        row["status"] = statuses[_norm(status)]
    elif status:
        message = _(
            "Row %(row)s: “%(value)s” is not a status; use one of: %(choices)s."
        )
        choices = ", ".join(f"“{label}”" for label in PovertyStatus.labels)
        _add_error(
            row,
            layout.title(STATUS.key),
            message % {**p, "value": status[:50], "choices": choices},
        )

    for column, limit in ((REASON, MAX_REASON), (NOTES, MAX_NOTES)):
        if len(row[column.key]) > limit:
            message = _(
                "Row %(row)s: the text in the column “%(column)s” is longer than "
                "%(max)s characters."
            )
            title = layout.title(column.key)
            _add_error(row, title, message % {**p, "column": title, "max": limit})
            row[column.key] = row[column.key][:limit]
    return row
