"""Excel files of the outreach screens: the filtered contact list, and the coverage table.

Every text cell goes through ``households.spreadsheets._cell_text`` (a note such as
``=HYPERLINK(…)`` stays text); dates are real dates shown dd/mm/yyyy; counts are numbers,
so they add up in Excel.
"""

from collections.abc import Iterable
from datetime import date, datetime

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

from .models import Contact
from .selectors import Coverage, CoverageRow

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0"


def _sheet(workbook: Workbook, title: str, columns: list[tuple[str, int]]):
    sheet = workbook.create_sheet(_sheet_title(title))
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def _header(sheet, columns: list[tuple[str, int]]) -> list:
    cells = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=_cell_text(heading))
        cell.font = BOLD
        cells.append(cell)
    return cells


# --- The contact list ------------------------------------------------------------------


def _contact_columns() -> list[tuple[str, int]]:
    """(heading, width) of each column, in the active language."""
    return [
        (_("Date"), 12),
        (_("Village"), 18),
        (_("Household code"), 14),
        (_("Head of household"), 26),
        (_("Channel"), 20),
        (_("Topics"), 36),
        (_("Outcome"), 24),
        (_("Note"), 40),
        (_("People present"), 10),
        (_("Logged by"), 22),
        (_("Digital team member"), 22),
        (_("Follow up on"), 12),
        (_("Followed up at"), 16),
        (_("Follow-up note"), 30),
    ]


def contacts_xlsx(contacts: Iterable[Contact]) -> bytes:
    """The contacts given (village, household, user, team member and topics joined), in
    that order."""
    workbook = Workbook(write_only=True)
    columns = _contact_columns()
    sheet = _sheet(workbook, _("Contacts"), columns)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, columns))

    def day(value: date | datetime | None, fmt: str = DATE_FORMAT):
        if value is None:
            return None
        if isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = fmt
        return cell

    if isinstance(contacts, QuerySet):
        contacts = contacts.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    count = 0
    for contact in contacts:
        household = contact.household
        topics = ", ".join(str(t.get_topic_display()) for t in contact.topics.all())
        sheet.append(
            [
                day(contact.contacted_on),
                _cell_text(contact.village.name),
                _cell_text(household.code if household else ""),
                _cell_text(household.head_name if household else ""),
                _cell_text(str(contact.get_channel_display())),
                _cell_text(topics),
                _cell_text(str(contact.get_outcome_display())),
                _cell_text(contact.note),
                contact.people_count,
                _cell_text(contact.logged_by_name),
                _cell_text(
                    contact.team_member.full_name if contact.team_member else ""
                ),
                day(contact.follow_up_on),
                day(contact.follow_up_done_at, DATETIME_FORMAT),
                _cell_text(contact.follow_up_note),
            ]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return _to_bytes(workbook)


# --- Coverage ----------------------------------------------------------------------------


def _coverage_columns() -> list[tuple[str, int]]:
    return [
        (_("Village"), 22),
        (_("Households"), 11),
        (_("Households reached"), 12),
        (_("Share reached (%)"), 10),
        (_("Poor households"), 10),
        (_("Poor, not reached"), 11),
        (_("Near-poor households"), 11),
        (_("Near-poor, not reached"), 11),
        (_("Ethnic-minority households"), 12),
        (_("Ethnic-minority, reached"), 12),
        (_("Village meetings"), 10),
        (_("People present"), 10),
        (_("Other announcements"), 12),
    ]


def coverage_xlsx(coverage: Coverage) -> bytes:
    """One row per village and the total, under a title naming the period."""
    workbook = Workbook(write_only=True)
    columns = _coverage_columns()
    sheet = _sheet(
        workbook, _("Coverage %(days)s days") % {"days": coverage.days}, columns
    )
    sheet.freeze_panes = "B3"
    title = WriteOnlyCell(
        sheet,
        value=_cell_text(
            _("Households reached in the last %(days)s days (%(start)s – %(end)s)")
            % {
                "days": coverage.days,
                "start": f"{coverage.start:%d/%m/%Y}",
                "end": f"{coverage.end:%d/%m/%Y}",
            }
        ),
    )
    title.font = BOLD
    sheet.append([title])
    sheet.append(_header(sheet, columns))

    def share(row: CoverageRow):
        if row.share is None:
            return None
        cell = WriteOnlyCell(sheet, value=round(row.share, 1))
        cell.number_format = PERCENT_FORMAT
        return cell

    def values(row: CoverageRow, name: str) -> list:
        return [
            _cell_text(name),
            row.households,
            row.reached,
            share(row),
            row.poor,
            row.poor_not_reached,
            row.near_poor,
            row.near_poor_not_reached,
            row.minority,
            row.minority_reached,
            row.meetings,
            row.people,
            row.announcements,
        ]

    for row in coverage.rows:
        sheet.append(values(row, row.village.name))
    total = values(coverage.total, _("Total"))
    total_cells = []
    for value in total:
        cell = WriteOnlyCell(
            sheet, value=value.value if hasattr(value, "value") else value
        )
        if hasattr(value, "number_format"):
            cell.number_format = value.number_format
        cell.font = BOLD
        total_cells.append(cell)
    sheet.append(total_cells)
    return _to_bytes(workbook)
