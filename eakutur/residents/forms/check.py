"""The questionnaire's screens, one form per step (see ``answers.STEPS``).

Each form is filled from the answers kept in the session (``initial_from``) and writes
its own answers back (``apply``); it holds no rule. Counts and amounts are typed in plain
text boxes with the number pad: the server's message, in the resident's language, is
shown next to the field instead of the browser's own bubble.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from households.models import Village
from households.selectors import indicators_for_year

from ..answers import CheckAnswers, ListStatus, Need

MAX_PEOPLE = 30
# A whole household earning more than this a month is a typing slip (an extra zero).
MAX_MONTHLY_INCOME = 1_000_000_000

YES, NO, SKIP = "yes", "no", "skip"

STATUS_CHOICES = [
    (ListStatus.POOR, _("Poor household")),
    (ListStatus.NEAR_POOR, _("Near-poor household")),
    (ListStatus.LEFT, _("Left the poor or near-poor list in the last 3 years")),
    (ListStatus.NOT_LISTED, _("Not on any list")),
    (ListStatus.UNKNOWN, _("I don't know")),
]

NEED_CHOICES = [
    (Need.CAPITAL, _("Capital for farming or a small business")),
    (Need.WATER, _("Clean water")),
    (Need.LATRINE, _("A hygienic latrine")),
    (Need.HOUSE, _("A solid house (to build or repair)")),
    (Need.LAND, _("Land to build a house on")),
    (Need.STUDY, _("Money for a child's studies")),
    (Need.JOB, _("A job")),
]


def _number_box() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class StepForm(forms.Form):
    """A screen's form. ``title`` is the screen's heading when it asks several things;
    a screen with one field uses the field's label as its heading."""

    title = None

    def __init__(self, *args, answers: CheckAnswers, year: int, **kwargs):
        self.answers = answers
        self.year = year
        kwargs.setdefault("initial", self.initial_from(answers))
        super().__init__(*args, **kwargs)
        self._describe_boxes()

    def initial_from(self, answers: CheckAnswers) -> dict:
        return {}

    def apply(self, answers: CheckAnswers) -> None:
        """Keep each answer under its field's name (a screen whose answers need
        converting overrides this)."""
        for name, value in self.cleaned_data.items():
            setattr(
                answers, name, list(value) if isinstance(value, list | tuple) else value
            )

    @property
    def single_question(self) -> bool:
        return len(self.fields) == 1

    def full_clean(self):
        super().full_clean()
        self._describe_boxes()

    def _describe_boxes(self) -> None:
        """Tie each box to its help and its error, read out with its label (a group of
        choices gets both from its fieldset, in the template)."""
        errors = self._errors or {}
        for name, field in self.fields.items():
            if getattr(field.widget, "input_type", None) in ("radio", "checkbox"):
                continue
            ids = [f"{self[name].auto_id}-help"] if field.help_text else []
            if name in errors:
                ids.append(f"{self[name].auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


# --- money and counts ----------------------------------------------------------------

_UNITS = {
    "triệu": 1_000_000,
    "trieu": 1_000_000,
    "tr": 1_000_000,
    "million": 1_000_000,
    "m": 1_000_000,
    "nghìn": 1_000,
    "ngàn": 1_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "k": 1_000,
}
_WITH_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*([a-zà-ỹ]+)\.?$")
_NOISE = re.compile(r"vnd|đồng|dong|đ|₫|/?\s*(một\s*)?tháng$")


def parse_vnd(text: str) -> int | None:
    """ "3.000.000", "3 000 000 đ", "3 triệu", "2,5 tr", "800 nghìn" -> đồng; else None.
    A sign is never read: the caller refuses "-" before asking."""
    text = _NOISE.sub("", text.strip().lower()).strip()
    match = _WITH_UNIT.match(text)
    if match:
        number, unit = match.group(1), _UNITS.get(match.group(2))
        if unit is None:
            return None
        if re.fullmatch(r"\d+[.,]\d{3}", number):  # "1.500 nghìn": a thousands dot
            return int(re.sub(r"[.,]", "", number)) * unit
        return round(float(number.replace(",", ".")) * unit)
    digits = re.sub(r"[\s.,]", "", text)
    return int(digits) if digits.isdigit() else None


class IncomeField(forms.Field):
    default_error_messages = {
        "required": _("Write the household's income for a month."),
        "invalid": _("Write the amount in numbers, for example 3.000.000 or 3 triệu."),
        "negative": _("The income cannot be below zero."),
        "too_large": _(
            "That is more than 1 billion đồng a month; check the number of zeros."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(widget=_number_box(), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.startswith("-"):
            raise forms.ValidationError(self.error_messages["negative"], "negative")
        amount = parse_vnd(text)
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], "invalid")
        if amount > MAX_MONTHLY_INCOME:
            raise forms.ValidationError(self.error_messages["too_large"], "too_large")
        return amount

    def prepare_value(self, value):
        if isinstance(value, int):  # shown back the way people write it
            return f"{value:,}".replace(",", ".")
        return value


def count_field(label, *, low: int = 0, help_text=None) -> forms.IntegerField:
    if low:
        message = _("Write the number of people, from %(low)s to %(high)s.")
    else:
        message = _("Write a number from %(low)s to %(high)s (0 if none).")
    message = message % {"low": low, "high": MAX_PEOPLE}
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=MAX_PEOPLE,
        required=bool(low),
        help_text=help_text,
        widget=_number_box(),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


def people_field() -> forms.IntegerField:
    return count_field(
        _("How many people live in your household?"),
        low=1,
        help_text=_("Everyone who lives and eats together, you included."),
    )


# --- the screens ---------------------------------------------------------------------


class VillageForm(StepForm):
    village = forms.ModelChoiceField(
        label=_("Which village or hamlet do you live in?"),
        queryset=Village.objects.none(),  # the commune's, set per form
        empty_label=_("— choose your village —"),
        error_messages={
            "required": _("Choose your village or hamlet."),
            "invalid_choice": _("Choose your village or hamlet from the list."),
        },
    )

    def __init__(self, *args, villages, remembered=None, **kwargs):
        self.remembered = remembered
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def initial_from(self, answers):
        village = answers.village or (self.remembered.pk if self.remembered else None)
        return {"village": village}

    def apply(self, answers):
        answers.village = self.cleaned_data["village"].pk


class StatusForm(StepForm):
    status = forms.ChoiceField(
        label=_("On this year's review list, your household is:"),
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer; “I don't know” is fine.")},
    )

    def initial_from(self, answers):
        return {"status": answers.status}


class IncomeForm(StepForm):
    title = _("Your household's income")

    household_income = IncomeField(
        label=_("About how much does the whole household earn in a month?"),
        help_text=_(
            "All members together, in đồng, for example 3.000.000 or 3 triệu. Count "
            "crops sold, wages and other money, spread over the months of the year."
        ),
    )
    people = people_field()
    deprivations = forms.MultipleChoiceField(
        label=_("Tick what is true for your household:"),
        help_text=_("Leave a sentence empty if it is not true for you."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deprivations"].choices = [
            (i.code, i.description or str(i)) for i in indicators_for_year(self.year)
        ]

    def initial_from(self, answers):
        return {
            "household_income": answers.household_income,
            "people": answers.people,
            "deprivations": answers.deprivations,
        }


class EthnicityForm(StepForm):
    minority = forms.ChoiceField(
        label=_(
            "Is the head of your household from an ethnic minority (Ê Đê, M'nông, "
            "Thái, Tày, Nùng, Dao…)?"
        ),
        choices=[(YES, _("Yes")), (NO, _("No")), (SKIP, _("I'd rather not say"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one answer.")},
    )

    def initial_from(self, answers):
        if not answers.minority_answered:
            return {}
        choice = {True: YES, False: NO, None: SKIP}[answers.minority]
        return {"minority": choice}

    def apply(self, answers):
        answers.minority = {YES: True, NO: False}.get(self.cleaned_data["minority"])
        answers.minority_answered = True


class MembersForm(StepForm):
    title = _("The people in your household")

    people = people_field()
    students = count_field(
        _("How many study at a vocational school, college or university?")
    )
    children_under_6 = count_field(_("How many children are under 6?"))
    with_disability = count_field(_("How many people have a disability?"))
    elderly = count_field(_("How many people are aged 75 or over?"))

    COUNTS = ("students", "children_under_6", "with_disability", "elderly")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.answers.status == ListStatus.UNKNOWN:
            del self.fields["people"]  # already asked with the income

    def initial_from(self, answers):
        initial = {name: getattr(answers, name) or 0 for name in self.COUNTS}
        initial["people"] = answers.people
        return initial

    def clean(self):
        data = super().clean()
        people = data.get("people", self.answers.people)
        for name in self.COUNTS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0  # an empty box means none
            if people and (data.get(name) or 0) > people:
                message = _("More than the %(people)s people in your household.")
                self.add_error(name, message % {"people": people})
        return data


class NeedsForm(StepForm):
    title = _("Work and needs")

    farms_or_business = forms.ChoiceField(
        label=_("Does your household farm, raise animals or run a small business?"),
        choices=[(YES, _("Yes")), (NO, _("No"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    needs = forms.MultipleChoiceField(
        label=_("What does your household need? Tick all that apply."),
        help_text=_("Leave empty what your household already has."),
        choices=NEED_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def initial_from(self, answers):
        farms = {True: YES, False: NO}.get(answers.farms_or_business)
        return {"farms_or_business": farms, "needs": answers.needs}

    def apply(self, answers):
        answers.farms_or_business = self.cleaned_data["farms_or_business"] == YES
        answers.needs = list(self.cleaned_data["needs"])


STEP_FORMS: dict[str, type[StepForm]] = {
    "village": VillageForm,
    "status": StatusForm,
    "income": IncomeForm,
    "ethnicity": EthnicityForm,
    "members": MembersForm,
    "needs": NeedsForm,
}
