"""The course screens: the filtered list and its xlsx export, a course created or edited
(commune-wide roles only), and the course's page with its targets, its sessions (places
taken, waiting list, status) and its participants counted once each.

Every course is read through the scoped selectors: a course the user may not see is a
404; a village officer who may see a course still cannot create or edit one (403).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from eakutur.audit.selectors import audit_history_for
from households.selectors import villages_for
from households.views._common import StaffMixin, add_service_errors, xlsx_response

from .. import selectors, services
from ..forms.courses import CourseFilterForm, CourseForm
from ..models import SessionStatus, Topic
from ..services import support
from ._common import (
    COURSE_LINKS,
    CommuneWideOnlyMixin,
    CourseScopedMixin,
    TrainingsTabsMixin,
    mark_sessions,
)

__all__ = [
    "CourseCreateView",
    "CourseDetailView",
    "CourseExportView",
    "CourseListView",
    "CourseUpdateView",
]


# --- The list and its export -------------------------------------------------------------


def count_people(courses) -> None:
    """Give each course ``participants`` (distinct people who attended one of its
    sessions) and ``enrolled`` (distinct people enrolled in a session not cancelled),
    two queries for the lot."""
    courses = list(courses)
    for commune_id in {c.commune_id for c in courses}:
        mine = [c for c in courses if c.commune_id == commune_id]
        counts = selectors.participant_counts(commune=commune_id, courses=mine)
        for course in mine:
            course.participants = counts.by_course.get(course.pk, 0)
            course.enrolled = counts.enrolled_by_course.get(course.pk, 0)


def _filter_form(request) -> CourseFilterForm:
    return CourseFilterForm(request.GET or None, villages=villages_for(request.user))


# The crops the commune reports its farmer trainings for ("about 550 farmers trained in
# sustainable durian, coffee and pepper growing in 2025").
CROP_TOPICS = (Topic.DURIAN, Topic.COFFEE, Topic.PEPPER)


class CourseListView(TrainingsTabsMixin, ListView):
    template_name = "trainings/course_list.html"
    context_object_name = "courses"
    paginate_by = 25
    trainings_tab = "courses"

    @cached_property
    def filter_form(self) -> CourseFilterForm:
        return _filter_form(self.request)

    def get_queryset(self):
        # The page's target villages in one more query (a row names up to three).
        return selectors.course_list_for(
            self.request.user, self.filter_form.values()
        ).prefetch_related("target_villages")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["courses"] = list(page.object_list)
        count_people(ctx["courses"])
        params = self.request.GET.copy()
        params.pop("page", None)
        user = self.request.user
        if user.is_commune_wide and user.commune_id:
            # The year's figures the commune reports: people trained, each counted once.
            year = self.filter_form.values().get("year") or timezone.localdate().year
            ctx["year_figures"] = {
                "year": year,
                "all": selectors.participant_counts(
                    commune=user.commune, year=year
                ).participants,
                "crops": selectors.participant_counts(
                    commune=user.commune, year=year, topics=CROP_TOPICS
                ).participants,
            }
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            filters_open=any(v for k, v in params.items() if k != "q")
            or bool(self.filter_form.errors),
        )
        return ctx


class CourseExportView(StaffMixin, View):
    def get(self, request):
        from ..spreadsheets import courses_xlsx

        courses = list(
            selectors.course_list_for(
                request.user, _filter_form(request).values()
            ).prefetch_related("target_villages", "targets")
        )
        count_people(courses)
        sessions = selectors.course_sessions_for(request.user, *courses)
        today = timezone.localdate()
        return xlsx_response(
            courses_xlsx(courses, sessions), f"khoa-tap-huan-{today:%Y-%m-%d}.xlsx"
        )


# --- Creating and editing ----------------------------------------------------------------


class CourseCreateView(CommuneWideOnlyMixin, TrainingsTabsMixin, FormView):
    template_name = "trainings/course_form.html"
    form_class = CourseForm
    trainings_tab = "courses"
    commune_wide_only = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.check_role(request)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            course = services.course_create(
                actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The course “%(title)s” was created. Schedule its first session.")
            % {"title": course.title},
        )
        return redirect("trainings:course_detail", pk=course.pk)


class CourseUpdateView(CourseScopedMixin, FormView):
    template_name = "trainings/course_form.html"
    form_class = CourseForm
    commune_wide_only = True

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "course": self.course,
        }

    def form_valid(self, form):
        try:
            services.course_update(
                actor=self.request.user, course=self.course, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The course was saved."))
        return redirect("trainings:course_detail", pk=self.course.pk)


# --- The course's page -------------------------------------------------------------------


class CourseDetailView(CourseScopedMixin, TemplateView):
    template_name = "trainings/course_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        course, user = self.course, self.request.user
        sessions = list(selectors.course_sessions_for(user, course))
        mark_sessions(sessions, user)
        count_people([course])
        wide = user.is_commune_wide
        ctx.update(
            target_villages=list(course.target_villages.all()),
            target_groups=[t.get_group_display() for t in course.targets.all()],
            sessions=sessions,
            upcoming=sum(
                1
                for s in sessions
                if s.status == SessionStatus.SCHEDULED and s.starts_at >= timezone.now()
            ),
            can_edit=wide,
            can_schedule=wide,
            links=[
                (name, label)
                for name, label, wide_only in COURSE_LINKS
                if wide or not wide_only
            ],
            history=list(audit_history_for(instance=course, limit=30)),
            # The levels of trainings/services/support.py, shown where they apply.
            support_levels=support.LEVELS,
        )
        return ctx
