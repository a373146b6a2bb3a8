"""Household forms: registering or editing a household (with the duplicate check before
saving) and the filters of the household list and export.
"""

from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import HOUSEHOLD_EDITABLE_FIELDS, Crop, Household, PovertyStatus, Sex
from ..selectors import UNREVIEWED, HouseholdFilters
from ..text import clean_name, normalise_phone, validate_national_id
from ._common import (
    _allow_spaced_input,
    _ethnic_groups,
    _friendly_empty_choices,
    _helper,
)


class HouseholdForm(forms.ModelForm):
    head_sex = forms.ChoiceField(
        label=_("Head's sex"),
        choices=[("", "---------"), *Sex.choices],
        required=False,
        help_text=_("Needed only when there is no ID number."),
    )
    head_birth_year = forms.IntegerField(
        label=_("Head's birth year"),
        required=False,
        min_value=1900,
        help_text=_("Needed only when there is no ID number."),
    )
    main_crops = forms.MultipleChoiceField(
        label=_("Main crops"),
        choices=Crop.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked: this is not the same household"),
        required=False,
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_EDITABLE_FIELDS
        widgets = {
            "head_national_id": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["ethnic_group"].queryset = _ethnic_groups()
        # People type "+84 912 345 678" or "066 085 001 234": the clean_* methods
        # normalise, so the raw input may be longer than the stored form.
        _allow_spaced_input(self.fields["phone"], self.fields["head_national_id"])
        self.duplicates = []
        _friendly_empty_choices(self)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["head_sex"], self.fields["head_birth_year"]
            head_rows = Row(
                Column("head_name", css_class="col-md-6"),
                Column("head_national_id", css_class="col-md-6"),
            )
        else:
            self.fields["head_national_id"].help_text = _(
                "12 digits. The head's sex and birth year are read from it."
            )
            head_rows = Layout(
                Row(
                    Column("head_name", css_class="col-md-6"),
                    Column("head_national_id", css_class="col-md-6"),
                ),
                Row(
                    Column("head_sex", css_class="col-6 col-md-3"),
                    Column("head_birth_year", css_class="col-6 col-md-3"),
                ),
            )
        self.helper = _helper(
            Row(
                Column("village", css_class="col-md-6"),
                Column("code", css_class="col-md-6"),
            ),
            head_rows,
            Row(
                Column("ethnic_group", css_class="col-md-6"),
                Column("phone", css_class="col-md-6"),
            ),
            "address",
            Row(
                Column(
                    Field("main_crops", css_class="crop-choices"), css_class="col-md-8"
                ),
                Column("farmed_area_ha", css_class="col-md-4"),
            ),
            Row(
                Column("uses_smartphone", css_class="col-md-4"),
                Column("uses_zalo", css_class="col-md-4"),
                Column("contact_consent", css_class="col-md-4"),
            ),
        )

    def clean_head_name(self):
        return clean_name(self.cleaned_data["head_name"])

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_head_national_id(self):
        value = (self.cleaned_data.get("head_national_id") or "").strip()
        return validate_national_id(value) if value else None

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        return normalise_phone(value) if value else ""

    def clean_head_birth_year(self):
        year = self.cleaned_data.get("head_birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The birth year cannot be in the future."))
        return year

    def clean(self):
        data = super().clean()
        id_given = data.get("head_national_id") or "head_national_id" in self.errors
        if self.instance.pk is None and not id_given:
            if not data.get("head_sex"):
                self.add_error(
                    "head_sex", _("Give the head's sex (or their ID number).")
                )
            if not data.get("head_birth_year"):
                self.add_error(
                    "head_birth_year",
                    _("Give the head's birth year (or their ID number)."),
                )
        return data

    def check_duplicates(self, *, commune_id: int) -> bool:
        """Flag possible duplicates before saving; True when the form may be saved."""
        from ..selectors import household_duplicates

        data = self.cleaned_data
        village = data.get("village")
        self.duplicates = household_duplicates(
            commune_id=commune_id,
            village_id=village.pk if village else None,
            head_name=data.get("head_name", ""),
            national_id=data.get("head_national_id"),
            phone=data.get("phone", ""),
            exclude_pk=self.instance.pk,
        )
        if self.duplicates and not data.get("confirm_not_duplicate"):
            self.add_error(
                None,
                _(
                    "This may be a household that is already registered. Check the list "
                    "below; if it is a different household, tick the box and save again."
                ),
            )
            return False
        return True


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("name, code, ID or phone"), "type": "search"}
        ),
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *PovertyStatus.choices,
            (UNREVIEWED, _("not reviewed")),
        ],
    )
    ethnic_group = forms.ModelChoiceField(
        label=_("Ethnic group"),
        queryset=None,
        required=False,
        empty_label=_("All groups"),
    )
    review_year = forms.TypedChoiceField(
        label=_("Review year"), required=False, coerce=int, empty_value=None
    )
    archived = forms.BooleanField(label=_("Archived households"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("code", _("code")),
            ("name", _("name")),
            ("village", _("village")),
            ("status", _("status")),
            ("updated", _("recently changed")),
        ],
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["ethnic_group"].queryset = _ethnic_groups()
        this_year = timezone.localdate().year
        self.fields["review_year"].choices = [("", _("Latest review"))] + [
            (y, str(y)) for y in range(this_year, this_year - 6, -1)
        ]

    def to_filters(self) -> HouseholdFilters:
        # An invalid field (e.g. a village outside the user's scope) is dropped on its
        # own; the valid ones, such as the search text, still apply.
        if not self.is_bound:
            return HouseholdFilters()
        self.is_valid()
        d = self.cleaned_data
        return HouseholdFilters(
            q=d.get("q") or "",
            village=d["village"].pk if d.get("village") else None,
            status=d.get("status") or "",
            ethnic_group=d["ethnic_group"].pk if d.get("ethnic_group") else None,
            review_year=d.get("review_year"),
            archived=bool(d.get("archived")),
            sort=d.get("sort") or "code",
        )
