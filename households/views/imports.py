"""Review list import screens: uploading a filled-in review list, downloading the blank
template, and the preview where the uploader applies or discards the batch.

The preview lists a poverty status beside each household code; it stays open at its URL
after the reviews are saved, when those are the registry's statuses. Each view of it that
shows one is a read audit entry (also each refresh while saving: each is shown again).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from eakutur.audit.models import SensitiveField
from eakutur.audit.services import audit_read

from .. import selectors
from ..forms import ReviewImportForm
from ..models import ReviewImport
from ._common import StaffMixin, add_service_errors, xlsx_response


class ReviewImportView(StaffMixin, FormView):
    template_name = "households/review_import.html"
    form_class = ReviewImportForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["max_size"] = settings.IMPORT_MAX_FILE_BYTES // (1024 * 1024)
        ctx["max_rows"] = settings.IMPORT_MAX_ROWS
        ctx["recent_imports"] = selectors.review_imports_of(user=self.request.user)
        return ctx

    def form_valid(self, form):
        from ..imports import review_import_upload

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
        from ..spreadsheets import review_template_xlsx

        year = timezone.localdate().year
        return xlsx_response(
            review_template_xlsx(year=year), f"mau-ra-soat-{year}.xlsx"
        )


class ReviewImportPreviewView(StaffMixin, TemplateView):
    template_name = "households/review_import_preview.html"

    def get_batch(self) -> ReviewImport:
        return selectors.review_import_get_for(
            user=self.request.user, pk=self.kwargs["batch_pk"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = self.get_batch()
        ctx["batch"] = batch
        ctx["errors"] = batch.summary.get("errors", [])
        ctx["rows"] = batch.rows[:500]
        with_status = sum(1 for row in ctx["rows"] if row.get("final_status"))
        if with_status:
            audit_read(
                actor=self.request.user,
                instance=batch,
                fields=[SensitiveField.POVERTY_STATUS],
                details={"rows": with_status},
                note=self.request.path,
            )
        ctx["more_rows"] = max(0, len(batch.rows) - 500)
        ctx["result"] = batch.summary.get("result")
        ctx["apply_errors"] = batch.summary.get("apply_errors", [])
        ctx["list_url"] = (
            reverse("households:household_list") + f"?review_year={_year_of(batch)}"
        )
        return ctx

    def post(self, request, batch_pk):
        from ..imports import review_import_confirm, review_import_discard

        batch = self.get_batch()
        if request.POST.get("action") == "discard":
            review_import_discard(actor=request.user, batch=batch)
            messages.info(request, _("The import was discarded; nothing was changed."))
            return redirect("households:review_import")
        try:
            review_import_confirm(actor=request.user, batch=batch)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        except PermissionDenied:
            raise Http404 from None
        # The page itself says the reviews are being saved and refreshes until done.
        return HttpResponseRedirect(request.path)


def _year_of(batch: ReviewImport) -> str:
    years = {row.get("year") for row in batch.rows if row.get("year")}
    return str(years.pop()) if len(years) == 1 else str(timezone.localdate().year)
