"""Excel files of the household registry: the household export and the template of the
yearly review list.

Every string written goes through ``neutralise()``, so a name such as
``=HYPERLINK("http://…")`` typed into the registry is shown as text in Excel or
LibreOffice, never evaluated as a formula.
"""

import io
import re
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .imports import CODE, HEAD, INCOME, NOTES, REASON, STATUS, YEAR
from .models import Household, PovertyStatus
from .poverty import format_vnd
from .selectors import indicators_for_year, standard_for_year
from .text import english_active, mask_national_id

FORMULA_PREFIXES = ("=", "+", "-", "@")
CONTROL_PREFIXES = ("\t", "\r")
EXPORT_CHUNK_SIZE = 2000
BOLD = Font(bold=True)


def neutralise(value):
    """Text that a spreadsheet could take for a formula, made plain text.

    Strings starting with ``=``, ``+``, ``-`` or ``@`` (also after leading spaces), or
    with a tab or carriage return, get a leading apostrophe (OWASP's advice against CSV
    and formula injection). Other values are returned unchanged.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_PREFIXES) or value.lstrip().startswith(
        FORMULA_PREFIXES
    ):
        return "'" + value
    return value


def _cell_text(value):
    """A value ready for a cell: characters XML cannot hold removed, then neutralised."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return neutralise(value)


