"""Reading the upload: the checks that refuse a file as a whole.

``_read_upload`` checks the bytes before any parsing (size, an old .xls, not a zip, a
zip that would expand too far). ``_parse_file`` opens the workbook with openpyxl in
read-only mode, picks the sheet, finds the heading row among the first few, and streams
the data rows, refusing formulas, columns far to the right and too many (blank) rows,
so memory stays bounded by the row limit and not by what the file says about itself.
"""

import hashlib
import io
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .columns import (
    CODE,
    COLUMNS,
    _heading_lookup,
    _keys,
    _Layout,
    _layout_of,
    _text,
)

HEADER_SCAN_ROWS = 10  # the headings may sit under a title row or two
MAX_COLUMNS = 100
MAX_WIDE_ROWS = 100  # rows with cells beyond MAX_COLUMNS, each costly to read
UNCOMPRESSED_PER_BYTE = 50  # how far the zip may expand, per byte uploaded
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cell_name(index: int, row: int) -> str:
    return f"{get_column_letter(index + 1)}{row}"


def _damaged() -> ValidationError:
    return ValidationError(
        _(
            "The file could not be read; it may be damaged. Save it again as an Excel "
            "workbook (.xlsx) and upload it again."
        ),
        code="damaged",
    )


def _not_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "This file is not an Excel workbook (.xlsx). Download the template, fill it "
            "in and upload it again."
        ),
        code="not_xlsx",
    )


def _rows(worksheet, **bounds):
    """The worksheet's rows; a file that breaks while being read is refused as a whole."""
    rows = worksheet.iter_rows(**bounds)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:
            raise _damaged() from exc
        yield row


def _check_formulas(cells, row: int) -> None:
    for index, cell in enumerate(cells):
        value = getattr(cell, "value", None)
        if getattr(cell, "data_type", None) == "f" or (
            isinstance(value, str) and value.startswith("=")
        ):
            raise ValidationError(
                _(
                    "Cell %(cell)s contains a formula. Copy the sheet, paste it as values "
                    "only and upload the file again."
                )
                % {"cell": _cell_name(index, row)},
                code="formula",
            )


def _find_layout(worksheet, lookup) -> _Layout:
    """The row among the first few that names the most known columns."""
    best = _Layout()
    for number, cells in enumerate(_rows(worksheet, max_row=HEADER_SCAN_ROWS), start=1):
        _check_formulas(cells, number)
        layout = _layout_of(cells, number, lookup)
        if layout.size > best.size:
            best = layout
    _check_headings(best, COLUMNS)
    return best


def _check_headings(best, columns) -> None:
    """Refuse a heading row that lacks a required column, names one twice or runs past
    ``MAX_COLUMNS``. Shared by every import (``best`` is the import's own layout: its
    ``columns``, ``duplicate``, ``header_row`` and ``width``)."""
    missing = [c.title() for c in columns if c.required and c.key not in best.columns]
    if missing:
        raise ValidationError(
            _(
                "The file is missing the columns: %(columns)s. Download the template to "
                "see the expected headings."
            )
            % {"columns": ", ".join(f"“{name}”" for name in missing)},
            code="missing_columns",
        )
    if best.duplicate:
        heading, first, second = best.duplicate
        raise ValidationError(
            _("The column “%(column)s” appears twice (cells %(first)s and %(second)s).")
            % {
                "column": heading,
                "first": _cell_name(first, best.header_row),
                "second": _cell_name(second, best.header_row),
            },
            code="duplicate_column",
        )
    if best.width > MAX_COLUMNS:
        raise ValidationError(
            _(
                "The headings go beyond column %(column)s; delete the extra columns and "
                "upload the file again."
            )
            % {"column": get_column_letter(MAX_COLUMNS)},
            code="too_many_columns",
        )


