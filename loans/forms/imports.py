"""The disbursement list import: the upload, and the official's decision on a preview.

The form checks only that a file was chosen; the service reads it and refuses a file it
cannot trust (too large, not an .xlsx, missing columns, too many rows), and its
ValidationError lands on the form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from households.forms._common import _helper

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DisbursementImportForm(forms.Form):
    file = forms.FileField(
        label=_("Disbursement list (.xlsx)"),
        help_text=_("The bank's list copied into the template, values only."),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file")


class DisbursementDecisionForm(forms.Form):
    """The button pressed on the preview: save every row, or drop the list."""

    CONFIRM, DISCARD = "confirm", "discard"
    action = forms.ChoiceField(
        choices=[(CONFIRM, _("Confirm and save")), (DISCARD, _("Discard"))]
    )
