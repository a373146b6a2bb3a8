"""Forms of enrolment: the member search of a session page (a plain GET that works
without JavaScript), a walk-in typed on a phone (name, birth year, phone, village), the
household page's "enrol a member" choice, and the walk-in list's two actions (match to a
member, add to the registry).

Forms check the shape of the input (a name, a phone number's form, a plausible year);
the services check the rules (already enrolled, the session's state, the actor's
villages) and their ValidationErrors land on these forms.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import (
    _allow_spaced_input,
    _ethnic_groups,
    _friendly_empty_choices,
    _helper,
)
from households.models import Household, Member, Sex
from households.text import clean_name, normalise_phone, validate_national_id

from ..models import Enrolment

EARLIEST_BIRTH_YEAR = 1900


def _label(model, name: str) -> str:
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(model._meta.get_field(name).verbose_name)


class MemberSearchForm(forms.Form):
    """Find a person of the user's villages by name, household code or phone."""

    q = forms.CharField(
        label=_("Find a person"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("name, household code or phone"),
                "type": "search",
                "autocomplete": "off",
                "class": "form-control form-control-lg",
            }
        ),
    )

    def query(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["q"].strip()
        return ""


class EnrolMemberForm(forms.Form):
    """The hidden fields of a search result's "Enrol" button."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    household = forms.IntegerField(widget=forms.HiddenInput)


class _BirthYearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=EARLIEST_BIRTH_YEAR,
            widget=forms.NumberInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            error_messages={
                "invalid": _("Enter the year as four digits, e.g. 1985."),
                "min_value": _("Enter the year as four digits, e.g. 1985."),
            },
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        if value is not None and value > timezone.localdate().year:
            raise forms.ValidationError(
                _("The birth year cannot be in the future."), code="future"
            )


class _PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            widget=forms.TextInput(
                attrs={"inputmode": "tel", "autocomplete": "off", "type": "tel"}
            ),
            help_text=_("10 digits, e.g. 0912 345 678"),
            **kwargs,
        )
        # "+84 912 345 678" is longer than the 10 digits it becomes.
        _allow_spaced_input(self)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        return normalise_phone(value) if value else ""


class WalkInForm(forms.Form):
    """A person who is not (or not yet found) in the registry."""

    full_name = forms.CharField(
        label=_label(Enrolment, "full_name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_year = _BirthYearField(label=_label(Enrolment, "birth_year"), required=False)
    phone = _PhoneField(label=_label(Enrolment, "phone"))
    village = forms.ModelChoiceField(label=_label(Enrolment, "village"), queryset=None)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        _friendly_empty_choices(self)
        self.helper = _helper(
            "full_name",
            Row(
                Column("birth_year", css_class="col-6"),
                Column("phone", css_class="col-6"),
            ),
            "village",
        )

    def clean_full_name(self):
        return clean_name(self.cleaned_data["full_name"])


class _ObjectChoiceField(forms.TypedChoiceField):
    """A choice among objects already loaded (by pk), cleaned to the object itself."""

    def __init__(self, *, label_of, **kwargs):
        self.label_of = label_of
        self.objects: dict[int, object] = {}
        super().__init__(coerce=int, widget=forms.RadioSelect, **kwargs)

    def set_objects(self, objects) -> None:
        self.objects = {obj.pk: obj for obj in objects}
        self.choices = [(obj.pk, self.label_of(obj)) for obj in objects]

    def clean(self, value):
        pk = super().clean(value)
        return self.objects.get(pk) if pk not in (None, "") else None


class HouseholdEnrolForm(forms.Form):
    """Enrol one of the household's members into one of the sessions offered (both
    lists come from the scoped selectors)."""

    member = _ObjectChoiceField(
        label=_("Who to enrol"),
        label_of=lambda m: f"{m.full_name} ({m.birth_year})",
        error_messages={
            "required": _("Choose the person to enrol."),
            "invalid_choice": _("Choose the person to enrol."),
        },
    )
    session = _ObjectChoiceField(
        label=_("Session"),
        label_of=str,
        error_messages={
            "required": _("Choose a session."),
            "invalid_choice": _(
                "This session is no longer open for enrolment; choose another one."
            ),
        },
    )

    def __init__(self, *args, members, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].set_objects(members)
        self.fields["session"].set_objects(sessions)
        if len(members) == 1:
            self.fields["member"].initial = members[0].pk


class WalkInMatchForm(forms.Form):
    """ "This is …": the registry member a walk-in turns out to be."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    household = forms.IntegerField(widget=forms.HiddenInput)


class WalkInRegistryForm(forms.Form):
    """What the registry needs besides what the walk-in row already has: a household
    code, the person's sex and ethnicity (the head of their new household)."""

    code = forms.CharField(
        label=_label(Household, "code"),
        max_length=20,
        help_text=Household._meta.get_field("code").help_text,
    )
    sex = forms.ChoiceField(
        label=_label(Member, "sex"), choices=Sex.choices, widget=forms.RadioSelect
    )
    birth_year = _BirthYearField(label=_label(Member, "birth_year"))
    ethnic_group = forms.ModelChoiceField(
        label=_label(Member, "ethnic_group"), queryset=None
    )
    phone = _PhoneField(label=_label(Household, "phone"))
    national_id = forms.CharField(
        label=_label(Member, "national_id"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Optional: 12 digits."),
    )
    address = forms.CharField(
        label=_label(Household, "address"), max_length=200, required=False
    )
    allow_namesake = forms.BooleanField(
        label=_(
            "This is another person than the namesakes in the registry: add them anyway"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnic_group"].queryset = _ethnic_groups()
        _allow_spaced_input(self.fields["national_id"])
        _friendly_empty_choices(self)
        self.helper = _helper(
            Row(
                Column("code", css_class="col-sm-6"),
                Column("birth_year", css_class="col-sm-6"),
            ),
            "sex",
            Row(
                Column("ethnic_group", css_class="col-sm-6"),
                Column("phone", css_class="col-sm-6"),
            ),
            Row(
                Column("national_id", css_class="col-sm-6"),
                Column("address", css_class="col-sm-6"),
            ),
        )

    @classmethod
    def initial_for(cls, enrolment: Enrolment) -> dict:
        return {"birth_year": enrolment.birth_year, "phone": enrolment.phone}

    def clean_code(self):
        return self.cleaned_data["code"].strip()

    def clean_national_id(self):
        value = (self.cleaned_data.get("national_id") or "").strip()
        return validate_national_id(value) if value else None