def _collect(
    rows: list, number: int, values: tuple, wanted, *, blank: int, max_blank: int,
    max_rows: int,
) -> int:  # fmt: skip
    """Add a data row to ``rows``, or count it as blank when none of the ``wanted``
    columns holds anything; refuse a sheet with too many of either. Returns the count of
    blank rows so far. Shared by every import."""
    if all(_text(values[i]) == "" for i in wanted):
        blank += 1
        if blank > max_blank:
            raise ValidationError(
                _(
                    "The sheet has more than %(max)s empty rows; delete them and "
                    "upload the file again."
                )
                % {"max": max_blank},
                code="too_many_blank_rows",
            )
        return blank
    if len(rows) >= max_rows:  # this is row max + 1: stop reading here
        raise ValidationError(
            _(
                "The file has more than %(max)s rows; split it into files of at most "
                "%(max)s rows."
            )
            % {"max": max_rows},
            code="too_many_rows",
        )
    rows.append((number, values))
    return blank


def _pick_sheet(workbook, lookup):
    """The first sheet whose headings name the household code, else the first sheet."""
    sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise _damaged()
    for worksheet in sheets:
        worksheet.reset_dimensions()  # never trust the size the file declares
    code_keys = {k for k, target in lookup.items() if target == ("column", CODE.key)}
    for worksheet in sheets:
        for cells in _rows(worksheet, max_row=HEADER_SCAN_ROWS):
            if any(
                _keys(_text(getattr(cell, "value", None))) & code_keys for cell in cells
            ):
                return worksheet
    return sheets[0]


def _read_upload(uploaded_file) -> tuple[bytes, str]:
    """The uploaded bytes, after the checks that need no parsing; and their SHA-256."""
    limit = settings.IMPORT_MAX_FILE_BYTES

    def too_large(size: int) -> ValidationError:
        return ValidationError(
            _("The file is %(size)s; files up to %(max)s are accepted.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)},
            code="too_large",
        )

    if uploaded_file.size is not None and uploaded_file.size > limit:
        raise too_large(uploaded_file.size)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise too_large(uploaded_file.size or len(data))
    if data[:8] == XLS_MAGIC:
        raise ValidationError(
            _(
                "This is an old Excel 97–2003 (.xls) file. Open it in Excel or "
                "LibreOffice, save it as an Excel workbook (.xlsx) and upload it again."
            ),
            code="xls",
        )
    if data[:4] != XLSX_MAGIC:
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx() from exc
    # zipfile never inflates a member past its declared size, so this bounds the work
    # a small file can make the parser do (a "zip bomb").
    if expanded > max(UNCOMPRESSED_PER_BYTE * limit, 16 * 1024 * 1024):
        raise _damaged()
    return data, hashlib.sha256(data).hexdigest()


def _parse_file(data: bytes, indicators) -> tuple[_Layout, list[tuple[int, tuple]]]:
    """The layout of the headings and the non-empty data rows as (row number, values)."""
    lookup = _heading_lookup(indicators)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise _not_xlsx() from exc
    try:
        worksheet = _pick_sheet(workbook, lookup)
        layout = _find_layout(worksheet, lookup)
        wanted = sorted(layout.titles)
        max_rows = settings.IMPORT_MAX_ROWS
        max_blank = max(1000, max_rows)
        rows: list[tuple[int, tuple]] = []
        blank = 0
        first = layout.header_row + 1
        wide = 0
        # Every cell of a row is read, so a formula anywhere is caught; openpyxl pads a
        # row up to its last cell, so rows reaching far right are counted and capped.
        for number, cells in enumerate(_rows(worksheet, min_row=first), start=first):
            _check_formulas(cells, number)
            if len(cells) > MAX_COLUMNS:
                wide += 1
                if wide > MAX_WIDE_ROWS:
                    raise ValidationError(
                        _(
                            "The sheet has cells beyond column %(column)s; delete the "
                            "extra columns and upload the file again."
                        )
                        % {"column": get_column_letter(MAX_COLUMNS)},
                        code="too_many_columns",
                    )
            values = tuple(
                cells[i].value if i < len(cells) else None for i in range(layout.width)
            )
            blank = _collect(
                rows, number, values, wanted,
                blank=blank, max_blank=max_blank, max_rows=max_rows,
            )  # fmt: skip
    finally:
        workbook.close()
    if not rows:
        raise ValidationError(
            _("The file has no review rows under the headings."), code="empty"
        )
    return layout, rows
