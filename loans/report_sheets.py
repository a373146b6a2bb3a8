"""Excel files of the loan reports: the overdue list and the period report.

Every text cell goes through ``households.spreadsheets.neutralise`` (a household or group
name typed as ``=HYPERLINK(...)`` stays text); amounts and dates are real numbers and
dates, formatted the Vietnamese way, so the commune's staff can sum and sort them.
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

BOLD = Font(bold=True)
MONEY = "#,##0"
DAY = "DD/MM/YYYY"


def _text(value) -> str:
    """A string ready for a cell: characters XML cannot hold removed, then neutralised."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", str(text)).strip()[:31] or "Sheet"


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet, columns: list[tuple[str, int]]) -> None:
    sheet.append([_text(heading) for heading, _width in columns])
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.cell(row=1, column=index).font = BOLD
    sheet.freeze_panes = "A2"


def _format_row(sheet, *, money=(), days=(), bold=False) -> None:
    """Number formats for the last appended row (1-based column numbers)."""
    row = sheet.max_row
    for column in money:
        sheet.cell(row=row, column=column).number_format = MONEY
    for column in days:
        sheet.cell(row=row, column=column).number_format = DAY
    if bold:
        for cell in sheet[row]:
            cell.font = BOLD


# --- The overdue list -----------------------------------------------------------------


def overdue_columns() -> list[tuple[str, int]]:
    return [
        (_("Village"), 16),
        (_("Savings group"), 22),
        (_("Group leader"), 22),
        (_("Leader's phone"), 13),
        (_("Household code"), 13),
        (_("Head of household"), 24),
        (_("Program"), 30),
        (_("Contract number"), 14),
        (_("Amount (VND)"), 14),
        (_("Disbursed on"), 12),
        (_("Due on"), 12),
        (_("Days overdue"), 10),
        (_("Outstanding (VND)"), 14),
    ]


def overdue_xlsx(*, rows: Iterable, today: date) -> bytes:
    """One row per overdue loan, in the order of the page (village, group, due date).
    ``rows`` are ``views.reports.OverdueRow``s: ``loan``, ``days``, ``outstanding``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Overdue %(day)s") % {"day": f"{today:%d-%m-%Y}"})
    columns = overdue_columns()
    _header(sheet, columns)
    count = 0
    for row in rows:
        loan = row.loan
        group = loan.savings_group
        sheet.append(
            [
                _text(loan.household.village.name),
                _text(group.name),
                _text(group.leader_name),
                _text(group.leader_phone),
                _text(loan.household.code),
                _text(loan.household.head_name),
                _text(loan.program.name),
                _text(loan.contract_number),
                loan.amount,
                loan.disbursed_on,
                loan.due_on,
                row.days,
                row.outstanding,
            ]
        )
        _format_row(sheet, money=(9, 13), days=(10, 11))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return _to_bytes(workbook)


# --- The period report ----------------------------------------------------------------


def _breakdown(workbook: Workbook, title: str, label: str, rows, total) -> None:
    sheet = workbook.create_sheet(_sheet_title(title))
    _header(
        sheet,
        [
            (label, 34),
            (_("Households"), 12),
            (_("Loans"), 10),
            (_("Amount disbursed (VND)"), 20),
        ],
    )
    for row in rows:
        sheet.append([_text(row.label), row.households, row.loans, row.amount])
        _format_row(sheet, money=(4,))
    sheet.append([_text(_("Total")), total.households, total.loans, total.amount])
    _format_row(sheet, money=(4,), bold=True)


def period_report_xlsx(*, report, village=None) -> bytes:
    """Three sheets: the headline figures, the breakdown by program and by village.

    The total row of each breakdown is the report's own total: a household that
    borrowed under two programs counts once there, as on the page.
    """
    workbook = Workbook()
    summary = workbook.active
    summary.title = _sheet_title(_("Summary"))
    summary.column_dimensions["A"].width = 42
    summary.column_dimensions["B"].width = 22
    lines = [
        (_("From"), report.start, DAY),
        (_("To"), report.end, DAY),
        (_("Village"), str(village) if village else _("All villages"), None),
        (_("Households that borrowed"), report.total.households, None),
        (_("Loans disbursed"), report.total.loans, None),
        (_("Amount disbursed (VND)"), report.total.amount, MONEY),
        (_("Principal outstanding on"), report.outstanding_on, DAY),
        (_("Principal outstanding (VND)"), report.outstanding, MONEY),
    ]
    for label, value, number_format in lines:
        summary.append(
            [_text(label), _text(value) if isinstance(value, str) else value]
        )
        summary.cell(row=summary.max_row, column=1).font = BOLD
        if number_format:
            summary.cell(row=summary.max_row, column=2).number_format = number_format
    _breakdown(workbook, _("By program"), _("Program"), report.by_program, report.total)
    _breakdown(workbook, _("By village"), _("Village"), report.by_village, report.total)
    return _to_bytes(workbook)
