"""What is printed for a training: the A4 sign-in sheet of a session (with blank rows for
walk-ins), the session's participant list, the course's participant list, the
certificates of attendance (one per person who attended, per course, one per A4 page),
and the session's roster as an Excel file (a read audit entry when it shows support
amounts: see ``audit_support_read``).

The pages are readable on screen with a "Print" button; the print stylesheet hides the
navigation. Certificates are printed in Vietnamese whatever the screen's language: they
are official papers of the commune.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from eakutur.audit.models import AuditAction
from households.views._common import xlsx_response

from .. import selectors
from ..models import EnrolmentStatus
from ..roster_sheets import birth_year_of, session_roster_xlsx
from ._common import CourseScopedMixin, SessionScopedMixin
from .enrolments import audit_support_read, roster_rows

__all__ = [
    "CertificatesView",
    "CourseParticipantsPrintView",
    "ParticipantListPrintView",
    "SessionExportView",
    "SignInSheetView",
]

# Blank rows at the end of the sign-in sheet, for people who come without enrolling.
DEFAULT_BLANK_ROWS = 10
MAX_BLANK_ROWS = 60


def _with_birth_years(enrolments) -> list:
    for enrolment in enrolments:
        enrolment.birth_year_shown = birth_year_of(enrolment)
    return enrolments


class _SessionPrintout(SessionScopedMixin, TemplateView):
    @cached_property
    def rows(self) -> tuple[list, list]:
        holding, waiting = roster_rows(selectors.session_roster(self.session))
        return _with_birth_years(holding), _with_birth_years(waiting)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        holding, waiting = self.rows
        ctx.update(
            holding=holding,
            waiting=waiting,
            starts=timezone.localtime(self.session.starts_at),
            ends=timezone.localtime(self.session.ends_at),
            printed_on=timezone.localdate(),
        )
        return ctx


class SignInSheetView(_SessionPrintout):
    """No., full name, birth year, village and a signature column; the waiting list
    follows the people with a place, then blank rows (``?blank=N``) for walk-ins."""

    template_name = "trainings/print_sign_in.html"

    def blank_rows(self) -> int:
        value = self.request.GET.get("blank", "")
        if value.isdigit():
            return min(int(value), MAX_BLANK_ROWS)
        return DEFAULT_BLANK_ROWS

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        holding, waiting = self.rows
        people = holding + waiting
        for number, enrolment in enumerate(people, start=1):
            enrolment.line = number
        blank = self.blank_rows()
        ctx.update(
            people=people,
            blank_lines=range(len(people) + 1, len(people) + 1 + blank),
            blank=blank,
            blank_choices=(0, 5, 10, 20, 30),
        )
        return ctx


class ParticipantListPrintView(_SessionPrintout):
    """The session's people with their status (after the session: who came)."""

    template_name = "trainings/print_participants.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        holding, _waiting = self.rows
        ctx["attended_count"] = sum(
            1 for e in holding if e.status == EnrolmentStatus.ATTENDED
        )
        return ctx


class SessionExportView(SessionScopedMixin, View):
    def get(self, request, *args, **kwargs):
        roster = selectors.session_roster(self.session)
        audit_support_read(request, self.session, roster, action=AuditAction.EXPORT)
        holding, waiting = roster_rows(roster)
        day = timezone.localtime(self.session.starts_at)
        return xlsx_response(
            session_roster_xlsx(self.session, holding, waiting),
            f"danh-sach-tap-huan-{self.session.pk}-{day:%Y-%m-%d}.xlsx",
        )


class _CoursePrintout(CourseScopedMixin, TemplateView):
    @cached_property
    def participants(self) -> list:
        return list(selectors.course_participants(self.course))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(participants=self.participants, printed_on=timezone.localdate())
        return ctx


class CourseParticipantsPrintView(_CoursePrintout):
    """Everyone who attended at least one session of the course, once each, with the
    dates they came."""

    template_name = "trainings/print_course_participants.html"


class CertificatesView(_CoursePrintout):
    """One certificate per person who attended the course; ``?session=<pk>`` keeps
    those who attended that session (their certificate still lists all their dates)."""

    template_name = "trainings/print_certificates.html"

    @cached_property
    def only_session(self):
        value = self.request.GET.get("session", "")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        session = selectors.session_get_for(self.request.user, int(value))
        if session.course_id != self.course.pk:
            raise Http404
        return session

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        people = self.participants
        if self.only_session is not None:
            pk = self.only_session.pk
            people = [p for p in people if any(s.pk == pk for s in p.sessions)]
        commune = self.course.commune
        ctx.update(
            certificates=people,
            only_session=self.only_session,
            commune_name=commune.name,
            place_of_issue=_place_name(commune.name),
        )
        return ctx


def _place_name(commune_name: str) -> str:
    """ "Xã Ea Ktur" → "Ea Ktur", as a place of issue is written."""
    for prefix in ("Xã ", "xã ", "Phường ", "Thị trấn "):
        if commune_name.startswith(prefix):
            return commune_name[len(prefix) :]
    return commune_name
