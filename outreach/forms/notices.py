"""Forms of the notice screens: compose (with its preview), the list's filters and the
small forms of the actions (approve and schedule, cancel, resend failed deliveries).

Forms check the shape of the input; the services check the rules (who may write to which
villages, a time in the past, a notice reaching no group) and their ValidationErrors land
on these forms.
"""

from datetime import datetime, timedelta

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import (
    DATE_PLACEHOLDER,
    BoundedIdsMixin,
    _friendly_empty_choices,
    _helper,
)
from households.selectors import villages_for

from ..models import Audience, Notice, NoticeStatus
from ..selectors import NoticeFilters

# A new notice goes out in ten minutes unless the official picks another time.
DEFAULT_DELAY = timedelta(minutes=10)


def _label(name: str) -> str:
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(Notice._meta.get_field(name).verbose_name)


def _default_moment() -> datetime:
    return timezone.localtime() + DEFAULT_DELAY


class VillagesField(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.name


class SendAtMixin(forms.Form):
    """A date (dd/mm/yyyy) and a time (HH:MM) in the commune's time zone, read together
    as ``scheduled_at``."""

    send_on = forms.DateField(
        label=_("Send on"),
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": DATE_PLACEHOLDER, "autocomplete": "off"},
        ),
        help_text=_("dd/mm/yyyy"),
    )
    send_time = forms.TimeField(
        label=_("at (hour:minute)"),
        input_formats=["%H:%M", "%H.%M", "%Hh%M", "%H"],
        widget=forms.TimeInput(
            format="%H:%M",
            attrs={"placeholder": "HH:MM", "inputmode": "numeric"},
        ),
        help_text=_("24-hour clock, e.g. 14:30"),
    )

    def set_default_moment(self, moment: datetime | None = None) -> None:
        moment = timezone.localtime(moment) if moment else _default_moment()
        self.fields["send_on"].initial = moment.date()
        self.fields["send_time"].initial = moment.time().replace(
            second=0, microsecond=0
        )

    def clean(self):
        data = super().clean()
        day, time = data.get("send_on"), data.get("send_time")
        if day and time:
            data["scheduled_at"] = timezone.make_aware(datetime.combine(day, time))
        return data


class NoticeComposeForm(SendAtMixin):
    title = forms.CharField(label=_label("title"), max_length=200)
    body = forms.CharField(
        label=_label("body"), widget=forms.Textarea(attrs={"rows": 6})
    )
    audience = forms.ChoiceField(
        label=_label("audience"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        initial=Audience.CHOSEN_VILLAGES,
    )
    villages = VillagesField(
        label=_label("villages"),
        queryset=None,
        required=False,
        help_text=_("Only for “chosen villages”."),
    )
    second_language = forms.CharField(
        label=_label("second_language"),
        max_length=40,
        required=False,
        help_text=Notice._meta.get_field("second_language").help_text,
    )
    body_second = forms.CharField(
        label=_label("body_second"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    second_language_villages = VillagesField(
        label=_label("second_language_villages"), queryset=None, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = villages_for(user).order_by("sort_order", "name")
        self.fields["villages"].queryset = villages
        self.fields["second_language_villages"].queryset = villages
        if not user.is_commune_wide:
            # A village officer writes for their own villages only.
            self.fields["audience"].choices = [
                (Audience.CHOSEN_VILLAGES, Audience.CHOSEN_VILLAGES.label)
            ]
            self.fields["villages"].help_text = ""
        self.set_default_moment()
        _friendly_empty_choices(self)
        self.helper = _helper(
            "title",
            "body",
            "audience",
            "villages",
            Row(
                Column("send_on", css_class="col-7 col-sm-6"),
                Column("send_time", css_class="col-5 col-sm-6"),
            ),
        )
        # The second language's fields are drawn by the template, folded away.

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_second_language(self):
        return self.cleaned_data["second_language"].strip()

    def service_kwargs(self) -> dict:
        """What ``notice_compose`` takes."""
        d = self.cleaned_data
        return {
            "title": d["title"],
            "body": d["body"],
            "audience": d["audience"],
            "villages": list(d["villages"]),
            "second_language": d["second_language"],
            "body_second": d["body_second"],
            "second_language_villages": list(d["second_language_villages"]),
            "scheduled_at": d["scheduled_at"],
        }


class NoticeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("title of the notice"), "type": "search"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *NoticeStatus.choices],
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def to_filters(self) -> NoticeFilters:
        """The valid filters; an invalid field is dropped on its own."""
        if not self.is_bound:
            return NoticeFilters()
        self.is_valid()
        d = self.cleaned_data
        return NoticeFilters(
            q=(d.get("q") or "").strip(),
            status=d.get("status") or "",
            village=d.get("village"),
        )


# --- The actions ---------------------------------------------------------------------


class NoticeScheduleForm(SendAtMixin):
    def __init__(self, *args, proposed: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposed and proposed > timezone.now():
            self.set_default_moment(proposed)
        else:
            self.set_default_moment()
        self.helper = _helper(
            Row(
                Column("send_on", css_class="col-7 col-sm-6"),
                Column("send_time", css_class="col-5 col-sm-6"),
            )
        )


class NoticeCancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_label("cancel_reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the notice is cancelled.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("cancel_reason")


class ConfirmForm(forms.Form):
    """An action with nothing to fill in: the POST itself is the confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
