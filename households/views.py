"""Registry screens. Views parse input, call one selector or service, and render.

Every object is fetched through a scoped selector, so another village's household is a 404
whatever URL is typed. State changes are POST only.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from eakutur.audit.selectors import audit_history_for

from . import selectors, services
from .forms import (
    HouseholdFilterForm,
    HouseholdForm,
    MemberForm,
    ReasonForm,
    ReviewCorrectionForm,
    ReviewForm,
    ReviewImportForm,
    VillageForm,
)
from .models import PovertyReview, PovertyStatus, ReviewImport, ReviewImportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class StaffMixin(LoginRequiredMixin):
    """Every registry page needs a signed-in official."""


class HouseholdListView(StaffMixin, ListView):
    template_name = "households/household_list.html"
    context_object_name = "households"
    paginate_by = 25

    def get_filter_form(self) -> HouseholdFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = HouseholdFilterForm(
                self.request.GET or None,
                villages=selectors.villages_for(self.request.user),
            )
        return self._filter_form

    def get_queryset(self):
        return selectors.household_list_for(
            user=self.request.user, filters=self.get_filter_form().to_filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["filter_form"] = self.get_filter_form()
        ctx["querystring"] = params.urlencode()
        ctx["filtered"] = any(v for k, v in params.items() if k != "sort")
        return ctx


class HouseholdExportView(StaffMixin, View):
    def get(self, request):
        from .spreadsheets import households_xlsx

        form = HouseholdFilterForm(
            request.GET or None, villages=selectors.villages_for(request.user)
        )
        households = selectors.household_list_for(
            user=request.user, filters=form.to_filters()
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(
            households_xlsx(households=households), f"ho-gia-dinh-{stamp}.xlsx"
        )


class HouseholdCreateView(StaffMixin, FormView):
    template_name = "households/household_form.html"
    form_class = HouseholdForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["villages"] = selectors.villages_for(self.request.user)
        village = self.request.GET.get("village")
        if village and village.isdigit():
            kwargs.setdefault("initial", {})["village"] = int(village)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        if not form.check_duplicates(commune_id=data["village"].commune_id):
            return self.form_invalid(form)
        fields = {k: v for k, v in data.items() if k != "confirm_not_duplicate"}
        try:
            household = services.household_create(actor=self.request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Household %(code)s was registered.") % {"code": household.code},
        )
        return redirect(household)


class HouseholdDetailView(StaffMixin, TemplateView):
    template_name = "households/household_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        household = selectors.household_detail_for(
            user=self.request.user, pk=kwargs["pk"]
        )
        ctx["household"] = household
        ctx["history"] = audit_history_for(instance=household, limit=50)
        ctx["this_year"] = timezone.localdate().year
        ctx["reviewed_this_year"] = any(
            r.year == ctx["this_year"] for r in household.review_history
        )
        return ctx


class HouseholdScopedMixin(StaffMixin):
    """Loads ``self.household`` through the scoped selector before anything else runs.

    Views that change an active household set ``allow_archived = False``: an archived
    household is then a 404 for GET and POST alike.
    """

    allow_archived = True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.household = selectors.household_get_for(user=request.user, pk=kwargs["pk"])
        if not self.allow_archived and not self.household.is_active:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["household"] = self.household
        return ctx


class HouseholdUpdateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/household_form.html"
    form_class = HouseholdForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.household
        kwargs["villages"] = selectors.villages_for(self.request.user)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        if not form.check_duplicates(commune_id=self.household.commune_id):
            return self.form_invalid(form)
        changes = {k: data[k] for k in form.Meta.fields}
        # form.instance was mutated by ModelForm validation; reload the stored row.
        stored = selectors.household_get_for(
            user=self.request.user, pk=self.household.pk
        )
        try:
            services.household_update(
                actor=self.request.user, household=stored, **changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The household was saved."))
        return redirect(stored)


class ConfirmReasonView(HouseholdScopedMixin, FormView):
    """GET shows a confirmation page asking for a reason; POST performs the action."""

    template_name = "households/confirm_reason.html"
    form_class = ReasonForm
    title = ""
    button = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"], ctx["button"] = self.title, self.button
        return ctx


class HouseholdArchiveView(ConfirmReasonView):
    allow_archived = False

    def get_context_data(self, **kwargs):
        self.title = _("Archive household %(code)s") % {"code": self.household.code}
        self.button = _("Archive")
        ctx = super().get_context_data(**kwargs)
        ctx["explanation"] = _(
            "The household leaves the active registry but its history is kept. "
            "It can be restored."
        )
        return ctx

    def form_valid(self, form):
        services.household_archive(
            actor=self.request.user,
            household=self.household,
            reason=form.cleaned_data["reason"],
        )
        messages.success(self.request, _("The household was archived."))
        return redirect(self.household)


class HouseholdRestoreView(HouseholdScopedMixin, View):
    def post(self, request, pk):
        services.household_restore(actor=request.user, household=self.household)
        messages.success(request, _("The household was restored."))
        return redirect(self.household)


class MemberCreateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/member_form.html"
    form_class = MemberForm

    def get_initial(self):
        return {"ethnic_group": self.household.ethnic_group_id}

    def form_valid(self, form):
        try:
            services.member_add(
                actor=self.request.user, household=self.household, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added to the household.")
            % {"name": form.cleaned_data["full_name"]},
        )
        return redirect(self.household)


class MemberUpdateView(HouseholdScopedMixin, FormView):
    allow_archived = False
    template_name = "households/member_form.html"
    form_class = MemberForm

    def get_member(self):
        if not hasattr(self, "_member"):
            self._member = selectors.member_get_for(
                user=self.request.user,
                household=self.household,
                pk=self.kwargs["member_pk"],
            )
        return self._member

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_member()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member"] = self.get_member()
        return ctx

    def form_valid(self, form):
        member = selectors.member_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["member_pk"],
        )
        changes = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.member_update(actor=self.request.user, member=member, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was saved."))
        return redirect(self.household)


class MemberRemoveView(ConfirmReasonView):
    allow_archived = False

    def get_member(self):
        return selectors.member_get_for(
            user=self.request.user,
            household=self.household,
            pk=self.kwargs["member_pk"],
        )

    def get_context_data(self, **kwargs):
        member = self.get_member()
        self.title = _("Remove %(name)s from the household") % {
            "name": member.full_name
        }
        self.button = _("Remove member")
        ctx = super().get_context_data(**kwargs)
        ctx["explanation"] = _(
            "The person is no longer counted as a member; the record and its history are kept."
        )
        return ctx

    def form_valid(self, form):
        try:
            services.member_remove(
                actor=self.request.user,
                member=self.get_member(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The member was removed."))
        return redirect(self.household)


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


class VillageListView(StaffMixin, TemplateView):
    template_name = "households/village_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["villages"] = selectors.village_list_for(user=self.request.user)
        ctx["statuses"] = PovertyStatus
        return ctx


class CommuneWideMixin(StaffMixin):
    """Pages that change the commune's own set-up: commune admins and officials only."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_commune_wide:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class VillageCreateView(CommuneWideMixin, FormView):
    template_name = "households/village_form.html"
    form_class = VillageForm

    def form_valid(self, form):
        try:
            village = services.village_create(
                actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s was added.") % {"name": village.name}
        )
        return redirect(village)


