"""The dashboard's filter bar: a GET form (it works without JavaScript).

A period (a month, a quarter, the first nine months, a year or custom dates), a village
of the user's own and the head of household's ethnic group. Nothing typed here can break
the page: a filter that cannot be read gets a message on its field, and the figures fall
back to the default (the whole current year, all the user's villages, every group).
"""

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from households.forms._common import date_field
from households.models import EthnicGroup, Village

from . import periods
from .periods import Period, PeriodKind

FIRST_YEAR = (
    2000  # no record of the portal is older (loans start in 2000 at the latest)
)
# The fields each kind of period reads, besides ``period`` itself.
PERIOD_FIELDS = {
    PeriodKind.MONTH: ("year", "month"),
    PeriodKind.QUARTER: ("year", "quarter"),
    PeriodKind.NINE_MONTHS: ("year",),
    PeriodKind.YEAR: ("year",),
    PeriodKind.CUSTOM: ("start", "end"),
}
ALL_PERIOD_FIELDS = ("year", "month", "quarter", "start", "end")


def default_period(today: date) -> Period:
    return periods.whole_year(today.year)


def last_year_allowed(today: date) -> int:
    return today.year + 1


class DashboardFilterForm(forms.Form):
    # Not "required": from_query fills every gap, and a filter bar needs no asterisks.
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            (PeriodKind.YEAR, _("Year")),
            (PeriodKind.NINE_MONTHS, _("First nine months")),
            (PeriodKind.QUARTER, _("Quarter")),
            (PeriodKind.MONTH, _("Month")),
            (PeriodKind.CUSTOM, _("Custom dates")),
        ],
        error_messages={"invalid_choice": _("Choose a kind of period from the list.")},
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=[(n, n) for n in range(1, 13)],
        error_messages={"invalid_choice": _("Choose a month from 1 to 12.")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(n, n) for n in range(1, 5)],
        error_messages={"invalid_choice": _("Choose a quarter from 1 to 4.")},
    )
    start = date_field(_("From"), required=False, help_text="")
    end = date_field(_("To"), required=False, help_text="")
    village = forms.ChoiceField(
        label=_("Village"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "This village is not one of yours: the figures cover all your villages."
            )
        },
    )
    ethnic_group = forms.ChoiceField(
        label=_("Ethnic group of the head"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Choose an ethnic group from the list: the figures cover every group."
            )
        },
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        villages: list[Village],
        ethnic_groups: list[EthnicGroup],
        today: date,
    ):
        super().__init__(data)
        self.today = today
        self.villages_by_pk = {str(v.pk): v for v in villages}
        self.groups_by_pk = {str(g.pk): g for g in ethnic_groups}
        years = range(last_year_allowed(today), FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(y, y) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "Choose a year between %(first)s and %(last)s."
        ) % {"first": FIRST_YEAR, "last": last_year_allowed(today)}
        self.fields["village"].choices = [("", _("All villages"))] + [
            (str(v.pk), v.name) for v in villages
        ]
        self.fields["ethnic_group"].choices = [("", _("All ethnic groups"))] + [
            (str(g.pk), str(g)) for g in ethnic_groups
        ]

    @classmethod
    def from_query(cls, query: QueryDict, **kwargs) -> "DashboardFilterForm":
        """Bound to the query string with the gaps filled: the current year (and month,
        quarter) when not given. Fields the chosen kind of period does not read are reset,
        so a stray value there cannot spoil a valid period."""
        today = kwargs["today"]
        data = query.copy()
        kind = data.get("period") or PeriodKind.YEAR
        data["period"] = kind
        defaults = {
            "year": str(today.year),
            "month": str(today.month),
            "quarter": str((today.month - 1) // 3 + 1),
            "start": "",
            "end": "",
        }
        read = PERIOD_FIELDS.get(kind, ALL_PERIOD_FIELDS)
        for name, value in defaults.items():
            if name not in read or not data.get(name, "").strip():
                data[name] = value
        return cls(data, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if data.get("period") == PeriodKind.CUSTOM:
            for name, day in (("start", start), ("end", end)):
                if name not in self.errors and day is None:
                    self.add_error(name, _("Enter a date as dd/mm/yyyy."))
        for name, day in (("start", start), ("end", end)):
            if day is not None and not FIRST_YEAR <= day.year <= last_year_allowed(
                self.today
            ):
                self.add_error(
                    name, self.fields["year"].error_messages["invalid_choice"]
                )
        if start and end and end < start and "start" not in self.errors:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    # --- What the page counts (call after is_valid()) -------------------------------

    def period_was_read(self) -> bool:
        kind = self.data.get("period")
        names = ("period", *PERIOD_FIELDS.get(kind, ALL_PERIOD_FIELDS))
        return not any(name in self.errors for name in names)

    def chosen_period(self) -> Period:
        """The period asked for, or the default one if it could not be read."""
        if not self.period_was_read():
            return default_period(self.today)
        data = self.cleaned_data
        kind = data["period"]
        if kind == PeriodKind.MONTH:
            return periods.month(data["year"], data["month"])
        if kind == PeriodKind.QUARTER:
            return periods.quarter(data["year"], data["quarter"])
        if kind == PeriodKind.NINE_MONTHS:
            return periods.nine_months(data["year"])
        if kind == PeriodKind.CUSTOM:
            return periods.custom(data["start"], data["end"])
        return periods.whole_year(data["year"])

    def chosen_village(self) -> Village | None:
        """One of the user's villages, or None (all of them)."""
        return self.villages_by_pk.get(self.cleaned_data.get("village") or "")

    def chosen_ethnic_group(self) -> EthnicGroup | None:
        return self.groups_by_pk.get(self.cleaned_data.get("ethnic_group") or "")
