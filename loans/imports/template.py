"""The blank disbursement list: the headings the import reads, one grey example row to
overwrite, a second sheet with the valid program codes, purposes and the commune's savings
groups, and a third explaining each column. Every string written goes through
``households.spreadsheets._cell_text`` (``neutralise``): group names are typed by users.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from households.poverty import format_vnd
from households.spreadsheets import BOLD, _cell_text, _sheet_title, _to_bytes

from ..models import Purpose
from ..selectors import programs_open, savings_groups_for
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
)
from .reading import max_rows

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DATE_FORMAT = "DD/MM/YYYY"


def disbursement_template_xlsx(*, user) -> bytes:
    """The workbook an official fills with the bank's list (see the module docstring)."""
    programs = list(programs_open())
    groups = list(
        savings_groups_for(user)
        .filter(is_active=True)
        .select_related("village")
        .order_by("village__sort_order", "village__name", "name")
    )
    workbook = Workbook()
    _data_sheet(workbook, programs=programs, groups=groups)
    codes_title = _codes_sheet(workbook, programs=programs, groups=groups)
    _instructions(workbook, codes_title=codes_title)
    return _to_bytes(workbook)


def _data_sheet(workbook: Workbook, *, programs, groups) -> None:
    sheet = workbook.active
    sheet.title = _sheet_title(_("Disbursements"))
    example_group = groups[0].name if groups else "Tổ TK&VV thôn 1"
    columns = [
        (CODE, 12, "VD-001"),  # "ví dụ": no real code, so a forgotten row fails
        (PROGRAM, 18, programs[0].code if programs else "HO_NGHEO"),
        (GROUP, 28, example_group),
        (CONTRACT, 18, "VD-HD-0001"),
        (AMOUNT, 18, 50_000_000),
        (PURPOSE, 18, _purpose_label(Purpose.COFFEE)),
        (TERM, 10, 36),
        (DISBURSED, 14, timezone.localdate()),
        (DUE, 14, None),
    ]
    sheet.append([_cell_text(column.title()) for column, _w, _e in columns])
    sheet.append([_cell_text(example) for _c, _w, example in columns])
    for index, (column, width, _example) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        header = sheet[f"{letter}1"]
        header.font = BOLD
        header.fill = HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        example = sheet[f"{letter}2"]
        example.font = Font(italic=True, color="808080")
        if column in (DISBURSED, DUE):
            example.number_format = DATE_FORMAT
        elif column is AMOUNT:
            example.number_format = "#,##0"
        elif column in (CODE, CONTRACT):
            example.number_format = "@"  # text: leading zeros stay
    sheet.freeze_panes = "A2"
    letters = {
        column.key: get_column_letter(index)
        for index, (column, _w, _e) in enumerate(columns, start=1)
    }
    last = max_rows() + 1
    labels = [_purpose_label(value) for value in Purpose.values]
    choices = '"' + ",".join(label.replace('"', "") for label in labels) + '"'
    if "," not in "".join(labels) and len(choices) <= 255:
        purposes = DataValidation(type="list", formula1=choices, allow_blank=True)
        purposes.showErrorMessage = False  # the import also reads codes and aliases
        letter = letters[PURPOSE.key]
        purposes.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(purposes)
    codes = '"' + ",".join(p.code for p in programs) + '"'
    if programs and len(codes) <= 255:
        program_list = DataValidation(type="list", formula1=codes, allow_blank=True)
        program_list.showErrorMessage = False
        letter = letters[PROGRAM.key]
        program_list.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(program_list)


def _purpose_label(value: str) -> str:
    return str(Purpose(value).label)


def _section(sheet, title: str, headings: list[str], *, first: bool = False) -> None:
    if not first:
        sheet.append([])
    sheet.append([_cell_text(title)])
    sheet[f"A{sheet.max_row}"].font = Font(bold=True, size=12)
    sheet.append([_cell_text(h) for h in headings])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.fill = HEADER_FILL


