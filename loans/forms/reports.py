"""Report forms: the village filter of the overdue list and the period report's dates.

Both are GET forms. A bad value is a message on the form, never a 500: the period report
checks each date's shape (dd/mm/yyyy, a real day), that it is not absurd (before 2000 or
after next year) and that the period does not end before it starts.
"""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from households.forms._common import date_field

from ..models import EARLIEST_DATE

EARLIEST = EARLIEST_DATE  # the first date any loan may carry


def latest_allowed() -> date:
    return date(timezone.localdate().year + 1, 12, 31)


class VillageFilterForm(forms.Form):
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def village_pk(self) -> int | None:
        """The chosen village, or None (also for a village outside the user's scope)."""
        if not self.is_bound or not self.is_valid():
            return None
        village = self.cleaned_data.get("village")
        return village.pk if village else None


class PeriodReportForm(forms.Form):
    start = date_field(_("From"), help_text="")
    end = date_field(_("To"), help_text="")
    outstanding_at = date_field(
        _("Outstanding at"),
        required=False,
        help_text=_("Principal still owed at the end of this day (default: the end)."),
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )

    def __init__(self, data=None, *, villages, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["village"].queryset = villages

    @classmethod
    def from_query(cls, query, *, villages) -> "PeriodReportForm":
        """Bound to the query string, with 1 January of this year to today when the
        dates are not given at all (so the first visit shows a report)."""
        data = query.copy()
        today = timezone.localdate()
        if "start" not in data:
            data["start"] = date(today.year, 1, 1).strftime("%d/%m/%Y")
        if "end" not in data:
            data["end"] = today.strftime("%d/%m/%Y")
        return cls(data, villages=villages)

    def _within_bounds(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is None:
            return None
        if not EARLIEST <= day <= latest_allowed():
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {
                    "first": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                    "last": date_format(latest_allowed(), "SHORT_DATE_FORMAT"),
                }
            )
        return day

    def clean_start(self):
        return self._within_bounds("start")

    def clean_end(self):
        return self._within_bounds("end")

    def clean_outstanding_at(self):
        return self._within_bounds("outstanding_at")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def report_kwargs(self) -> dict:
        """Keyword arguments for ``selectors.period_report`` (call after is_valid)."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "end": data["end"],
            "outstanding_at": data.get("outstanding_at") or data["end"],
            "village": data["village"].pk if data.get("village") else None,
        }
