"""The attendance sheet a village officer ticks on a phone: one big toggle per person,
"everyone came", one save. Refused (a clear message, nothing saved) before the session
starts or when it was cancelled; after saving, the session shows as held.

Commune-wide roles and the officers of the session's village may mark it; an officer who
only sees the session (a course targeting their village, held elsewhere) gets a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from households.views._common import add_service_errors

from .. import selectors, services
from ..forms.attendance import AttendanceForm, initially_ticked
from ..models import EnrolmentStatus, SessionStatus
from ._common import SessionScopedMixin
from .enrolments import may_mark_attendance, roster_rows, session_url, village_ids_of

__all__ = ["AttendanceSheetView", "attendance_refusal"]


def attendance_refusal(session, *, now=None) -> str:
    """Why attendance cannot be marked yet (shown before the officer ticks anything);
    the service refuses the same cases when the form is sent."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        return _("This session was cancelled: there is no attendance to mark.")
    if session.starts_at > now:
        start = timezone.localtime(session.starts_at)
        return _(
            "Attendance can be marked once the session has started (%(when)s)."
        ) % {"when": date_format(start, "d/m/Y H:i")}
    return ""


class AttendanceSheetView(SessionScopedMixin, FormView):
    template_name = "trainings/attendance_sheet.html"
    form_class = AttendanceForm

    def check_role(self, request) -> None:
        super().check_role(request)
        if not may_mark_attendance(
            request.user, self.session, village_ids_of(request.user)
        ):
            raise PermissionDenied

    @cached_property
    def rows(self) -> tuple[list, list]:
        return roster_rows(selectors.session_roster(self.session))

    @property
    def enrolments(self) -> list:
        holding, waiting = self.rows
        return holding + waiting

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["enrolments"] = self.enrolments
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        holding, waiting = self.rows
        if form.is_bound:
            ticked = {int(v) for v in form.data.getlist("came") if str(v).isdigit()}
        else:
            ticked = initially_ticked(
                self.enrolments, everyone=self.request.GET.get("everyone") == "1"
            )
        for enrolment in self.enrolments:
            enrolment.ticked = enrolment.pk in ticked
        ctx.update(
            holding=holding,
            waiting=waiting,
            refusal=attendance_refusal(self.session),
            came_count=sum(1 for e in self.enrolments if e.ticked),
            marked=any(
                e.status in (EnrolmentStatus.ATTENDED, EnrolmentStatus.ABSENT)
                for e in holding
            ),
        )
        return ctx

    def form_valid(self, form):
        attended, absent = form.split()
        try:
            services.attendance_mark(
                actor=self.request.user,
                session=self.session,
                attended=attended,
                absent=absent,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Attendance saved: %(came)s came, %(absent)s absent.")
            % {"came": len(attended), "absent": len(absent)},
        )
        return redirect(session_url(self.session, anchor="roster"))
