"""Poverty review screens: recording a household's yearly review and correcting a recorded
one, both in two steps on one page (propose, then save).

The correction form opens filled with the stored review (income, deprivations, any chosen
status), which gives the household's status: its GET is a read audit entry. The form for
a new review shows nothing stored, and a proposal shows what the official typed: neither
is a read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from eakutur.audit.models import SensitiveField
from eakutur.audit.services import audit_read

from .. import selectors, services
from ..forms import ReviewCorrectionForm, ReviewForm
from ..models import PovertyReview, PovertyStatus
from ._common import HouseholdScopedMixin, add_service_errors


class _ProposeThenSaveView(HouseholdScopedMixin, FormView):
    """Two steps on one page: "Propose" shows the status the standard gives and why;
    "Save" calls ``save()`` (record or correct), whose errors land on the same page."""

    template_name = "households/review_form.html"
    allow_archived = False

    def review_year(self, form) -> int:
        return form.cleaned_data["year"]

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            standard, proposal = services.poverty_review_propose(
                household=self.household,
                year=self.review_year(form),
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
            message = self.save(form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_to_response(context)
        messages.success(self.request, message)
        return redirect(self.household)


class ReviewCreateView(_ProposeThenSaveView):
    """Record a household's review of a year (this year by default)."""

    def get_form(self, form_class=None):
        year = timezone.localdate().year
        return ReviewForm(self.request.POST or None, year=year, initial={"year": year})

    def save(self, form) -> str:
        d = form.cleaned_data
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
        return _("The %(year)s review was recorded: %(status)s.") % {
            "year": review.year,
            "status": PovertyStatus(review.status).label,
        }


class ReviewUpdateView(_ProposeThenSaveView):
    """Correct a recorded review: the same two steps, its year fixed, plus a reason."""

    @cached_property
    def review(self) -> PovertyReview:
        return selectors.review_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["review_pk"],
        )

    def review_year(self, form) -> int:
        return self.review.year

    def get(self, request, *args, **kwargs):
        audit_read(
            actor=request.user,
            instance=self.review,
            parent=self.household,
            fields=[SensitiveField.POVERTY_STATUS],
            note=request.path,
        )
        return super().get(request, *args, **kwargs)

    def get_form(self, form_class=None):
        review = self.review
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
        ctx["review"] = self.review
        return ctx

    def save(self, form) -> str:
        d = form.cleaned_data
        services.poverty_review_correct(
            actor=self.request.user,
            review=self.review,
            income_per_person=d["income_per_person"],
            deprivations=d["deprivations"],
            status=d["status"] or None,
            override_reason=d["override_reason"],
            notes=d["notes"],
            reason=d["reason"],
        )
        return _("The %(year)s review was corrected.") % {"year": self.review.year}
