"""Forms of the digital team screens: set up or correct a team, add or change a member,
record that a member left.

Forms check the shape of the input (a date, a phone number's form); the services check
the rules (one team per village, one leader, dates not in the future) and their
ValidationErrors land on these forms.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import _allow_spaced_input, _helper, date_field
from households.text import clean_name, normalise_phone

from ..models import DigitalTeam, TeamMember, TeamRole


def _label(model, name: str) -> str:
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(model._meta.get_field(name).verbose_name)


class TeamForm(forms.Form):
    established_on = date_field(_label(DigitalTeam, "established_on"))
    decision_number = forms.CharField(
        label=_label(DigitalTeam, "decision_number"),
        max_length=50,
        help_text=DigitalTeam._meta.get_field("decision_number").help_text,
    )
    note = forms.CharField(
        label=_label(DigitalTeam, "note"), max_length=300, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(
                Column("established_on", css_class="col-sm-6"),
                Column("decision_number", css_class="col-sm-6"),
            ),
            "note",
        )

    @classmethod
    def initial_for(cls, team: DigitalTeam) -> dict:
        return {
            "established_on": team.established_on,
            "decision_number": team.decision_number,
            "note": team.note,
        }


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_label(TeamMember, "full_name"), max_length=100)
    phone = forms.CharField(
        label=_label(TeamMember, "phone"),
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "type": "tel"}
        ),
        help_text=_("10 digits, e.g. 0912 345 678"),
    )
    role = forms.ChoiceField(
        label=_label(TeamMember, "role"),
        choices=TeamRole.choices,
        initial=TeamRole.MEMBER,
        widget=forms.RadioSelect,
    )
    is_youth_union = forms.BooleanField(
        label=_label(TeamMember, "is_youth_union"), required=False
    )
    joined_on = date_field(_label(TeamMember, "joined_on"), required=False)
    user = AccountChoiceField(
        label=_label(TeamMember, "user"),
        queryset=None,
        required=False,
        empty_label=_("— no account —"),
        help_text=_(
            "Only if the member signs in to the portal: the contacts they log then "
            "name them."
        ),
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        # "+84 912 345 678" is longer than the 10 digits it becomes.
        _allow_spaced_input(self.fields["phone"])
        self.helper = _helper(
            "full_name",
            Row(
                Column("phone", css_class="col-sm-6"),
                Column("joined_on", css_class="col-sm-6"),
            ),
            "role",
            "is_youth_union",
            "user",
        )

    @classmethod
    def initial_for(cls, member: TeamMember) -> dict:
        return {
            "full_name": member.full_name,
            "phone": member.phone,
            "role": member.role,
            "is_youth_union": member.is_youth_union,
            "joined_on": member.joined_on,
            "user": member.user_id,
        }

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        return normalise_phone(value) if value else ""


class MemberLeaveForm(forms.Form):
    left_on = date_field(_label(TeamMember, "left_on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate
        self.helper = _helper("left_on")
