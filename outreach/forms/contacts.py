"""Forms of the contact screens: logging a contact (made for a phone: the channel, the
topics and the outcome are big buttons, the follow-up date a quick choice), the filters of
the contact list, the follow-up list and the coverage pages, and closing a follow-up.

Forms check the shape of the input; ``services.contact_log`` checks the rules (the
village scope, dates, a household for a visit or a call, the team member) and its
ValidationErrors land on these forms.
"""

from datetime import date, timedelta

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import _helper, date_field, id_field
from households.models import Household
from households.selectors import households_for, villages_for

from ..models import (
    LOGGED_CHANNELS,
    Contact,
    ContactChannel,
    ContactOutcome,
    ContactTopicChoice,
    TeamMember,
)
from ..selectors import (
    COVERAGE_PERIODS,
    DEFAULT_COVERAGE_DAYS,
    REACHED,
    SCOPE_HOUSEHOLD,
    SCOPE_VILLAGE,
    SHOW_CHOICES,
    SHOW_TO_DO,
    ContactFilters,
)

# The follow-up quick choices: days from today.
FOLLOW_UP_DAYS = {"3": 3, "7": 7, "14": 14}
FOLLOW_UP_ON_DATE = "date"


def _label(name: str) -> str:
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(Contact._meta.get_field(name).verbose_name)


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} – {obj.head_name}"


class TeamMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.team.village.name})"


# --- Logging a contact ------------------------------------------------------------------


