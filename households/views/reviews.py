"""Poverty review screens: recording a household's yearly review and correcting a recorded
one, both in two steps on one page (propose, then save).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .. import selectors, services
from ..forms import ReviewCorrectionForm, ReviewForm
from ..models import PovertyReview, PovertyStatus
from ._common import HouseholdScopedMixin, add_service_errors


class ReviewCreateView(HouseholdScopedMixin, FormView):
    """Two steps on one page: "Propose" shows the status the standard gives and why;
    "Save" records it (or the official's override, with its reason)."""

    allow_archived = False

    template_name = "households/review_form.html"

    def get_form(self, form_class=None):
        return ReviewForm(
            self.request.POST or None,
            year=self.default_year(),
            initial={"year": self.default_year()},
        )

    def default_year(self) -> int:
        return timezone.localdate().year

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            standard, proposal = services.poverty_review_propose(
                household=self.household,
                year=d["year"],
                income_per_person=d["income_per_person"],
                deprivations=d["deprivations"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        if self.request.POST.get("action") != "save":
            return self.render_to_response(
                self.get_context_data(form=form, proposal=proposal, standard=standard)
            )
        try:
            review = services.poverty_review_record(
                actor=self.request.user,
                household=self.household,
                year=d["year"],
                income_per_person=d["income_per_person"],
                deprivations=d["deprivations"],
                status=d["status"] or None,
                override_reason=d["override_reason"],
                notes=d["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(
                self.get_context_data(form=form, proposal=proposal, standard=standard)
            )
        messages.success(
            self.request,
            _("The %(year)s review was recorded: %(status)s.")
            % {"year": review.year, "status": PovertyStatus(review.status).label},
        )
        return redirect(self.household)


class ReviewUpdateView(HouseholdScopedMixin, FormView):
    """Correct a recorded review: the same propose-then-save steps, plus a reason."""

    template_name = "households/review_form.html"
    allow_archived = False

    def get_review(self) -> PovertyReview:
        return selectors.review_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["review_pk"],
        )

    def get_form(self, form_class=None):
        review = self.get_review()
        initial = {
            "year": review.year,
            "income_per_person": review.income_per_person,
            "deprivations": list(review.deprivations.all()),
            "status": review.status if review.is_overridden else "",
            "override_reason": review.override_reason,
            "notes": review.notes,
        }
        return ReviewCorrectionForm(
            self.request.POST or None, review=review, initial=initial
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["review"] = self.get_review()
        return ctx

    def form_valid(self, form):
        review = self.get_review()
        d = form.cleaned_data
        try:
            standard, proposal = services.poverty_review_propose(
                household=self.household,
                year=review.year,
                income_per_person=d["income_per_person"],
                deprivations=d["deprivations"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        context = self.get_context_data(form=form, proposal=proposal, standard=standard)
        if self.request.POST.get("action") != "save":
            return self.render_to_response(context)
        try:
            services.poverty_review_correct(
                actor=self.request.user,
                review=review,
                income_per_person=d["income_per_person"],
                deprivations=d["deprivations"],
                status=d["status"] or None,
                override_reason=d["override_reason"],
                notes=d["notes"],
                reason=d["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(context)
        messages.success(
            self.request,
            _("The %(year)s review was corrected.") % {"year": review.year},
        )
        return redirect(self.household)
