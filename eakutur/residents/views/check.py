"""The eligibility questionnaire: a start page, one question per screen, the result.

The answers live in the session (``answers.CheckAnswers``), never in a URL. The result
comes only from the shared rules (``programs.program_cards`` over
``answers.facts_from_answers``): these views decide which screen to show, nothing more.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from households.models import PovertyStatus
from households.poverty import format_vnd
from households.selectors import indicators_for_year

from ..answers import STEPS, CheckAnswers, ListStatus, facts_from_answers
from ..forms.check import NEED_CHOICES, STATUS_CHOICES, STEP_FORMS, VillageForm
from ..programs import grouped, program_cards
from ..selectors import village_helpers
from ._common import (
    CommunePageMixin,
    public_villages,
    remember_village,
    remembered_village,
    village_from,
)


def _step_url(step: str) -> str:
    return reverse("residents:check_step", args=[step])


def _year() -> int:
    return timezone.localdate().year  # Asia/Ho_Chi_Minh: the commune's year


def _where_to_go(answers: CheckAnswers) -> str:
    """The first unanswered screen, or the result once everything is answered."""
    step = answers.first_unanswered()
    return _step_url(step) if step else reverse("residents:check_result")


class CheckStartView(CommunePageMixin, TemplateView):
    template_name = "residents/check_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answers = CheckAnswers.from_session(self.request.session)
        started = answers.village is not None or answers.status is not None
        context["started"] = started
        if started:
            context["continue_url"] = _where_to_go(answers)
            context["complete"] = answers.first_unanswered() is None
        return context

    def post(self, request, *args, **kwargs):
        CheckAnswers.clear(request.session)
        return redirect(_step_url(STEPS[0]))


# The answers (status, income, ethnicity) are the household's: never kept in a cache.
@method_decorator(never_cache, name="dispatch")
class CheckStepView(CommunePageMixin, TemplateView):
    template_name = "residents/check_step.html"

    def dispatch(self, request, *args, **kwargs):
        self.step = kwargs["step"]
        if self.step not in STEP_FORMS:
            raise Http404
        self.answers = CheckAnswers.from_session(request.session)
        steps = self.answers.steps()
        first = self.answers.first_unanswered()
        # A screen that does not apply (income with a known status), or one past an
        # unanswered question, sends the resident to the question still open.
        if self.step not in steps:
            return HttpResponseRedirect(_where_to_go(self.answers))
        if first is not None and steps.index(self.step) > steps.index(first):
            return HttpResponseRedirect(_step_url(first))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None):
        kwargs = {"answers": self.answers, "year": _year()}
        if self.step == "village":
            kwargs["remembered"] = remembered_village(self.request)
            kwargs["villages"] = public_villages(self.request)
        return STEP_FORMS[self.step](data, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.apply(self.answers)
        self.answers.save(request.session)
        response = HttpResponseRedirect(self._next_url())
        if isinstance(form, VillageForm):
            remember_village(response, form.cleaned_data["village"])
        return response

    def _next_url(self) -> str:
        steps = self.answers.steps()  # the status just given may add or drop "income"
        later = steps[steps.index(self.step) + 1 :]
        return _step_url(later[0]) if later else reverse("residents:check_result")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        steps = self.answers.steps()
        number = steps.index(self.step) + 1
        context.update(
            step=self.step,
            number=number,
            total=len(steps),
            back_url=_step_url(steps[number - 2])
            if number > 1
            else reverse("residents:check_start"),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class CheckResultView(CommunePageMixin, TemplateView):
    template_name = "residents/check_result.html"

    def get(self, request, *args, **kwargs):
        self.answers = CheckAnswers.from_session(request.session)
        self.village = village_from(request, self.answers.village)
        if self.village is None and self.answers.village is not None:
            self.answers.village = None  # a village the commune has since removed
            self.answers.save(request.session)
        if self.answers.first_unanswered() is not None:
            return redirect(_where_to_go(self.answers))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year()
        facts, estimate = facts_from_answers(
            self.answers, village=self.village, year=year
        )
        cards = program_cards(facts, estimate=estimate)
        context.update(
            year=year,
            village=self.village,
            groups=grouped(cards),
            estimate=estimate,
            estimated_status=PovertyStatus(estimate.status).label if estimate else "",
            status_unknown=self.answers.status == ListStatus.UNKNOWN,
            helpers=village_helpers(self.village),
            summary=self._summary(year),
            first_step_url=_step_url(STEPS[0]),
        )
        return context

    def _summary(self, year: int) -> list[tuple[str, str, str]]:
        """(question, answer, screen) rows, so a resident sees what the result read."""
        a = self.answers
        choice = dict(STATUS_CHOICES)
        needs = dict(NEED_CHOICES)
        minority = {True: _("Yes"), False: _("No"), None: _("I'd rather not say")}
        rows = [
            (_("Village"), self.village.name, "village"),
            (_("On the list"), str(choice.get(a.status, "")), "status"),
        ]
        if a.status == ListStatus.UNKNOWN:
            ticked = [
                str(i) for i in indicators_for_year(year) if i.code in a.deprivations
            ]
            rows += [
                (_("Income a month"), format_vnd(a.household_income or 0), "income"),
                (_("Deprivations"), ", ".join(ticked) or _("none"), "income"),
            ]
        rows += [
            (_("Ethnic minority"), str(minority[a.minority]), "ethnicity"),
            (_("People"), str(a.people), "members"),
            (_("Students"), str(a.students), "members"),
            (_("Children under 6"), str(a.children_under_6), "members"),
            (_("With a disability"), str(a.with_disability), "members"),
            (_("Aged 75 or over"), str(a.elderly), "members"),
            (
                _("Farms or runs a business"),
                _("Yes") if a.farms_or_business else _("No"),
                "needs",
            ),
            (
                _("Needs"),
                ", ".join(str(needs[n]) for n in a.needs if n in needs) or _("none"),
                "needs",
            ),
        ]
        return [(q, answer, _step_url(step)) for q, answer, step in rows]