class ContactForm(forms.Form):
    """The household comes from the search on the same page (or ``?household=``); a
    contact with the whole village names the village instead."""

    household = HouseholdChoiceField(
        label=_label("household"),
        queryset=Household.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("This household was not found among your villages.")
        },
    )
    village = VillageChoiceField(
        label=_("Village (for a contact with the whole village)"),
        queryset=None,
        required=False,
        empty_label=_("— choose —"),
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=LOGGED_CHANNELS,  # a resident's request comes from the public form
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you reached them.")},
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=ContactTopicChoice.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one topic.")},
    )
    contacted_on = date_field(_label("contacted_on"), today=True)
    outcome = forms.ChoiceField(
        label=_label("outcome"),
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        initial=ContactOutcome.INFORMED,
        error_messages={"required": _("Choose the outcome.")},
    )
    note = forms.CharField(
        label=_("Note: what was said or promised"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: will bring the loan papers on Monday."),
    )
    people_count = forms.IntegerField(
        label=_label("people_count"),
        min_value=1,
        max_value=100_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("For a meeting: how many people came."),
    )
    team_member = TeamMemberChoiceField(
        label=_label("team_member"),
        queryset=TeamMember.objects.none(),
        required=False,
        empty_label=_("— nobody else: I made it —"),
        help_text=_("The team member who made the contact, if not you."),
    )
    follow_up_in = forms.ChoiceField(
        label=_("Follow up"),
        choices=[
            ("", _("no follow-up")),
            ("3", _("in 3 days")),
            ("7", _("in a week")),
            ("14", _("in two weeks")),
            (FOLLOW_UP_ON_DATE, _("on a date")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    follow_up_on = date_field(_label("follow_up_on"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = villages_for(user).order_by("sort_order", "name")
        self.fields["village"].queryset = villages
        self.fields["household"].queryset = households_for(user).select_related(
            "village"
        )
        members = (
            TeamMember.objects.active()
            .filter(team__village__in=villages.values("pk"))
            .select_related("team__village")
            .order_by("team__village__sort_order", "full_name")
        )
        self.fields["team_member"].queryset = members
        rows = [
            Row(
                Column("contacted_on", css_class="col-12 col-sm-6"),
                Column("people_count", css_class="col-12 col-sm-6"),
            )
        ]
        if members.exists():
            rows.append("team_member")
        else:  # no digital team member in the user's villages yet
            del self.fields["team_member"]
        # The household, channel, topics, outcome, note and follow-up are drawn by the
        # template as big buttons; the helper lays out the rest.
        self.helper = _helper(*rows)

    def clean_note(self):
        return self.cleaned_data["note"].strip()

    def clean(self):
        data = super().clean()
        choice = data.get("follow_up_in") or ""
        if choice in FOLLOW_UP_DAYS:
            data["follow_up_on"] = timezone.localdate() + timedelta(
                days=FOLLOW_UP_DAYS[choice]
            )
        elif (
            choice == FOLLOW_UP_ON_DATE
            and not data.get("follow_up_on")
            and "follow_up_on" not in self.errors
        ):
            self.add_error("follow_up_on", _("Give the follow-up date."))
        # No quick choice but a date typed: the date is what the officer meant.
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "household": d.get("household"),
            "village": d.get("village"),
            "channel": d["channel"],
            "contacted_on": d["contacted_on"],
            "topics": d["topics"],
            "outcome": d["outcome"],
            "note": d.get("note", ""),
            "people_count": d.get("people_count"),
            "team_member": d.get("team_member"),
            "follow_up_on": d.get("follow_up_on"),
        }


class HouseholdSearchForm(forms.Form):
    """The household search of the log form (a plain GET, no JavaScript needed)."""

    q = forms.CharField(
        label=_("Find the household"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("name, household code or phone"),
                "type": "search",
                "autocomplete": "off",
                "class": "form-control",
            }
        ),
    )


# --- The contact list -------------------------------------------------------------------


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("name, household code or phone"), "type": "search"}
        ),
    )
    village = VillageChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    channel = forms.ChoiceField(
        label=_label("channel"),
        required=False,
        choices=[("", _("Any channel")), *ContactChannel.choices],
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[("", _("Any topic")), *ContactTopicChoice.choices],
    )
    outcome = forms.ChoiceField(
        label=_label("outcome"),
        required=False,
        choices=[
            ("", _("Any outcome")),
            (REACHED, _("household reached (any outcome but not reached)")),
            *ContactOutcome.choices,
        ],
    )
    scope = forms.ChoiceField(
        label=_("With"),
        required=False,
        choices=[
            ("", _("households and whole villages")),
            (SCOPE_HOUSEHOLD, _("one household")),
            (SCOPE_VILLAGE, _("the whole village")),
        ],
    )
    date_from = date_field(_("From"), required=False)
    date_to = date_field(_("To"), required=False)
    household = id_field(required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.order_by("sort_order", "name")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def to_filters(self) -> ContactFilters:
        """The valid filters; an invalid field is dropped on its own and its error
        shown."""
        if not self.is_bound:
            return ContactFilters()
        self.is_valid()
        d = self.cleaned_data
        return ContactFilters(
            q=(d.get("q") or "").strip(),
            village=d["village"].pk if d.get("village") else None,
            household=d.get("household"),
            channel=d.get("channel") or "",
            topic=d.get("topic") or "",
            outcome=d.get("outcome") or "",
            scope=d.get("scope") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )


# --- Follow-ups -----------------------------------------------------------------------------


class FollowUpFilterForm(forms.Form):
    village = VillageChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    mine = forms.BooleanField(label=_("Only the ones I logged"), required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.order_by("sort_order", "name")

    def values(self) -> tuple[int | None, bool]:
        if not self.is_bound or not self.is_valid():
            return None, False
        village = self.cleaned_data.get("village")
        return (village.pk if village else None), bool(self.cleaned_data.get("mine"))


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("What came of it (optional)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("note")


# --- Coverage --------------------------------------------------------------------------------


def _days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_COVERAGE_DAYS
    return days if days in COVERAGE_PERIODS else DEFAULT_COVERAGE_DAYS


class CoverageForm(forms.Form):
    """The period (30, 90 or 180 days) and, for the households behind a figure, the
    village and which households. Anything else falls back to the defaults."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(d, d) for d in COVERAGE_PERIODS],
        required=False,
    )
    village = VillageChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    show = forms.ChoiceField(
        choices=[(s, s) for s in SHOW_CHOICES], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages.order_by("sort_order", "name")

    def values(self) -> tuple[int, int | None, str]:
        """(days, village pk or None, show)."""
        if not self.is_bound:
            return DEFAULT_COVERAGE_DAYS, None, SHOW_TO_DO
        self.is_valid()
        d = self.cleaned_data
        village = d.get("village")
        return (
            _days(d.get("days")),
            village.pk if village else None,
            d.get("show") or SHOW_TO_DO,
        )


def follow_up_quick_dates(today: date) -> dict[str, date]:
    """The dates the quick choices stand for today (shown beside each choice)."""
    return {key: today + timedelta(days=n) for key, n in FOLLOW_UP_DAYS.items()}