def _codes_sheet(workbook: Workbook, *, programs, groups) -> str:
    title = _sheet_title(_("Codes"))
    sheet = workbook.create_sheet(title)
    for letter, width in zip("ABCD", (26, 40, 34, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    _section(
        sheet,
        _("Loan programs"),
        [_("Program code"), _("Program"), _("Maximum"), _("Longest term (months)")],
        first=True,
    )
    for program in programs:
        cap = program.max_amount
        if cap is None:
            maximum = _("set case by case")
        elif program.cap_is_per_month:
            maximum = _("%(amount)s per month") % {"amount": format_vnd(cap)}
        else:
            maximum = format_vnd(cap)
        sheet.append(
            [
                _cell_text(program.code),
                _cell_text(program.name),
                _cell_text(maximum),
                program.max_term_months,
            ]
        )
    _section(sheet, _("Purposes"), [_("Purpose"), _("Code"), _("In English")])
    for value, label in Purpose.choices:
        with translation.override("en"):
            english = str(label)
        sheet.append([_cell_text(str(label)), value, _cell_text(english)])
    _section(
        sheet,
        _("Savings groups of the commune"),
        [_("Village"), _("Savings group"), _("Entrusting organisation")],
    )
    for group in groups:
        sheet.append(
            [
                _cell_text(group.village.name),
                _cell_text(group.name),
                _cell_text(str(group.get_organisation_display())),
            ]
        )
    if not groups:
        sheet.append([_cell_text(_("No savings group is set up yet."))])
    return title


def _instructions(workbook: Workbook, *, codes_title: str) -> None:
    sheet = workbook.create_sheet(_sheet_title(_("Instructions")))
    for letter, width in zip("ABC", (30, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    required, optional = _("required"), _("optional")
    see_codes = {"sheet": codes_title}
    lines = [
        (_("How to fill in the disbursement list"), None, None),
        (
            _(
                "One row per loan paid out, as on the bank's list. Keep the headings of "
                "row 1 and write over the grey example row. At most %(rows)s rows per "
                "file. Formulas are not calculated: paste values only."
            )
            % {"rows": max_rows()},
            None,
            None,
        ),
        (_("Column"), _("Required"), _("What to enter")),
        (CODE.title(), required, _("The household code in the registry.")),
        (
            PROGRAM.title(),
            required,
            _("A program code from the sheet “%(sheet)s”, e.g. HO_NGHEO.") % see_codes,
        ),
        (
            GROUP.title(),
            required,
            _(
                "The name of an open savings group of the household's village, as on "
                "the sheet “%(sheet)s”."
            )
            % see_codes,
        ),
        (
            CONTRACT.title(),
            required,
            _(
                "The number of the bank's loan agreement. A contract already recorded "
                "with the same figures is skipped, so the same list can be uploaded "
                "again safely."
            ),
        ),
        (
            AMOUNT.title(),
            required,
            _("In đồng, a whole number: 50000000 or 50.000.000."),
        ),
        (
            PURPOSE.title(),
            required,
            _("One of the purposes on the sheet “%(sheet)s” (name or code).")
            % see_codes,
        ),
        (TERM.title(), required, _("In months, within the program's longest term.")),
        (
            DISBURSED.title(),
            required,
            _("dd/mm/yyyy, or a date cell. Not a future date."),
        ),
        (
            DUE.title(),
            optional,
            _("dd/mm/yyyy. Leave empty for the disbursement date plus the term."),
        ),
        (None, None, None),
        (
            _("After the upload"),
            None,
            _(
                "The portal shows every row before anything is recorded: new loan, "
                "already recorded, or an error to correct. Nothing is recorded until "
                "you confirm, and then either every new loan is recorded or none."
            ),
        ),
    ]
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in lines:
        sheet.append([_cell_text(v) for v in values])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = 45
    for cell in sheet[3]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