class VillageUpdateView(CommuneWideMixin, FormView):
    template_name = "households/village_form.html"
    form_class = VillageForm

    def get_village(self):
        return selectors.village_get_for(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_village()
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["village"] = self.get_village()
        return ctx

    def form_valid(self, form):
        village = self.get_village()
        changes = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.village_update(actor=self.request.user, village=village, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The village was saved."))
        return redirect(village)


class VillageDetailView(StaffMixin, TemplateView):
    template_name = "households/village_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        village = selectors.village_get_for(user=self.request.user, pk=kwargs["pk"])
        counts = selectors.village_status_counts(village=village)
        ctx["village"] = village
        ctx["status_rows"] = [
            (value, label, counts.get(value, 0))
            for value, label in PovertyStatus.choices
        ]
        ctx["unreviewed"] = counts.get("", 0)
        ctx["total"] = sum(counts.values())
        ctx["officers"] = village.officers.filter(is_active=True).order_by("full_name")
        ctx["history"] = audit_history_for(instance=village, limit=20)
        return ctx


class ReviewImportView(StaffMixin, FormView):
    template_name = "households/review_import.html"
    form_class = ReviewImportForm

    def form_valid(self, form):
        from .imports import review_import_upload

        try:
            batch = review_import_upload(
                actor=self.request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect("households:review_import_preview", batch_pk=batch.pk)


class ReviewImportTemplateView(StaffMixin, View):
    def get(self, request):
        from .spreadsheets import review_template_xlsx

        year = timezone.localdate().year
        return xlsx_response(
            review_template_xlsx(year=year), f"mau-ra-soat-{year}.xlsx"
        )


class ReviewImportPreviewView(StaffMixin, TemplateView):
    template_name = "households/review_import_preview.html"

    def get_batch(self) -> ReviewImport:
        # Only the uploader sees their batch; anyone else gets a 404.
        return get_object_or_404(
            ReviewImport, pk=self.kwargs["batch_pk"], uploaded_by=self.request.user
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = self.get_batch()
        ctx["batch"] = batch
        ctx["errors"] = batch.summary.get("errors", [])
        ctx["rows"] = batch.rows[:500]
        ctx["more_rows"] = max(0, len(batch.rows) - 500)
        return ctx

    def post(self, request, batch_pk):
        from .imports import review_import_apply

        batch = self.get_batch()
        if request.POST.get("action") == "discard":
            if batch.status == ReviewImportStatus.PREVIEWED:
                batch.status = ReviewImportStatus.DISCARDED
                batch.save(update_fields=["status"])
            messages.info(request, _("The import was discarded; nothing was changed."))
            return redirect("households:review_import")
        try:
            result = review_import_apply(actor=request.user, batch=batch)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        except PermissionDenied:
            raise Http404 from None
        messages.success(
            request,
            _("Import finished: %(created)s reviews recorded, %(unchanged)s unchanged.")
            % result,
        )
        return redirect(
            reverse("households:household_list") + f"?review_year={_year_of(batch)}"
        )


def _year_of(batch: ReviewImport) -> str:
    years = {row.get("year") for row in batch.rows if row.get("year")}
    return str(years.pop()) if len(years) == 1 else str(timezone.localdate().year)
