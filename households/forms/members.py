"""Member forms: adding or editing a member (the head's identity fields are locked), and
the reason asked for when archiving a household or removing a member.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import MEMBER_EDITABLE_FIELDS, Member, Relation
from ..text import clean_name, validate_national_id
from ._common import (
    _allow_spaced_input,
    _ethnic_groups,
    _friendly_empty_choices,
    _helper,
)


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = MEMBER_EDITABLE_FIELDS
        widgets = {
            "national_id": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnic_group"].queryset = _ethnic_groups()
        _allow_spaced_input(self.fields["national_id"])
        _friendly_empty_choices(self)
        is_head = self.instance.pk and self.instance.relation == Relation.HEAD
        if is_head:
            for name in ("full_name", "national_id", "ethnic_group", "relation"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Change this on the household.")
        else:
            self.fields["relation"].choices = [
                c for c in self.fields["relation"].choices if c[0] != Relation.HEAD
            ]
        self.helper = _helper(
            Row(
                Column("full_name", css_class="col-md-6"),
                Column("relation", css_class="col-md-6"),
            ),
            Row(
                Column("sex", css_class="col-6 col-md-3"),
                Column("birth_year", css_class="col-6 col-md-3"),
                Column("ethnic_group", css_class="col-md-6"),
            ),
            "national_id",
            Row(
                Column("is_student", css_class="col-md-4"),
                Column("has_disability", css_class="col-md-4"),
                Column("has_health_insurance", css_class="col-md-4"),
            ),
        )

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])

    def clean_national_id(self):
        value = (self.cleaned_data.get("national_id") or "").strip()
        return validate_national_id(value) if value else None

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The birth year cannot be in the future."))
        return year

    def clean(self):
        data = super().clean()
        national_id, year = data.get("national_id"), data.get("birth_year")
        if national_id and year:
            from ..text import national_id_birth_year

            if national_id_birth_year(national_id) != year:
                self.add_error(
                    "birth_year",
                    _("The ID number says this person was born in %(year)s.")
                    % {"year": national_id_birth_year(national_id)},
                )
        return data


class ReasonForm(forms.Form):
    """Archiving a household or removing a member needs a reason."""

    reason = forms.CharField(label=_("Reason"), max_length=200)


LEFT_HOUSEHOLD = "left"


class ChangeHeadForm(forms.Form):
    """Who the former head becomes when another member takes over the household."""

    former_head = forms.ChoiceField(label=_("The current head"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("e.g. “the head passed away on 12/03/2026”"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["former_head"].choices = [
            (LEFT_HOUSEHOLD, _("has left the household or passed away")),
            *[
                (
                    value,
                    _("stays in the household as: %(relation)s") % {"relation": label},
                )
                for value, label in Relation.choices
                if value != Relation.HEAD
            ],
        ]
        self.helper = _helper("former_head", "reason")

    def former_head_relation(self) -> str | None:
        choice = self.cleaned_data["former_head"]
        return None if choice == LEFT_HOUSEHOLD else choice
