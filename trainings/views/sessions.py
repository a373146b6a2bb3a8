"""The session screens: the upcoming sessions by date and village (the trainings home) and
their xlsx export; a session scheduled from its course, edited (moved) or cancelled with
a reason, each by a commune-wide role.

After scheduling or moving, the success message says which villages' groups the
reminders go to and when, read from the notices the service created (``training:<pk>:…``);
after cancelling, how many unsent reminders were withdrawn and when the villages are told.
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, ListView

from households.selectors import villages_for
from households.views._common import StaffMixin, xlsx_response
from outreach.models import NoticeStatus
from outreach.selectors import village_groups_for

from .. import selectors, services
from ..forms.sessions import (
    SessionCancelForm,
    SessionFilterForm,
    SessionForm,
    add_session_errors,
)
from ..models import SessionStatus
from ._common import (
    CourseScopedMixin,
    SessionScopedMixin,
    TrainingsTabsMixin,
    mark_sessions,
)

__all__ = [
    "SessionCancelView",
    "SessionCreateView",
    "SessionExportView",
    "SessionListView",
    "SessionUpdateView",
]


def _local_day_bounds(start, end) -> tuple[datetime, datetime]:
    """From the start of ``start`` to the end of ``end`` (both days included), local."""
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


# --- The upcoming sessions and their export -----------------------------------------


def _filter_form(request) -> SessionFilterForm:
    return SessionFilterForm(
        request.GET or None,
        villages=villages_for(request.user),
        today=timezone.localdate(),
    )


def _upcoming(user, filters: dict):
    start, end = _local_day_bounds(filters["start"], filters["end"])
    sessions = selectors.upcoming_sessions_for(
        user, start=start, end=end, village=filters["village"]
    )
    if filters["topic"]:
        sessions = sessions.filter(course__topic=filters["topic"])
    return sessions


class SessionListView(TrainingsTabsMixin, ListView):
    """The trainings home: sessions of the next 30 days by default, by date, then
    village; filters for the period, the village and the topic."""

    template_name = "trainings/session_list.html"
    context_object_name = "sessions"
    paginate_by = 50
    trainings_tab = "sessions"

    @cached_property
    def filter_form(self) -> SessionFilterForm:
        return _filter_form(self.request)

    @cached_property
    def filters(self) -> dict:
        return self.filter_form.values()

    def get_queryset(self):
        return _upcoming(self.request.user, self.filters)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["sessions"] = list(page.object_list)
        mark_sessions(ctx["sessions"], self.request.user)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            filters=self.filters,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            can_create=self.request.user.is_commune_wide,
        )
        return ctx


class SessionExportView(StaffMixin, View):
    def get(self, request):
        from ..spreadsheets import sessions_xlsx

        filters = _filter_form(request).values()
        sessions = _upcoming(request.user, filters)
        return xlsx_response(
            sessions_xlsx(sessions),
            f"lich-tap-huan-{filters['start']:%Y-%m-%d}-{filters['end']:%Y-%m-%d}.xlsx",
        )


# --- What the reminders say ------------------------------------------------------------


def _moment(value) -> str:
    local = timezone.localtime(value)
    return _("%(time)s on %(date)s") % {
        "time": f"{local:%H:%M}",
        "date": f"{local:%d/%m/%Y}",
    }


def _names(villages) -> str:
    return ", ".join(v.name for v in villages)


def reminder_summary(user, session) -> str:
    """Which villages' groups the session's pending reminders go to and when; which of
    its villages get none (no active group), or that the times have passed."""
    notices = selectors.session_reminders(
        user, session, statuses=(NoticeStatus.SCHEDULED,)
    )
    targets = list(session.course.target_villages.all()) or [session.village]
    reached = {}
    for notice in notices:
        for village in notice.villages.all():
            reached.setdefault(village.pk, village)
    reached_list = [v for v in targets if v.pk in reached] + [
        v for pk, v in reached.items() if pk not in {t.pk for t in targets}
    ]
    missing = [v for v in targets if v.pk not in reached]
    with_groups = set(
        village_groups_for(user)
        .filter(village__in=[v.pk for v in missing], is_active=True)
        .values_list("village_id", flat=True)
    )
    no_group = [v for v in missing if v.pk not in with_groups]
    parts = []
    if notices:
        parts.append(
            ngettext(
                "A reminder will go to the groups of %(villages)s at %(times)s.",
                "Reminders will go to the groups of %(villages)s at %(times)s.",
                len(notices),
            )
            % {
                "villages": _names(reached_list),
                "times": "; ".join(_moment(n.scheduled_at) for n in notices),
            }
        )
    elif not no_group:
        parts.append(_("No reminder was created: the reminder times have passed."))
    if no_group:
        parts.append(
            _("%(villages)s: no active notice group, so no reminder.")
            % {"villages": _names(no_group)}
        )
    return " ".join(parts)


# --- Scheduling, editing, cancelling -------------------------------------------------------


def _schedulable_villages(user):
    return villages_for(user).order_by("sort_order", "name")


class SessionCreateView(CourseScopedMixin, FormView):
    """Schedule a session of the course (from the course's page)."""

    template_name = "trainings/session_form.html"
    form_class = SessionForm
    commune_wide_only = True
    course_kwarg = "course_pk"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["villages"] = _schedulable_villages(self.request.user)
        targets = list(self.course.target_villages.all()[:2])
        if len(targets) == 1:
            kwargs["initial"] = {**kwargs.get("initial", {}), "village": targets[0].pk}
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Schedule a session"),
            button=_("Schedule the session"),
            target_villages=list(self.course.target_villages.all()),
        )
        return ctx

    def form_valid(self, form):
        try:
            session = services.session_schedule(
                actor=self.request.user, course=self.course, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_session_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            " ".join(
                [
                    _("The session of %(date)s is scheduled.")
                    % {"date": f"{timezone.localtime(session.starts_at):%d/%m/%Y}"},
                    reminder_summary(self.request.user, session),
                ]
            ).strip(),
        )
        return redirect("trainings:course_detail", pk=self.course.pk)


