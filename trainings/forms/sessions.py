"""Forms of the session screens: a session scheduled or edited (a date and the start and
end times, typed dd/mm/yyyy and HH:MM), cancelled with a reason, and the filters of the
upcoming sessions and of the calendar.

Forms check the shape of the input; the services check the rules (capacity below the
places taken, the commune of the village, a session no longer scheduled) and their
ValidationErrors land on these forms (``add_session_errors`` puts ``starts_at`` on the
date and ``ends_at`` on the end time).
"""

import re
from datetime import date, datetime, timedelta

from crispy_forms.layout import Column, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import _friendly_empty_choices, _helper, date_field
from households.views._common import add_service_errors

from ..models import Session, Topic

TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%H"]
# The upcoming list shows this many days from today unless the user picks a period.
DEFAULT_DAYS = 30
# A longer period is refused: the list and its export stay bounded.
MAX_PERIOD_DAYS = 366
# A new session starts at 08:00 and ends at 11:00 unless the official types otherwise.
DEFAULT_START, DEFAULT_END = "08:00", "11:00"
DEFAULT_CAPACITY = 30


def _label(name: str) -> str:
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(Session._meta.get_field(name).verbose_name)


def _time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(
            format="%H:%M",
            attrs={"placeholder": "HH:MM", "inputmode": "numeric"},
        ),
        help_text=_("24-hour clock, e.g. 14:30"),
    )


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class SessionForm(forms.Form):
    day = date_field(_("Date"))
    start_time = _time_field(_("Starts at (hour:minute)"))
    end_time = _time_field(_("Ends at (hour:minute)"))
    village = VillageChoiceField(
        label=_label("village"),
        queryset=None,
        help_text=_("The village where the session is held."),
    )
    place = forms.CharField(
        label=_label("place"),
        max_length=200,
        help_text=Session._meta.get_field("place").help_text,
    )
    capacity = forms.IntegerField(
        label=_label("capacity"),
        min_value=1,
        max_value=32767,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("More enrolments go to the waiting list."),
    )
    trainer = forms.CharField(label=_label("trainer"), max_length=200, required=False)

    def __init__(self, *args, villages, session: Session | None = None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if session is not None:
            starts = timezone.localtime(session.starts_at)
            ends = timezone.localtime(session.ends_at)
            initial.update(
                day=starts.date(),
                start_time=starts.time().replace(second=0, microsecond=0),
                end_time=ends.time().replace(second=0, microsecond=0),
                village=session.village_id,
                place=session.place,
                capacity=session.capacity,
                trainer=session.trainer,
            )
        else:
            initial.setdefault("start_time", DEFAULT_START)
            initial.setdefault("end_time", DEFAULT_END)
            initial.setdefault("capacity", DEFAULT_CAPACITY)
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        _friendly_empty_choices(self)
        self.helper = _helper(
            Row(
                Column("day", css_class="col-12 col-sm-4"),
                Column("start_time", css_class="col-6 col-sm-4"),
                Column("end_time", css_class="col-6 col-sm-4"),
            ),
            Row(
                Column("village", css_class="col-12 col-sm-6"),
                Column("capacity", css_class="col-12 col-sm-6"),
            ),
            "place",
            "trainer",
        )

    def clean_place(self):
        return " ".join(self.cleaned_data["place"].split())

    def clean_trainer(self):
        return " ".join(self.cleaned_data["trainer"].split())

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start))
            data["ends_at"] = timezone.make_aware(datetime.combine(day, end))
            if data["ends_at"] <= data["starts_at"]:
                # The database constraint's own message.
                self.add_error("end_time", _("The session must end after it starts."))
        return data

    def service_kwargs(self) -> dict:
        """What ``session_schedule`` / ``session_update`` take."""
        d = self.cleaned_data
        return {
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "village": d["village"],
            "place": d["place"],
            "capacity": d["capacity"],
            "trainer": d["trainer"],
        }


# The services name the moments; the form asks for a date and two times.
SERVICE_FIELDS = {"starts_at": "day", "ends_at": "end_time"}


def add_session_errors(form, exc: ValidationError) -> None:
    """``add_service_errors``, with ``starts_at`` on the date (a time passed, a year
    mistyped) and ``ends_at`` on the end time."""
    if hasattr(exc, "error_dict"):
        exc = ValidationError(
            {
                SERVICE_FIELDS.get(field, field): errors
                for field, errors in exc.error_dict.items()
            }
        )
    add_service_errors(form, exc)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_label("cancel_reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The villages are told this reason."),
        error_messages={"required": _("Say why the session is cancelled.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason")

    def clean_reason(self):
        return " ".join(self.cleaned_data["reason"].split())


# --- The upcoming list and the calendar --------------------------------------------


class SessionFilterForm(forms.Form):
    # The placeholders show today and today + 30 days, in dd/mm/yyyy.
    start = date_field(_("From"), required=False, help_text="")
    end = date_field(_("To"), required=False, help_text="")
    village = VillageChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any topic")), *Topic.choices]
    )

    def __init__(self, *args, villages, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["village"].queryset = villages
        self.fields["start"].widget.attrs["placeholder"] = f"{today:%d/%m/%Y}"
        self.fields["end"].widget.attrs["placeholder"] = (
            f"{today + timedelta(days=DEFAULT_DAYS):%d/%m/%Y}"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Choose a period of at most a year."))
        return data

    def values(self) -> dict:
        """start, end (days, both included), village, topic: the valid filters; an
        invalid field falls back to its default on its own and its error is shown."""
        d = {}
        if self.is_bound:
            self.is_valid()
            d = self.cleaned_data
        start = d.get("start") or self.today
        end = d.get("end") or start + timedelta(days=DEFAULT_DAYS)
        if end < start or (end - start).days > MAX_PERIOD_DAYS:
            end = start + timedelta(days=DEFAULT_DAYS)
        return {
            "start": start,
            "end": end,
            "village": d.get("village"),
            "topic": d.get("topic") or "",
        }


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class CalendarFilterForm(forms.Form):
    month = forms.CharField(required=False, max_length=7, widget=forms.HiddenInput)
    # Drawn by hand next to its button (an input group), so it carries its own class.
    village = VillageChoiceField(
        label=_("Village"),
        queryset=None,
        required=False,
        empty_label=_("All villages"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, villages, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["village"].queryset = villages

    def clean_month(self):
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        match = _MONTH.match(text)
        if (
            not match
            or not 1 <= int(match[2]) <= 12
            or not 2000 <= int(match[1]) < 2100
        ):
            raise ValidationError(_("That is not a month."))
        return int(match[1]), int(match[2])

    def values(self) -> tuple[int, int, object]:
        """(year, month, village); this month when none or an invalid one is given."""
        d = {}
        if self.is_bound:
            self.is_valid()
            d = self.cleaned_data
        year, month = d.get("month") or (self.today.year, self.today.month)
        return year, month, d.get("village")
