"""The bank's disbursement list: its columns, reading the file, checking each row, and
the template to fill in. The use cases (upload, confirm, discard) are services in
``loans.services.disbursements``; this package only reads and judges.

- ``columns``: the headings (Vietnamese and English, with aliases) and the purposes.
- ``reading``: refusing a file as a whole (size, not an .xlsx, missing columns, too many
  rows) before parsing everything; openpyxl in read-only mode.
- ``rows``: the cells of one row, each read on its own.
- ``checks``: the rows against the registry and the loan book (outcome new, already
  recorded, or error).
- ``template``: the blank workbook.
"""

from .checks import _evaluate, _summary
from .columns import (
    AMOUNT,
    CODE,
    COLUMNS,
    CONTRACT,
    DISBURSED,
    DUE,
    GROUP,
    PROGRAM,
    PURPOSE,
    TERM,
    _purpose_table,
)
from .reading import MAX_ROWS, _parse_file, _read_upload, max_rows
from .rows import _parse_row
from .template import disbursement_template_xlsx

__all__ = [
    "AMOUNT",
    "CODE",
    "COLUMNS",
    "CONTRACT",
    "DISBURSED",
    "DUE",
    "GROUP",
    "MAX_ROWS",
    "PROGRAM",
    "PURPOSE",
    "TERM",
    "_evaluate",
    "_parse_file",
    "_parse_row",
    "_purpose_table",
    "_read_upload",
    "_summary",
    "disbursement_template_xlsx",
    "max_rows",
]
