"""Savings-group forms: the list's search and village filter, setting up or editing a
group, and picking a household to add as a member.

The forms check the shape of the input (phone format, no future founding date); the
services check the rules that need the database (the actor's village, a duplicate name in
the village) and their ValidationError lands on the form.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.forms._common import (
    _allow_spaced_input,
    _friendly_empty_choices,
    _helper,
)
from households.text import clean_name, normalise_phone

from ..models import SavingsGroup
from ..services import GROUP_FIELDS


class GroupFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("group name or leader"), "type": "search"}
        ),
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def to_filters(self) -> dict:
        """Keyword arguments for ``savings_group_list_for``. A village outside the
        user's scope is dropped on its own; the search still applies."""
        if not self.is_bound:
            return {"q": "", "village": None}
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "village": data["village"].pk if data.get("village") else None,
        }


class SavingsGroupForm(forms.ModelForm):
    class Meta:
        model = SavingsGroup
        fields = GROUP_FIELDS
        widgets = {
            "leader_phone": forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "off"}
            ),
            "established_on": forms.DateInput(
                format="%d/%m/%Y",
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"},
            ),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        # "+84 912 345 678" is longer than the stored 10 digits; clean_ normalises.
        _allow_spaced_input(self.fields["leader_phone"])
        _friendly_empty_choices(self)
        self.helper = _helper(
            Row(
                Column("village", css_class="col-md-6"),
                Column("name", css_class="col-md-6"),
            ),
            Row(
                Column("organisation", css_class="col-md-6"),
                Column("established_on", css_class="col-md-6"),
            ),
            Row(
                Column("leader_name", css_class="col-md-6"),
                Column("leader_phone", css_class="col-md-6"),
            ),
            "notes",
            "is_active",
        )

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])

    def clean_leader_name(self):
        return clean_name(self.cleaned_data["leader_name"])

    def clean_leader_phone(self):
        value = (self.cleaned_data.get("leader_phone") or "").strip()
        return normalise_phone(value) if value else ""

    def clean_established_on(self):
        day = self.cleaned_data.get("established_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."))
        return day


class MemberSearchForm(forms.Form):
    """The GET search on a group's page: a household code or the head's name."""

    member_q = forms.CharField(
        label=_("Household code or head's name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def query(self) -> str:
        if not self.is_valid():
            return ""
        return self.cleaned_data["member_q"].strip()


class MemberAddForm(forms.Form):
    """The household picked from the search results (one of the user's households)."""

    household = forms.ModelChoiceField(
        label=_("Household"),
        queryset=None,
        error_messages={
            "required": _("Pick a household to add."),
            "invalid_choice": _("This household is not in your villages."),
        },
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