def _sheet_title(text: str) -> str:
    """Excel refuses sheet names with []:*?/\\ or longer than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(text)).strip()[:31] or "Sheet"


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The household export -----------------------------------------------------------


def _export_columns() -> list[tuple[str, int]]:
    """(heading, width) of each column, in the active language."""
    return [
        (_("Household code"), 14),
        (_("Village"), 18),
        (_("Head of household"), 26),
        (_("National ID number"), 16),
        (_("Phone"), 13),
        (_("Address"), 30),
        (_("Ethnic group"), 12),
        (_("Poverty status"), 22),
        (_("Review year"), 10),
        (_("Farmed area (ha)"), 10),
        (_("Uses a smartphone"), 12),
        (_("Uses Zalo"), 10),
        (_("Consents to be contacted"), 12),
    ]


def households_xlsx(*, households: Iterable[Household]) -> bytes:
    """The households as an .xlsx file, one row each, national IDs masked.

    ``households`` comes from ``selectors.household_list_for`` (village scope, with
    village and ethnic group joined); a QuerySet is read in chunks so memory stays
    bounded for the whole commune.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("Households")))
    columns = _export_columns()
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=_cell_text(heading))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)

    yes, no = _("Yes"), _("No")
    statuses = dict(PovertyStatus.choices)
    if isinstance(households, QuerySet):
        households = households.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    count = 0
    for household in households:
        area = WriteOnlyCell(sheet, value=household.farmed_area_ha)
        area.number_format = "0.00"
        sheet.append(
            [
                _cell_text(household.code),
                _cell_text(household.village.name),
                _cell_text(household.head_name),
                _cell_text(mask_national_id(household.head_national_id or "")),
                _cell_text(household.phone),
                _cell_text(household.address),
                _cell_text(str(household.ethnic_group)),
                _cell_text(str(statuses.get(household.current_status, ""))),
                household.current_review_year,
                area,
                yes if household.uses_smartphone else no,
                yes if household.uses_zalo else no,
                yes if household.contact_consent else no,
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return _to_bytes(workbook)


# --- The review template ------------------------------------------------------------


def review_template_xlsx(*, year: int) -> bytes:
    """The review list to fill in: the headings the import reads, one example row to
    delete, and a second sheet explaining each column in the active language."""
    english = english_active()
    indicators = list(indicators_for_year(year))
    standard = standard_for_year(year)
    columns = [
        (CODE, 14, "VD-001"),  # "ví dụ": no real code, so a forgotten row fails
        (HEAD, 26, "Nguyễn Văn A"),
        (YEAR, 8, year),
        (INCOME, 18, 1_200_000),
    ]
    headings = [column.title() for column, _width, _example in columns]
    example = [value for _column, _width, value in columns]
    widths = [width for _column, width, _example in columns]
    first_indicator = len(headings) + 1
    for position, indicator in enumerate(indicators):
        headings.append(indicator.name_en if english else indicator.name_vi)
        example.append("x" if position in (0, 3, 7) else None)
        widths.append(14)
    last_indicator = len(headings)
    for column, width in ((STATUS, 22), (REASON, 30), (NOTES, 30)):
        headings.append(column.title())
        example.append(None)
        widths.append(width)
    status_column = headings.index(STATUS.title()) + 1

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Reviews %(year)s") % {"year": year})
    sheet.append([_cell_text(h) for h in headings])
    sheet.append([_cell_text(v) for v in example])
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        header = sheet[f"{letter}1"]
        header.font = BOLD
        header.alignment = Alignment(wrap_text=True, vertical="top")
        sheet[f"{letter}2"].font = Font(italic=True, color="808080")
    sheet[
        f"{get_column_letter(headings.index(INCOME.title()) + 1)}2"
    ].number_format = "#,##0"
    sheet.freeze_panes = "B2"
    max_row = settings.IMPORT_MAX_ROWS + 1
    if indicators:
        marks = DataValidation(type="list", formula1='"x"', allow_blank=True)
        marks.add(
            f"{get_column_letter(first_indicator)}2:"
            f"{get_column_letter(last_indicator)}{max_row}"
        )
        sheet.add_data_validation(marks)
    labels = [str(label) for label in PovertyStatus.labels]
    choices = '"' + ",".join(label.replace('"', "") for label in labels) + '"'
    if "," not in "".join(labels) and len(choices) <= 255:
        statuses = DataValidation(type="list", formula1=choices, allow_blank=True)
        statuses.showErrorMessage = False  # the import also reads codes and aliases
        letter = get_column_letter(status_column)
        statuses.add(f"{letter}2:{letter}{max_row}")
        sheet.add_data_validation(statuses)

    _instructions(workbook, year=year, standard=standard, indicators=indicators)
    return _to_bytes(workbook)


def _instructions(workbook: Workbook, *, year: int, standard, indicators) -> None:
    sheet = workbook.create_sheet(_sheet_title(_("Instructions")))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    wrap = Alignment(wrap_text=True, vertical="top")
    required, optional = _("required"), _("optional")
    statuses = ", ".join(f"“{label}”" for label in PovertyStatus.labels)

    lines = [
        (_("How to fill in the review list"), None, None),
        (
            _(
                "One row per household and year. Keep the headings of row 1; delete the "
                "grey example row. Type values only: a file with formulas is refused. "
                "At most %(rows)s rows per file."
            )
            % {"rows": settings.IMPORT_MAX_ROWS},
            None,
            None,
        ),
        (_("Column"), _("Required"), _("What to enter")),
        (
            CODE.title(),
            required,
            _("The household code in the registry. Only households of your villages."),
        ),
        (
            HEAD.title(),
            optional,
            _(
                "If filled in, it must match the registry's head of household (with or "
                "without diacritics), as a check that the code is the right one."
            ),
        ),
        (
            YEAR.title(),
            required,
            _("The review year, e.g. %(year)s. Not a future year.") % {"year": year},
        ),
        (
            INCOME.title(),
            required,
            _(
                "Average income per person per month, in đồng, as a whole number: "
                "1200000 or 1.200.000."
            ),
        ),
    ]
    for indicator in indicators:
        lines.append(
            (
                str(indicator),
                required,
                _(
                    "x if the household is deprived in this indicator; leave empty "
                    "otherwise. %(description)s"
                )
                % {"description": indicator.description},
            )
        )
    lines += [
        (
            STATUS.title(),
            optional,
            _(
                "Leave empty to accept the status the portal proposes from the income "
                "and deprivations. Otherwise one of: %(statuses)s."
            )
            % {"statuses": statuses},
        ),
        (
            REASON.title(),
            optional,
            _("Required when the status differs from the portal's proposal."),
        ),
        (NOTES.title(), optional, _("Anything else worth keeping with the review.")),
    ]
    if standard is not None:
        lines += [
            (None, None, None),
            (
                _("Standard for %(year)s") % {"year": year},
                None,
                _(
                    "%(name)s. Poverty line: %(rural)s per person per month in rural "
                    "communes, %(urban)s in urban ones. Income at or below the line "
                    "with at least %(min)s deprivations: poor; with fewer: near-poor."
                )
                % {
                    "name": standard.name,
                    "rural": format_vnd(standard.rural_line),
                    "urban": format_vnd(standard.urban_line),
                    "min": standard.poor_min_deprivations,
                },
            ),
        ]
    else:
        lines.append(
            (None, None, _("No poverty standard covers %(year)s.") % {"year": year})
        )
    lines += [
        (None, None, None),
        (
            _("After the upload"),
            None,
            _(
                "The portal shows what each row would do before anything is recorded: "
                "new review, unchanged (already recorded with the same figures) or an "
                "error to correct. Nothing is recorded until you confirm, and then "
                "either every row is recorded or none."
            ),
        ),
    ]
    fill = PatternFill("solid", fgColor="DDEBF7")
    for values in lines:
        sheet.append([_cell_text(v) for v in values])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells("A2:C2")
    sheet.row_dimensions[2].height = 45
    header_row = next(
        row[0].row
        for row in sheet.iter_rows()
        if row[0].value == _cell_text(_("Column"))
    )
    for cell in sheet[header_row]:
        cell.font = BOLD
        cell.fill = fill
