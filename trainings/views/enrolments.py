"""The session's page and enrolment: the roster in sign-in order with the places taken and
the waiting list, the member search (a plain GET, no JavaScript needed), enrolling a
member or a walk-in, withdrawing someone (a confirmation page), and enrolling a member
from the household page.

Every record is read through the scoped selectors: a session, household or member the
user may not see is a 404. The services check the villages again and refuse with a
translated message; the message is shown and nothing is saved.

The roster shows each trainee's support amount, which the household's poverty status and
ethnicity decide (``eligibility.support_level``): its page and its export are read audit
entries (``audit_support_read``).
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from eakutur.audit.models import AuditAction, SensitiveField
from eakutur.audit.services import audit_read
from households.selectors import household_get_for, member_get_for, villages_for
from households.views._common import add_service_errors

from .. import selectors, services
from ..forms.enrolments import (
    EnrolMemberForm,
    HouseholdEnrolForm,
    MemberSearchForm,
    WalkInForm,
)
from ..models import PLACE_HOLDING, EnrolmentStatus, SessionStatus
from ._common import (
    ENROLMENT_BADGES,
    SESSION_BADGES,
    SessionScopedMixin,
    TrainingsTabsMixin,
)

__all__ = [
    "EnrolMemberView",
    "EnrolWalkInView",
    "EnrolmentWithdrawView",
    "HouseholdEnrolView",
    "SessionDetailView",
    "enrolment_result",
    "roster_rows",
]

# How many people the search offers at most (type more of the name to narrow it).
SEARCH_LIMIT = 15
# How far ahead the household page offers sessions to enrol into.
HOUSEHOLD_ENROL_DAYS = 120


# --- What the session screens share ------------------------------------------------------


def village_ids_of(user) -> set[int]:
    return set(villages_for(user).values_list("pk", flat=True))


def may_mark_attendance(user, session, village_ids: set[int]) -> bool:
    """Commune-wide roles, and the officers of the village the session is held in."""
    return user.is_commune_wide or session.village_id in village_ids


def enrolment_open(session) -> bool:
    """Enrolment is offered until the day of the session is over (walk-ins sign up on
    the day); the service has the last word."""
    return (
        session.status != SessionStatus.CANCELLED
        and timezone.localdate(session.ends_at) >= timezone.localdate()
    )


def audit_support_read(request, session, roster, *, action=AuditAction.VIEW) -> None:
    """One read entry for a roster page or file that shows support amounts: an amount
    tells the household's status and ethnicity (4,000,000 only for a poor ethnic-minority
    household, 2,500,000 only for a near-poor one). None when no amount is shown."""
    shown = sum(1 for enrolment in roster if enrolment.support_amount)
    if shown:
        audit_read(
            actor=request.user,
            instance=session,
            action=action,
            fields=[SensitiveField.POVERTY_STATUS, SensitiveField.ETHNICITY],
            details={"rows": shown},
            note=request.path,
        )


def roster_rows(roster) -> tuple[list, list]:
    """(place holders, waiting list) of a roster, each enrolment with its badge; the
    waiting list numbered in the order it moves up."""
    holding, waiting = [], []
    for enrolment in roster:
        enrolment.badge = ENROLMENT_BADGES.get(enrolment.status, "text-bg-light")
        if enrolment.status in PLACE_HOLDING:
            holding.append(enrolment)
        elif enrolment.status == EnrolmentStatus.WAITLISTED:
            waiting.append(enrolment)
    for position, enrolment in enumerate(waiting, start=1):
        enrolment.position = position
    for number, enrolment in enumerate(holding, start=1):
        enrolment.number = number
    return holding, waiting


def waiting_position(session, enrolment) -> int | None:
    _holding, waiting = roster_rows(selectors.session_roster(session))
    return next((e.position for e in waiting if e.pk == enrolment.pk), None)


def enrolment_result(session, enrolment, *, walk_in: bool = False) -> str:
    """What the official reads after enrolling someone: registered, or on the waiting
    list at position N; for a walk-in found in the registry, who they were found as."""
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        text = _(
            "%(name)s is on the waiting list, position %(position)s: the session is "
            "full. They move up when someone withdraws."
        ) % {
            "name": enrolment.full_name,
            "position": waiting_position(session, enrolment) or "?",
        }
    else:
        text = _("%(name)s is registered.") % {"name": enrolment.full_name}
    if walk_in and enrolment.member_id is not None:
        household = enrolment.household
        found = _(
            "Found in the registry as %(name)s, household %(code)s (%(village)s); "
            "enrolled as that person."
        ) % {
            "name": enrolment.full_name,
            "code": household.code,
            "village": household.village.name,
        }
        text = f"{found} {text}"
    return text


def _refusal(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def session_url(session, *, q: str = "", anchor: str = "") -> str:
    url = reverse("trainings:session_detail", args=[session.pk])
    if q:
        url += "?" + urlencode({"q": q})
    return url + (f"#{anchor}" if anchor else "")


# --- The session's page ------------------------------------------------------------------


class SessionDetailView(SessionScopedMixin, TemplateView):
    template_name = "trainings/session_detail.html"

    @cached_property
    def search_form(self) -> MemberSearchForm:
        return MemberSearchForm(self.request.GET or None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, session = self.request.user, self.session
        village_ids = village_ids_of(user)
        roster = list(selectors.session_roster(session))
        audit_support_read(self.request, session, roster)
        holding, waiting = roster_rows(roster)
        open_ = enrolment_open(session)
        for enrolment in roster:
            enrolment.can_withdraw = (
                open_
                and enrolment.status
                in (EnrolmentStatus.REGISTERED, EnrolmentStatus.WAITLISTED)
                and (user.is_commune_wide or enrolment.village_id in village_ids)
            )
        query = self.search_form.query() if open_ else ""
        results, more = [], False
        if query:
            results = list(selectors.member_search_for(user, query)[: SEARCH_LIMIT + 1])
            more = len(results) > SEARCH_LIMIT
            results = results[:SEARCH_LIMIT]
            enrolled = {e.member_id for e in roster if e.member_id}
            for member in results:
                member.already_enrolled = member.pk in enrolled
        villages = villages_for(user)
        walk_in_form = WalkInForm(
            villages=villages,
            initial={"village": session.village_id}
            if session.village_id in village_ids
            else {},
        )
        started = session.starts_at <= timezone.now()
        ctx.update(
            session_badge=SESSION_BADGES.get(session.status, "text-bg-light"),
            holding=holding,
            waiting=waiting,
            places_taken=len(holding),
            places_left=max(session.capacity - len(holding), 0),
            attended_count=sum(
                1 for e in holding if e.status == EnrolmentStatus.ATTENDED
            ),
            absent_count=sum(1 for e in holding if e.status == EnrolmentStatus.ABSENT),
            enrolment_open=open_ and bool(village_ids),
            search_form=self.search_form,
            query=query,
            results=results,
            more_results=more,
            walk_in_form=walk_in_form,
            can_mark=may_mark_attendance(user, session, village_ids)
            and session.status != SessionStatus.CANCELLED,
            started=started,
            is_cancelled=session.status == SessionStatus.CANCELLED,
        )
        return ctx


# --- Enrolling ---------------------------------------------------------------------------


class EnrolMemberView(SessionScopedMixin, View):
    """POST from a search result's "Enrol" button."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = EnrolMemberForm(request.POST)
        query = request.POST.get("q", "")[:100]
        if not form.is_valid():
            raise Http404
        household = household_get_for(
            user=request.user, pk=form.cleaned_data["household"], include_archived=False
        )
        member = member_get_for(
            user=request.user, household=household, pk=form.cleaned_data["member"]
        )
        try:
            enrolment = services.enrol_member(
                actor=request.user, session=self.session, member=member
            )
        except ValidationError as exc:
            _refusal(request, exc)
            return redirect(session_url(self.session, q=query, anchor="enrol"))
        messages.success(request, enrolment_result(self.session, enrolment))
        return redirect(session_url(self.session, anchor="roster"))


