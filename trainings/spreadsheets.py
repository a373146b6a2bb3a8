"""The Excel files of the training screens: the course list (one sheet of courses with
their sessions and distinct participants, one of the courses' sessions) and the upcoming
sessions. (A session's roster is in ``roster_sheets.py``.)

Every text cell goes through ``households.spreadsheets._cell_text`` (a title such as
``=HYPERLINK(…)`` stays text); counts are numbers; dates are real dates shown dd/mm/yyyy
and times real times shown hh:mm, in the commune's time zone.
"""

from collections.abc import Iterable

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

from .models import Course, Session

DATE_FORMAT = "dd/mm/yyyy"
TIME_FORMAT = "hh:mm"


def _sheet(workbook: Workbook, title: str, columns: list[tuple[str, int]]):
    sheet = workbook.create_sheet(_sheet_title(title))
    for index, (_heading, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _width in columns:
        cell = WriteOnlyCell(sheet, value=_cell_text(heading))
        cell.font = BOLD
        header.append(cell)
    sheet.append(header)
    return sheet


def _finish(sheet, columns, count: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


class _Cells:
    """Typed cells of one write-only sheet."""

    def __init__(self, sheet):
        self.sheet = sheet

    def day(self, moment):
        if moment is None:
            return None
        cell = WriteOnlyCell(self.sheet, value=timezone.localtime(moment).date())
        cell.number_format = DATE_FORMAT
        return cell

    def time(self, moment):
        cell = WriteOnlyCell(
            self.sheet,
            value=timezone.localtime(moment).time().replace(second=0, microsecond=0),
        )
        cell.number_format = TIME_FORMAT
        return cell


def _session_columns() -> list[tuple[str, int]]:
    return [
        (_("Date"), 12),
        (_("Starts"), 8),
        (_("Ends"), 8),
        (_("Course"), 36),
        (_("Topic"), 16),
        (_("Village"), 18),
        (_("Place"), 26),
        (_("Trainer"), 22),
        (_("Places"), 8),
        (_("Places taken"), 10),
        (_("Waiting list"), 10),
        (_("Status"), 12),
        (_("Reason for cancelling"), 30),
    ]


def _session_row(cells: _Cells, session: Session) -> list:
    course = session.course
    return [
        cells.day(session.starts_at),
        cells.time(session.starts_at),
        cells.time(session.ends_at),
        _cell_text(course.title),
        _cell_text(str(course.get_topic_display())),
        _cell_text(session.village.name),
        _cell_text(session.place),
        _cell_text(session.trainer),
        session.capacity,
        getattr(session, "places_held", None),
        getattr(session, "waitlisted", None),
        _cell_text(str(session.get_status_display())),
        _cell_text(session.cancel_reason),
    ]


def _write_sessions(workbook: Workbook, title: str, sessions: Iterable[Session]):
    columns = _session_columns()
    sheet = _sheet(workbook, title, columns)
    cells = _Cells(sheet)
    if isinstance(sessions, QuerySet):
        sessions = sessions.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    count = 0
    for session in sessions:
        sheet.append(_session_row(cells, session))
        count += 1
    _finish(sheet, columns, count)


def sessions_xlsx(sessions: Iterable[Session]) -> bytes:
    """The sessions given (course and village joined, ``places_held`` and
    ``waitlisted`` annotated), one row each, in that order."""
    workbook = Workbook(write_only=True)
    _write_sessions(workbook, _("Sessions"), sessions)
    return _to_bytes(workbook)


def _course_columns() -> list[tuple[str, int]]:
    return [
        (_("Course"), 36),
        (_("Topic"), 16),
        (_("Kind"), 20),
        (_("Organiser"), 22),
        (_("Organiser's name"), 28),
        (_("Target villages"), 30),
        (_("Target groups"), 24),
        (_("Recommended with loans for"), 18),
        (_("Sessions"), 9),
        (_("Next session"), 12),
        (_("Participants"), 11),
        (_("Enrolled"), 10),
    ]


def courses_xlsx(courses: Iterable[Course], sessions: Iterable[Session] = ()) -> bytes:
    """The courses (with ``session_count``, ``next_session_at``, ``participants`` and
    ``enrolled``, their target villages and groups prefetched), one row each; then a
    sheet of the ``sessions`` given (those of these courses)."""
    workbook = Workbook(write_only=True)
    columns = _course_columns()
    sheet = _sheet(workbook, _("Courses"), columns)
    cells = _Cells(sheet)
    count = 0
    for course in courses:
        sheet.append(
            [
                _cell_text(course.title),
                _cell_text(str(course.get_topic_display())),
                _cell_text(str(course.get_kind_display())),
                _cell_text(str(course.get_organiser_kind_display())),
                _cell_text(course.organiser_name),
                _cell_text(
                    ", ".join(v.name for v in course.target_villages.all())
                    or _("the whole commune")
                ),
                _cell_text(
                    ", ".join(str(t.get_group_display()) for t in course.targets.all())
                ),
                _cell_text(
                    str(course.get_loan_purpose_display())
                    if course.loan_purpose
                    else ""
                ),
                course.session_count,
                cells.day(course.next_session_at),
                course.participants,
                course.enrolled,
            ]
        )
        count += 1
    _finish(sheet, columns, count)
    _write_sessions(workbook, _("Sessions"), sessions)
    return _to_bytes(workbook)
