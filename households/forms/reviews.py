"""Poverty review forms: the yearly review, its correction (year fixed, reason required),
and the upload of a filled-in review list.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import DeprivationIndicator, PovertyStatus
from ..selectors import indicators_for_year
from ._common import VNDField, _helper


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    """Each indicator with what being deprived in it means, so the official need not
    look the criteria up."""

    def label_from_instance(self, obj) -> str:
        return f"{obj} — {obj.description}" if obj.description else str(obj)


class ReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Review year"), min_value=2000)
    income_per_person = VNDField(
        label=_("Income per person per month (VND)"),
        error_messages={"min_value": _("Income cannot be below zero.")},
        help_text=_("Whole đồng, e.g. 1.200.000"),
    )
    deprivations = IndicatorChoiceField(
        label=_("Deprivations"),
        queryset=DeprivationIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each indicator in which the household is deprived."),
    )
    status = forms.ChoiceField(
        label=_("Status to record"),
        choices=[("", _("Accept the portal's proposal")), *PovertyStatus.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason for overriding the proposal"), max_length=300, required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        raw_year = self.data.get("year") if self.is_bound else None
        try:
            chosen = int(raw_year) if raw_year else year
        except (TypeError, ValueError):
            chosen = year
        self.fields["deprivations"].queryset = indicators_for_year(chosen)
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.helper = _helper(
            Row(
                Column("year", css_class="col-12 col-sm-4 col-md-3"),
                Column("income_per_person", css_class="col-12 col-sm-8 col-md-5"),
            ),
            "deprivations",
            Row(
                Column("status", css_class="col-md-5"),
                Column("override_reason", css_class="col-md-7"),
            ),
            "notes",
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(
                _("A review cannot be recorded for a future year.")
            )
        return year


class ReviewCorrectionForm(ReviewForm):
    """The review form for an existing review: its year is fixed, a reason is required."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=200,
        help_text=_("Kept in the change history, e.g. “income mistyped”."),
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, year=review.year, **kwargs)
        self.fields["year"].disabled = True
        self.helper.layout.append("reason")


class ReviewImportForm(forms.Form):
    file = forms.FileField(
        label=_("Review list (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("file")
