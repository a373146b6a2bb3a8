"""Reading the upload: the checks that refuse a file as a whole.

The bytes are checked before any parsing by the registry import's ``_read_upload`` (size,
an old .xls, not a zip, a zip that would expand too far). The workbook is then opened with
openpyxl in read-only mode and streamed row by row, stopping at the first row past the
limit, so memory stays bounded by the row limit and not by what the file says about
itself.

Unlike the review list, a cell holding a formula does not refuse the file: the bank's
list is data, not a calculation, so a formula is read as the text it is (never evaluated,
its cached result ignored) and fails the check of its column like any other wrong value.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from households.imports.columns import _keys, _text
from households.imports.reading import (
    HEADER_SCAN_ROWS,
    _check_headings,
    _collect,
    _not_xlsx,
    _read_upload,
    _rows,
)

from .columns import CODE, COLUMNS, _heading_lookup, _Layout, _layout_of

# A month's list for the commune is a few hundred rows. Confirmation saves in the request
# at about 30 ms a row (three services, each validating the loan's constraints), so
# 1,000 rows stay near half a minute; a longer list is split into files.
MAX_ROWS = 1_000
MAX_BLANK_ROWS = 1_000

__all__ = ["MAX_ROWS", "_parse_file", "_read_upload", "max_rows"]


def max_rows() -> int:
    """The row limit (setting ``DISBURSEMENT_IMPORT_MAX_ROWS``, default ``MAX_ROWS``)."""
    return getattr(settings, "DISBURSEMENT_IMPORT_MAX_ROWS", MAX_ROWS)


def _pick_sheet(workbook, lookup):
    """The first sheet whose headings name the household code, else the first sheet."""
    sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise _not_xlsx()
    for worksheet in sheets:
        worksheet.reset_dimensions()  # never trust the size the file declares
    code_keys = {k for k, key in lookup.items() if key == CODE.key}
    for worksheet in sheets:
        for cells in _rows(worksheet, max_row=HEADER_SCAN_ROWS):
            if any(
                _keys(_text(getattr(cell, "value", None))) & code_keys for cell in cells
            ):
                return worksheet
    return sheets[0]


def _find_layout(worksheet, lookup) -> _Layout:
    """The row among the first few that names the most known columns."""
    best = _Layout()
    for number, cells in enumerate(_rows(worksheet, max_row=HEADER_SCAN_ROWS), start=1):
        layout = _layout_of(cells, number, lookup)
        if len(layout.columns) > len(best.columns):
            best = layout
    _check_headings(best, COLUMNS)
    return best


def _parse_file(data: bytes) -> tuple[_Layout, list[tuple[int, tuple]]]:
    """The layout of the headings and the non-empty data rows as (row number, values),
    each tuple holding the cells of the known columns (by ``_Layout.columns`` index)."""
    lookup = _heading_lookup()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise _not_xlsx() from exc
    limit = max_rows()
    rows: list[tuple[int, tuple]] = []
    try:
        worksheet = _pick_sheet(workbook, lookup)
        layout = _find_layout(worksheet, lookup)
        wanted = sorted(layout.titles)
        first = layout.header_row + 1
        blank = 0
        # Only the known columns are read: max_col bounds the work of a row that
        # reaches far to the right.
        bounds = {"min_row": first, "max_col": layout.width}
        for number, cells in enumerate(_rows(worksheet, **bounds), start=first):
            values = tuple(
                getattr(cells[i], "value", None) if i < len(cells) else None
                for i in range(layout.width)
            )
            blank = _collect(
                rows, number, values, wanted,
                blank=blank, max_blank=MAX_BLANK_ROWS, max_rows=limit,
            )  # fmt: skip
    finally:
        workbook.close()
    if not rows:
        raise ValidationError(
            _("The file has no disbursement rows under the headings."), code="empty"
        )
    return layout, rows