class EnrolWalkInView(SessionScopedMixin, FormView):
    """A person not found by the search: the service looks for them in the registry
    first and enrols the member it finds, else records a walk-in."""

    template_name = "trainings/enrol_walk_in.html"
    form_class = WalkInForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["villages"] = villages_for(self.request.user)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        if villages_for(self.request.user).filter(pk=self.session.village_id).exists():
            initial["village"] = self.session.village_id
        return initial

    def form_valid(self, form):
        try:
            enrolment = services.enrol_walk_in(
                actor=self.request.user, session=self.session, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, enrolment_result(self.session, enrolment, walk_in=True)
        )
        return redirect(session_url(self.session, anchor="roster"))


class EnrolmentWithdrawView(SessionScopedMixin, TemplateView):
    """GET asks to confirm; POST withdraws. The first on the waiting list moves up, and
    the message names them."""

    template_name = "trainings/enrol_withdraw.html"

    @cached_property
    def roster(self) -> list:
        return list(selectors.session_roster(self.session))

    @cached_property
    def enrolment(self):
        pk = self.kwargs["enrolment_pk"]
        found = next((e for e in self.roster if e.pk == pk), None)
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        roster_rows(self.roster)
        ctx["enrolment"] = self.enrolment
        ctx["withdrawable"] = self.enrolment.status in (
            EnrolmentStatus.REGISTERED,
            EnrolmentStatus.WAITLISTED,
        )
        return ctx

    def post(self, request, *args, **kwargs):
        enrolment = self.enrolment
        _holding, waiting_before = roster_rows(self.roster)
        try:
            services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
        except ValidationError as exc:
            _refusal(request, exc)
            return redirect(session_url(self.session, anchor="roster"))
        except PermissionDenied:
            raise Http404 from None
        text = _("%(name)s was withdrawn.") % {"name": enrolment.full_name}
        if waiting_before:
            after = {e.pk: e for e in selectors.session_roster(self.session)}
            moved = [
                after[e.pk].full_name
                for e in waiting_before
                if e.pk in after and after[e.pk].status == EnrolmentStatus.REGISTERED
            ]
            if moved:
                text += " " + _("%(names)s moved up from the waiting list.") % {
                    "names": ", ".join(moved)
                }
        messages.success(request, text)
        return redirect(session_url(self.session, anchor="roster"))


