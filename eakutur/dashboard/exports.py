"""Excel files of the dashboard: one table, or the whole periodic report.

Cells are typed: counts and amounts are numbers (amounts with a thousands format),
percentages are numbers 0-100 shown with one decimal and a "%" sign, so the commune's
staff can sum and sort them. Every text goes through
``households.spreadsheets.neutralise``: a village or group name typed as ``=1+1`` stays
text, never a formula.
"""

import io
import re
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from households.spreadsheets import neutralise

from .tables import Block, Kind, Row, Table

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.VND: "#,##0",
    Kind.PERCENT: '0.0"%"',
}
DAY = "DD/MM/YYYY"
SHEET_TITLE_LENGTH = 31  # Excel's limit


def _text(value) -> str:
    """A string ready for a cell: characters XML cannot hold removed, then neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _value(value, kind: str):
    """A cell's value: numbers stay numbers, anything else becomes safe text."""
    if value is None or value == "":
        return None
    if (
        kind != Kind.TEXT
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return value
    return _text(value)


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _SheetTitles:
    """Sheet names Excel accepts ([]:*?/\\ replaced, 31 characters) and unique."""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, text: str) -> str:
        base = re.sub(r"[\[\]:*?/\\]", " ", str(text)).strip() or "Sheet"
        title, n = base[:SHEET_TITLE_LENGTH], 1
        while title.lower() in self.used:
            n += 1
            suffix = f" ({n})"
            title = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        self.used.add(title.lower())
        return title


def _append_row(sheet, table: Table, row: Row, *, total: bool = False) -> None:
    values = [_value(row.values.get(c.key), c.kind) for c in table.columns]
    if total and values[0] is None:
        values[0] = _text(_("Total"))
    sheet.append(values)
    line = sheet.max_row
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=line, column=index)
        if column.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[column.kind]
        if total:
            cell.font = BOLD


def write_table(sheet, table: Table, *, heading: str) -> None:
    """Title row (the table, then the place and period), header row, the rows, the
    total row in bold, then the note."""
    sheet.append([_text(f"{table.title} · {heading}")])
    sheet.cell(row=1, column=1).font = TITLE
    sheet.append([_text(c.label) for c in table.columns])
    for index, column in enumerate(table.columns, start=1):
        sheet.cell(row=2, column=index).font = BOLD
        width = 30 if index == 1 else max(14, min(len(column.label) + 2, 30))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B3"
    for row in table.rows:
        _append_row(sheet, table, row)
    if table.total is not None:
        _append_row(sheet, table, table.total, total=True)
    if table.rows:
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A2:{last}{len(table.rows) + 2}"
    if table.marked_label and any(row.marked for row in table.rows):
        marked = ", ".join(
            str(row.values.get(table.columns[0].key, ""))
            for row in table.rows
            if row.marked
        )
        sheet.append([])
        sheet.append([_text(f"{table.marked_label}: {marked}")])
    if table.note:
        sheet.append([])
        sheet.append([_text(table.note)])


def table_xlsx(table: Table, *, heading: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _SheetTitles()(table.title)
    write_table(sheet, table, heading=heading)
    return _to_bytes(workbook)


def _write_summary(sheet, blocks: Iterable[Block], *, heading: str, today: date):
    sheet.append([_text(_("Poverty reduction report"))])
    sheet.cell(row=1, column=1).font = TITLE
    sheet.append([_text(heading)])
    sheet.append([_text(_("Date of the report")), today])
    sheet.cell(row=3, column=2).number_format = DAY
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 48
    for block in blocks:
        if not block.figures:
            continue
        sheet.append([])
        sheet.append([_text(block.title)])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        for figure in block.figures:
            sheet.append(
                [
                    _text(figure.label),
                    _value(figure.value, figure.kind),
                    _text(figure.detail) if figure.detail else None,
                ]
            )
            if figure.kind in NUMBER_FORMATS:
                cell = sheet.cell(row=sheet.max_row, column=2)
                cell.number_format = NUMBER_FORMATS[figure.kind]


def report_xlsx(blocks: list[Block], *, heading: str, today: date) -> bytes:
    """A summary sheet with every key figure, then one sheet per table."""
    workbook = Workbook()
    titles = _SheetTitles()
    summary = workbook.active
    summary.title = titles(_("Summary"))
    _write_summary(summary, blocks, heading=heading, today=today)
    for block in blocks:
        for table in block.tables:
            if table.columns:
                sheet = workbook.create_sheet(titles(table.title))
                write_table(sheet, table, heading=heading)
    return _to_bytes(workbook)
