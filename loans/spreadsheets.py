"""The Excel file of the loan list: every loan of the filtered list, one row each.

Every text cell goes through ``households.spreadsheets.neutralise`` (a name such as
``=HYPERLINK(…)`` stays text); amounts are numbers with a thousands format so they add up
in Excel; dates are real dates shown dd/mm/yyyy.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from households.spreadsheets import (
    BOLD,
    EXPORT_CHUNK_SIZE,
    _cell_text,
    _sheet_title,
    _to_bytes,
)

from .models import Loan

MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"


def _columns() -> list[tuple[str, int]]:
    """(heading, width) of each column, in the active language."""
    return [
        (_("Contract number"), 14),
        (_("Household code"), 14),
        (_("Head of household"), 26),
        (_("Village"), 18),
        (_("Program"), 30),
        (_("Savings group"), 22),
        (_("Purpose"), 18),
        (_("Amount (VND)"), 15),
        (_("Status"), 12),
        (_("Applied on"), 12),
        (_("Approved on"), 12),
        (_("Disbursed on"), 12),
        (_("Due on"), 12),
        (_("Settled on"), 12),
        (_("Principal repaid (VND)"), 15),
        (_("Outstanding (VND)"), 15),
        (_("Overdue"), 9),
    ]


def loans_xlsx(loans: Iterable[Loan], *, today: date | None = None) -> bytes:
    """The loans given (household, village, program and group joined), in that order;
    "overdue" is judged on ``today`` (default: today in the commune)."""
    today = today or timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("Loans")))
    columns = _columns()
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=_cell_text(heading))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)

    def money(value: int):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell

    def day(value: date | None):
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    yes, no = _("Yes"), _("No")
    if isinstance(loans, QuerySet):
        loans = loans.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    count = 0
    for loan in loans:
        household = loan.household
        sheet.append(
            [
                _cell_text(loan.contract_number),
                _cell_text(household.code),
                _cell_text(household.head_name),
                _cell_text(household.village.name),
                _cell_text(loan.program.name),
                _cell_text(loan.savings_group.name),
                _cell_text(str(loan.get_purpose_display())),
                money(loan.amount),
                _cell_text(str(loan.get_status_display())),
                day(loan.applied_on),
                day(loan.approved_on),
                day(loan.disbursed_on),
                day(loan.due_on),
                day(loan.settled_on),
                money(loan.principal_repaid),
                money(loan.outstanding),
                yes if loan.is_overdue(today) else no,
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return _to_bytes(workbook)
