"""The household lookup ("Tra cứu hộ của tôi") and the "my household" page.

The code and digits travel only in a POST body; a proven household lives in the session
(``session.remember_household``) for 15 minutes, never in a URL. A failed lookup gives
the same page whether the code is unknown or the digits are wrong, and every checked
or refused lookup is logged (``lookup.look_up``). Both pages carry personal data, so no
browser or proxy may keep them (``never_cache``).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from loans.eligibility import Outcome
from loans.selectors import facts_for_household

from ..forms.lookup import LookupForm
from ..lookup import loan_lines, look_up, status_text, training_lines
from ..models import AttemptOutcome
from ..programs import grouped, program_cards
from ..selectors import village_helpers
from ..session import (
    LOOKUP_MINUTES,
    LOOKUP_SESSION_KEY,
    forget_household,
    looked_up_household,
    remember_household,
)
from ._common import CommunePageMixin, client_address, remembered_village

SHOWN_OUTCOMES = (Outcome.QUALIFIES, Outcome.MAY_QUALIFY)


@method_decorator(never_cache, name="dispatch")
class LookupView(CommunePageMixin, View):
    template_name = "residents/lookup.html"

    def get(self, request):
        return self.show(LookupForm())

    def post(self, request):
        form = LookupForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        result = look_up(
            commune=self.commune,
            address=client_address(request),
            code=form.cleaned_data["code"],
            digits=form.cleaned_data["digits"],
        )
        if result.outcome == AttemptOutcome.THROTTLED:
            return throttled(request)
        if result.outcome == AttemptOutcome.NO_MATCH:
            # A blank form, not the code typed: an unknown code and wrong digits must
            # give the very same page.
            return self.show(LookupForm(), no_match=True)
        remember_household(request.session, result.household)
        return redirect("residents:my_household")

    def show(self, form, *, no_match: bool = False):
        context = {
            "form": form,
            "no_match": no_match,
            "minutes": LOOKUP_MINUTES,
            "has_household": self._has_household(),
        }
        return render(self.request, self.template_name, context)

    def _has_household(self) -> bool:
        session = self.request.session
        return looked_up_household(session, commune=self.commune) is not None


def throttled(request):
    village = remembered_village(request)
    context = {"village": village, "helpers": village_helpers(village)}
    return render(request, "residents/throttled.html", context, status=429)


@method_decorator(never_cache, name="dispatch")
class MyHouseholdView(CommunePageMixin, TemplateView):
    template_name = "residents/my_household.html"

    def dispatch(self, request, *args, **kwargs):
        had_one = LOOKUP_SESSION_KEY in request.session
        self.household = looked_up_household(request.session, commune=self.commune)
        if self.household is None:
            if had_one:
                messages.info(
                    request,
                    _(
                        "For your safety the household page closed after "
                        "%(minutes)s minutes. Look it up again to see it."
                    )
                    % {"minutes": LOOKUP_MINUTES},
                )
            return redirect("residents:lookup")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        household = self.household
        groups = grouped(program_cards(facts_for_household(household)))
        context.update(
            status=status_text(household),
            review_year=household.current_review_year,
            groups=[(o, cards) for o, cards in groups if o in SHOWN_OUTCOMES],
            loans=loan_lines(household),
            trainings=training_lines(household),
            minutes=LOOKUP_MINUTES,
        )
        return context


class LeaveView(CommunePageMixin, View):
    """ "Xong, thoát": the phone forgets the household at once."""

    def get(self, request):
        return redirect("residents:lookup")

    def post(self, request):
        if LOOKUP_SESSION_KEY in request.session:
            forget_household(request.session)
            request.session.cycle_key()
            messages.success(
                request,
                _("Done. This phone no longer shows your household's information."),
            )
        return redirect("residents:lookup")
