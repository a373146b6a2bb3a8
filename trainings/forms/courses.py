"""Forms of the course screens: a course created or edited (commune-wide roles only) and
the filters of the course list and its export.

Forms check the shape of the input; ``services.course_create`` / ``course_update`` check
the rules (the commune of the target villages, the audit) and their ValidationErrors
land on these forms.
"""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import BoundedIdsMixin, _friendly_empty_choices, _helper
from households.selectors import villages_for
from loans.models import Purpose

from ..models import Course, CourseKind, OrganiserKind, TargetGroup, Topic

# The course list's year filter offers this many years back from next year.
YEARS_BACK = 6


def _label(name: str) -> str:
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(Course._meta.get_field(name).verbose_name)


class VillageCheckboxes(BoundedIdsMixin, forms.ModelMultipleChoiceField):
    # The template draws each box (in two groups), so the box carries Bootstrap's class.
    widget = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})

    def label_from_instance(self, obj) -> str:
        return obj.name


class CourseForm(forms.Form):
    title = forms.CharField(label=_label("title"), max_length=200)
    topic = forms.ChoiceField(
        label=_label("topic"), choices=[("", "---------"), *Topic.choices]
    )
    kind = forms.ChoiceField(
        label=_label("kind"),
        choices=CourseKind.choices,
        widget=forms.RadioSelect,
        initial=CourseKind.EXTENSION,
        help_text=_(
            "Vocational training pays each trainee a support set by the household's "
            "situation (Decision 46/2015/QĐ-TTg)."
        ),
    )
    organiser_kind = forms.ChoiceField(
        label=_label("organiser_kind"),
        choices=[("", "---------"), *OrganiserKind.choices],
    )
    organiser_name = forms.CharField(
        label=_label("organiser_name"),
        max_length=200,
        required=False,
        help_text=Course._meta.get_field("organiser_name").help_text,
    )
    description = forms.CharField(
        label=_label("description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the course teaches and what to bring."),
    )
    all_minority_villages = forms.BooleanField(
        label=_("All ethnic-minority hamlets"),
        required=False,
        help_text=_("Ticks every ethnic-minority hamlet of the commune below."),
    )
    target_villages = VillageCheckboxes(
        label=_label("target_villages"),
        queryset=None,
        required=False,
        help_text=_(
            "Leave empty for the whole commune. The session reminders go to these "
            "villages' groups."
        ),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    loan_purpose = forms.ChoiceField(
        label=_label("loan_purpose"),
        choices=[("", _("— not linked to loans —")), *Purpose.choices],
        required=False,
        help_text=Course._meta.get_field("loan_purpose").help_text,
    )

    def __init__(self, *args, user, course: Course | None = None, **kwargs):
        if course is not None:
            kwargs.setdefault("initial", {}).update(
                title=course.title,
                topic=course.topic,
                kind=course.kind,
                organiser_kind=course.organiser_kind,
                organiser_name=course.organiser_name,
                description=course.description,
                target_villages=[v.pk for v in course.target_villages.all()],
                target_groups=[t.group for t in course.targets.all()],
                loan_purpose=course.loan_purpose,
            )
        super().__init__(*args, **kwargs)
        villages = villages_for(user).order_by("sort_order", "name")
        self.fields["target_villages"].queryset = villages
        self._villages = list(villages)
        _friendly_empty_choices(self)
        # The villages are drawn by the template, in two groups.
        self.helper = _helper(
            "title",
            Row(
                Column("topic", css_class="col-12 col-sm-6"),
                Column("loan_purpose", css_class="col-12 col-sm-6"),
            ),
            "kind",
            Row(
                Column("organiser_kind", css_class="col-12 col-sm-5"),
                Column("organiser_name", css_class="col-12 col-sm-7"),
            ),
            "description",
        )

    def village_groups(self) -> list[tuple[str, list]]:
        """The village checkboxes in two groups: ethnic-minority hamlets, then the
        other villages (empty groups left out)."""
        minority = {str(v.pk) for v in self._villages if v.is_ethnic_minority}
        boxes = list(self["target_villages"])
        groups = [
            (
                _("Ethnic-minority hamlets"),
                [b for b in boxes if str(b.data["value"]) in minority],
            ),
            (
                _("Other villages"),
                [b for b in boxes if str(b.data["value"]) not in minority],
            ),
        ]
        return [(label, items) for label, items in groups if items]

    def minority_count(self) -> int:
        return sum(1 for v in self._villages if v.is_ethnic_minority)

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_organiser_name(self):
        return self.cleaned_data["organiser_name"].strip()

    def clean(self):
        data = super().clean()
        if data.get("all_minority_villages") and "target_villages" in data:
            chosen = {v.pk: v for v in data["target_villages"]}
            for village in self._villages:
                if village.is_ethnic_minority:
                    chosen.setdefault(village.pk, village)
            data["target_villages"] = [
                v for v in self._villages if v.pk in chosen
            ]  # in the commune's order
        return data

    def service_kwargs(self) -> dict:
        """What ``course_create`` / ``course_update`` take."""
        d = self.cleaned_data
        return {
            "title": d["title"],
            "topic": d["topic"],
            "kind": d["kind"],
            "organiser_kind": d["organiser_kind"],
            "organiser_name": d["organiser_name"],
            "description": d["description"],
            "target_villages": list(d["target_villages"]),
            "target_groups": list(d["target_groups"]),
            "loan_purpose": d["loan_purpose"],
        }


def year_choices(today=None) -> list[tuple[str, str]]:
    year = (today or timezone.localdate()).year + 1
    return [("", _("Any year"))] + [
        (str(y), str(y)) for y in range(year, year - YEARS_BACK, -1)
    ]


class CourseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("title of the course"), "type": "search"}
        ),
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any topic")), *Topic.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *CourseKind.choices],
    )
    year = forms.TypedChoiceField(
        label=_("Year of its sessions"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
    )
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=None,
        required=False,
        empty_label=_("All villages"),
        help_text=_("Courses for this village or with a session there."),
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["year"].choices = year_choices()

    def values(self) -> dict:
        """The valid filters; an invalid field (a village outside the user's scope) is
        dropped on its own and its error shown."""
        if not self.is_bound:
            return {}
        self.is_valid()
        d = self.cleaned_data
        return {
            "q": (d.get("q") or "").strip(),
            "topic": d.get("topic") or "",
            "kind": d.get("kind") or "",
            "year": d.get("year"),
            "village": d.get("village"),
        }
