"""Forms of the village-group screens: the list's search and filters, and adding or
editing a group.

The form checks the shape of the input; the service checks and normalises the address
for the channel (digits for Zalo, Vietnamese mobiles for SMS, e-mail addresses), the
actor's villages and duplicates, and its ValidationError lands on these fields.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import (
    _allow_spaced_input,
    _friendly_empty_choices,
    _helper,
)

from ..models import GroupChannel, VillageGroup
from ..selectors import GroupFilters
from ..selectors.groups import ACTIVE, INACTIVE

ADDRESS_INPUT_MAX = 2000
# The order an official picks from: the usual channels first, the developer's last.
CHANNEL_ORDER = (
    GroupChannel.ZALO,
    GroupChannel.RELAY,
    GroupChannel.SMS,
    GroupChannel.EMAIL,
    GroupChannel.CONSOLE,
)


def _channel_choices() -> list[tuple[str, str]]:
    return [(c.value, capfirst(c.label)) for c in CHANNEL_ORDER]


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class VillageGroupFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("group or village name"), "type": "search"}
        ),
    )
    village = VillageChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    active = forms.ChoiceField(
        label=_("Active"),
        required=False,
        choices=[
            ("", _("Active and switched off")),
            (ACTIVE, _("Active only")),
            (INACTIVE, _("Switched off only")),
        ],
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["channel"].choices = [("", _("All channels")), *_channel_choices()]

    def to_filters(self) -> GroupFilters:
        """A value outside the choices (another village) is dropped on its own."""
        if not self.is_bound:
            return GroupFilters()
        self.is_valid()
        data = self.cleaned_data
        return GroupFilters(
            q=(data.get("q") or "").strip(),
            village=data.get("village"),
            channel=data.get("channel") or "",
            active=data.get("active") or "",
        )


class VillageGroupForm(forms.ModelForm):
    """Village, channel, name and address. ``is_active`` has its own buttons."""

    village = VillageChoiceField(queryset=None)

    class Meta:
        model = VillageGroup
        fields = ("village", "channel", "name", "external_id")
        widgets = {
            "channel": forms.RadioSelect,
            "external_id": forms.Textarea(
                attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}
            ),
        }
        help_texts = {
            "external_id": _(
                "Zalo: the group id (digits). SMS: mobile numbers separated by commas. "
                "E-mail: addresses separated by commas. Relay and console: leave empty."
            ),
        }

    def __init__(self, *args, villages, used: bool = False, **kwargs):
        """``used``: a notice went to the group, so its village and channel are shown
        but cannot be changed (the service refuses it too)."""
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        village.queryset = villages
        village.label = capfirst(VillageGroup._meta.get_field("village").verbose_name)
        self.fields["channel"].choices = _channel_choices()
        self.fields["external_id"].required = False
        # The service checks the stored (normalised) form against the column's length;
        # "+84 912 345 678, " typed by hand is longer than what is stored.
        _allow_spaced_input(self.fields["external_id"], max_length=ADDRESS_INPUT_MAX)
        _friendly_empty_choices(self)
        if used:
            self.fields["village"].disabled = True
            self.fields["channel"].disabled = True
        self.helper = _helper(
            Row(
                Column("village", css_class="col-md-6"),
                Column("name", css_class="col-md-6"),
            ),
            "channel",
            "external_id",
        )

    def _post_clean(self):
        # The service checks the address and duplicates with clearer messages than the
        # model's generic ones; the model instance is not saved by this form.
        pass
