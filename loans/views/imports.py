"""The bank's disbursement list: uploading it, downloading the blank template, and the
preview where the uploader confirms (every new loan saved, in this request) or discards.
Commune-wide officials only; a batch is seen by its uploader only (404 for anyone else).
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from households.poverty import format_vnd
from households.views._common import CommuneWideMixin, add_service_errors, xlsx_response

from .. import selectors
from ..forms.imports import DisbursementDecisionForm, DisbursementImportForm
from ..imports import disbursement_template_xlsx, max_rows
from ..models import DisbursementImport, DisbursementImportStatus, Purpose
from ..services.disbursements import (
    disbursement_import_confirm,
    disbursement_import_discard,
    disbursement_import_upload,
)

ROWS_SHOWN = 500  # per table of the preview; the counts cover every row
ERRORS_SHOWN = 200


class DisbursementImportView(CommuneWideMixin, FormView):
    template_name = "loans/disbursement_import.html"
    form_class = DisbursementImportForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["max_size"] = settings.IMPORT_MAX_FILE_BYTES // (1024 * 1024)
        ctx["max_rows"] = max_rows()
        ctx["recent_imports"] = selectors.disbursement_imports_of(
            user=self.request.user
        )
        return ctx

    def form_valid(self, form):
        try:
            batch = disbursement_import_upload(
                actor=self.request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect("loans:disbursement_import_preview", batch_pk=batch.pk)


class DisbursementTemplateView(CommuneWideMixin, View):
    def get(self, request):
        content = disbursement_template_xlsx(user=request.user)
        return xlsx_response(content, "mau-danh-sach-giai-ngan.xlsx")


def _shown(rows: list[dict]) -> list[dict]:
    """Rows for the page, with their dates as dates (the batch keeps ISO text)."""
    return [
        {
            **row,
            "purpose_label": Purpose(row["purpose"]).label if row["purpose"] else "",
            "disbursed_date": _day(row.get("disbursed_on")),
            "due_date": _day(row.get("due_on")),
        }
        for row in rows[:ROWS_SHOWN]
    ]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class DisbursementPreviewView(CommuneWideMixin, TemplateView):
    template_name = "loans/disbursement_preview.html"

    def get_batch(self) -> DisbursementImport:
        return selectors.disbursement_import_get_for(
            user=self.request.user, pk=self.kwargs["batch_pk"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        batch = self.get_batch()
        new = [r for r in batch.rows if r.get("outcome") == "new"]
        recorded = [r for r in batch.rows if r.get("outcome") == "recorded"]
        errors = batch.summary.get("errors", [])
        applied = batch.status == DisbursementImportStatus.APPLIED
        ctx.update(
            batch=batch,
            summary=batch.summary,
            errors=errors[:ERRORS_SHOWN],
            more_errors=max(0, len(errors) - ERRORS_SHOWN),
            sections=[
                {
                    "id": "new-rows",
                    "title": _("Recorded by this list")
                    if applied
                    else _("To be saved"),
                    "count": len(new),
                    "rows": _shown(new),
                    "more": max(0, len(new) - ROWS_SHOWN),
                },
                {
                    "id": "recorded-rows",
                    "title": _("Already recorded (skipped)"),
                    "count": len(recorded),
                    "rows": _shown(recorded),
                    "more": max(0, len(recorded) - ROWS_SHOWN),
                },
            ],
            result=batch.summary.get("result"),
            apply_errors=batch.summary.get("apply_errors", []),
            can_confirm=(
                batch.status == DisbursementImportStatus.PREVIEWED and not errors
            ),
        )
        return ctx

    def post(self, request, batch_pk):
        batch = self.get_batch()
        form = DisbursementDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose whether to save or discard the list."))
            return HttpResponseRedirect(request.path)
        try:
            if form.cleaned_data["action"] == form.DISCARD:
                disbursement_import_discard(actor=request.user, batch=batch)
                messages.info(
                    request, _("The list was discarded; nothing was changed.")
                )
                return redirect("loans:disbursement_import")
            was = batch.status
            batch = disbursement_import_confirm(actor=request.user, batch=batch)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        except PermissionDenied:
            raise Http404 from None
        if batch.status == DisbursementImportStatus.FAILED:
            messages.error(
                request,
                _("Nothing was saved: some rows were refused. The reasons are below."),
            )
        elif was == DisbursementImportStatus.PREVIEWED:
            result = batch.summary["result"]
            messages.success(
                request,
                _(
                    "%(created)s loans recorded as disbursed (%(amount)s); "
                    "%(skipped)s already recorded."
                )
                % {
                    "created": result["created"],
                    "amount": format_vnd(result["amount"]),
                    "skipped": result["skipped"],
                },
            )
        return HttpResponseRedirect(request.path)
