"""The Excel file of a session's roster: who holds a place (registered, attended, absent)
in sign-in order, then the waiting list in the order it moves up. (The course and session
lists are in ``spreadsheets.py``.)

Every text cell goes through ``households.spreadsheets._cell_text`` (a name such as
``=HYPERLINK(…)`` typed for a walk-in stays text); birth years and support amounts are
numbers; the registration time is a real date-time shown dd/mm/yyyy hh:mm.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from households.spreadsheets import BOLD, _cell_text, _sheet_title, _to_bytes

from .models import EnrolmentStatus

MONEY_FORMAT = "#,##0"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Rows above the table: the course, the session's time and place, a blank line.
HEADER_ROWS = 3


def _columns() -> list[tuple[str, int]]:
    """(heading, width) of each column, in the active language."""
    return [
        (_("No."), 6),
        (_("Full name"), 28),
        (_("Birth year"), 10),
        (_("Village"), 18),
        (_("Household code"), 14),
        (_("Status"), 16),
        (_("Waiting list position"), 10),
        (_("Walk-in"), 9),
        (_("Support (VND)"), 14),
        (_("Registered at"), 17),
    ]


def birth_year_of(enrolment) -> int | None:
    """A member's birth year from the registry, a walk-in's as they gave it."""
    if enrolment.member_id is not None and enrolment.member is not None:
        return enrolment.member.birth_year
    return enrolment.birth_year


def session_roster_xlsx(session, holding, waiting) -> bytes:
    """``holding`` and ``waiting`` as the session page lists them (the waiting list with
    its ``position`` set by ``views.enrolments.roster_rows``)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("Roster")))
    columns = _columns()
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROWS + 2}"

    title = WriteOnlyCell(sheet, value=_cell_text(session.course.title))
    title.font = BOLD
    sheet.append([title])
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    where = _("%(day)s, %(start)s–%(end)s · %(place)s, %(village)s") % {
        "day": date_format(start, "d/m/Y"),
        "start": date_format(start, "H:i"),
        "end": date_format(end, "H:i"),
        "place": session.place,
        "village": session.village.name,
    }
    sheet.append([_cell_text(where)])
    sheet.append([])
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=_cell_text(heading))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)

    def money(value):
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell

    def moment(value):
        cell = WriteOnlyCell(
            sheet, value=timezone.localtime(value).replace(tzinfo=None)
        )
        cell.number_format = DATETIME_FORMAT
        return cell

    yes, no = _("Yes"), _("No")
    rows = [*holding, *waiting]
    for number, enrolment in enumerate(rows, start=1):
        household = enrolment.household
        waitlisted = enrolment.status == EnrolmentStatus.WAITLISTED
        sheet.append(
            [
                number,
                _cell_text(enrolment.full_name),
                birth_year_of(enrolment),
                _cell_text(enrolment.village.name),
                _cell_text(household.code) if household else None,
                _cell_text(str(enrolment.get_status_display())),
                getattr(enrolment, "position", None) if waitlisted else None,
                yes if enrolment.member_id is None else no,
                money(enrolment.support_amount),
                moment(enrolment.created_at),
            ]
        )
    last = HEADER_ROWS + 1 + len(rows)
    sheet.auto_filter.ref = (
        f"A{HEADER_ROWS + 1}:{get_column_letter(len(columns))}{last}"
    )
    return _to_bytes(workbook)