class SessionUpdateView(SessionScopedMixin, FormView):
    """Edit a session: a new date or time moves its reminders; a capacity below the
    places taken is refused with the service's message on the field."""

    template_name = "trainings/session_form.html"
    form_class = SessionForm
    commune_wide_only = True
    trainings_tab = "courses"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "villages": _schedulable_villages(self.request.user),
            "session": self.session,
        }

    def refused(self) -> str:
        if self.session.status == SessionStatus.CANCELLED:
            return _("A cancelled session cannot be changed.")
        return ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title=_("Edit the session"),
            button=_("Save"),
            target_villages=list(self.course.target_villages.all()),
            refused=self.refused(),
        )
        return ctx

    def form_valid(self, form):
        session = self.session
        changed = {
            name: value
            for name, value in form.service_kwargs().items()
            if getattr(session, name) != value
        }
        if not changed:
            messages.info(self.request, _("Nothing was changed."))
            return redirect("trainings:course_detail", pk=self.course.pk)
        moved = "starts_at" in changed or "ends_at" in changed
        # The service renews the reminders when they would say something else.
        renewed = moved or "village" in changed or "place" in changed
        try:
            session = services.session_update(
                actor=self.request.user, session=session, **changed
            )
        except ValidationError as exc:
            add_session_errors(form, exc)
            return self.form_invalid(form)
        parts = [
            _("The session was moved to %(moment)s.")
            % {"moment": _moment(session.starts_at)}
            if moved
            else _("The session was saved.")
        ]
        if renewed:
            parts.append(reminder_summary(self.request.user, session))
        text = " ".join(parts).strip()
        messages.success(self.request, text)
        return redirect("trainings:course_detail", pk=self.course.pk)


class SessionCancelView(SessionScopedMixin, FormView):
    """GET: what cancelling does (the villages are told, reminders withdrawn) and the
    reason; POST cancels."""

    template_name = "trainings/session_cancel.html"
    form_class = SessionCancelForm
    commune_wide_only = True
    trainings_tab = "courses"
    explanation = gettext_lazy(
        "The groups of %(villages)s will be told that the session is cancelled, with "
        "the reason below, and its reminders that have not gone out yet are withdrawn."
    )

    def refused(self) -> str:
        if self.session.status == SessionStatus.CANCELLED:
            return _("This session is already cancelled.")
        if self.session.status == SessionStatus.HELD:
            return _("Attendance has been marked: this session was held.")
        return ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        targets = list(self.course.target_villages.all()) or [self.session.village]
        pending = selectors.session_reminders(
            self.request.user, self.session, statuses=(NoticeStatus.SCHEDULED,)
        )
        ctx.update(
            explanation=self.explanation % {"villages": _names(targets)},
            pending=pending,
            refused=self.refused(),
        )
        return ctx

    def form_valid(self, form):
        user = self.request.user
        pending = len(
            selectors.session_reminders(
                user, self.session, statuses=(NoticeStatus.SCHEDULED,)
            )
        )
        try:
            session = services.session_cancel(
                actor=user, session=self.session, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_session_errors(form, exc)
            return self.form_invalid(form)
        parts = [_("The session is cancelled.")]
        if pending:
            parts.append(
                ngettext(
                    "%(n)s reminder not yet sent was withdrawn.",
                    "%(n)s reminders not yet sent were withdrawn.",
                    pending,
                )
                % {"n": pending}
            )
        told = [
            n
            for n in selectors.session_reminders(
                user, session, statuses=(NoticeStatus.SCHEDULED,)
            )
            if n.source_key.endswith(":cancelled")
        ]
        if told:
            parts.append(
                _("The villages are told at %(moment)s.")
                % {"moment": _moment(told[0].scheduled_at)}
            )
        messages.success(self.request, " ".join(parts))
        return redirect("trainings:course_detail", pk=self.course.pk)