# --- Enrolling from the household page ---------------------------------------------------


class HouseholdEnrolView(TrainingsTabsMixin, FormView):
    """The upcoming sessions the user may enrol into, the courses recommended for the
    household's loans first; choose the member and the session, one tap to enrol."""

    template_name = "trainings/enrol_household.html"
    form_class = HouseholdEnrolForm
    trainings_tab = "sessions"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.household = household_get_for(
            user=request.user, pk=kwargs["household_pk"], include_archived=False
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def members(self) -> list:
        return list(self.household.members.active().order_by("birth_year", "pk"))

    @cached_property
    def sessions(self) -> list:
        today = timezone.localdate()
        now = timezone.now()
        sessions = selectors.upcoming_sessions_for(
            self.request.user,
            start=today,
            end=today + timedelta(days=HOUSEHOLD_ENROL_DAYS),
        )
        recommended = {c.pk for c in selectors.courses_recommended_for(self.household)}
        offered = [
            s
            for s in sessions
            if s.status == SessionStatus.SCHEDULED and s.ends_at > now
        ]
        for session in offered:
            session.recommended = session.course_id in recommended
        return sorted(offered, key=lambda s: (not s.recommended, s.starts_at, s.pk))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["members"] = self.members
        kwargs["sessions"] = self.sessions
        course = self.request.GET.get("course", "")
        first = next(
            (s for s in self.sessions if str(s.course_id) == course and course), None
        )
        if first is not None:
            kwargs.setdefault("initial", {})["session"] = first.pk
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        chosen = form["session"].value()
        ctx.update(
            household=self.household,
            members=self.members,
            sessions=self.sessions,
            chosen_session=str(chosen) if chosen else "",
            chosen_member=str(form["member"].value() or ""),
            enrol_days=HOUSEHOLD_ENROL_DAYS,
        )
        return ctx

    def form_valid(self, form):
        session = form.cleaned_data["session"]
        try:
            enrolment = services.enrol_member(
                actor=self.request.user,
                session=session,
                member=form.cleaned_data["member"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, enrolment_result(session, enrolment))
        return redirect(self.household)
