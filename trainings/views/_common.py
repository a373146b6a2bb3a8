"""What the training screens share: the section's tabs, the mixins that load a course or
a session through the scoped selectors (another village's record is a 404 for GET and
POST alike) and admit commune-wide roles only where the plan says so (a 403 after the
record was found visible) and the status badges.

The enrolment and attendance screens import from here too.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy

from households.views._common import StaffMixin

from .. import selectors
from ..models import EnrolmentStatus, SessionStatus

__all__ = [
    "COURSE_LINKS",
    "ENROLMENT_BADGES",
    "SESSION_BADGES",
    "TRAININGS_TABS",
    "CommuneWideOnlyMixin",
    "CourseScopedMixin",
    "SessionScopedMixin",
    "TrainingsTabsMixin",
    "mark_sessions",
    "session_page_url",
]

# The trainings pages' own menu: (key, URL name, label, commune-wide only). A page names
# its key in ``trainings_tab``; a new screen adds its line here.
TRAININGS_TABS: list[tuple[str, str, str, bool]] = [
    ("sessions", "trainings:session_list", gettext_lazy("Upcoming sessions"), False),
    ("calendar", "trainings:calendar", gettext_lazy("Calendar"), False),
    ("courses", "trainings:course_list", gettext_lazy("Courses"), False),
    ("walk_ins", "trainings:walk_in_list", gettext_lazy("Walk-ins"), False),
]

# Buttons on a course's page for other screens about the course (participants,
# certificates): (URL name taking the course pk, label, commune-wide only).
COURSE_LINKS: list[tuple[str, str, bool]] = [
    (
        "trainings:print_course_participants",
        gettext_lazy("Participant list"),
        False,
    ),
    ("trainings:print_certificates", gettext_lazy("Certificates"), False),
]

SESSION_BADGES = {
    SessionStatus.SCHEDULED: "text-bg-info",
    SessionStatus.HELD: "text-bg-success",
    SessionStatus.CANCELLED: "text-bg-dark",
}
ENROLMENT_BADGES = {
    EnrolmentStatus.REGISTERED: "text-bg-info",
    EnrolmentStatus.WAITLISTED: "text-bg-warning",
    EnrolmentStatus.ATTENDED: "text-bg-success",
    EnrolmentStatus.ABSENT: "text-bg-secondary",
    EnrolmentStatus.WITHDRAWN: "text-bg-light border",
}


class TrainingsTabsMixin(StaffMixin):
    """Gives the page the trainings tabs (``templates/trainings/_tabs.html``)."""

    trainings_tab = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        wide = self.request.user.is_commune_wide
        ctx["trainings_tabs"] = [
            {"url": reverse(name), "label": label, "active": key == self.trainings_tab}
            for key, name, label, wide_only in TRAININGS_TABS
            if wide or not wide_only
        ]
        return ctx


class CommuneWideOnlyMixin:
    """Set ``commune_wide_only = True`` on a view that creates courses or schedules,
    moves or cancels sessions: a village officer gets a 403. Runs after the scoped
    mixins' loading, so a record the user may not see stays a 404."""

    commune_wide_only = False

    def check_role(self, request) -> None:
        if self.commune_wide_only and not request.user.is_commune_wide:
            raise PermissionDenied


class CourseScopedMixin(CommuneWideOnlyMixin, TrainingsTabsMixin):
    """Loads ``self.course`` through the scoped selector before anything else runs."""

    trainings_tab = "courses"
    course_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.course = selectors.course_get_for(request.user, kwargs[self.course_kwarg])
        self.check_role(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["course"] = self.course
        return ctx


class SessionScopedMixin(CommuneWideOnlyMixin, TrainingsTabsMixin):
    """Loads ``self.session`` (and ``self.course``) through the scoped selector."""

    trainings_tab = "sessions"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.session = selectors.session_get_for(request.user, kwargs["pk"])
        self.course = self.session.course
        self.check_role(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(session=self.session, course=self.course)
        return ctx


def session_page_url(session) -> str:
    """The session's own page: its roster, enrolment and attendance."""
    return reverse("trainings:session_detail", args=[session.pk])


def mark_sessions(sessions, user) -> None:
    """Give each session what its row shows: the status badge, its page, and whether the
    user may edit or cancel it."""
    wide = user.is_commune_wide
    for session in sessions:
        session.badge_class = SESSION_BADGES.get(session.status, "text-bg-light")
        session.page_url = session_page_url(session)
        session.can_manage = wide and session.status == SessionStatus.SCHEDULED
