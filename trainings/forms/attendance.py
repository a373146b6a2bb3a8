"""The attendance sheet: one toggle per person, saved at once.

Everyone on the sheet who holds a place is marked: ticked → attended, not ticked →
absent. A person on the waiting list who came anyway is ticked and marked attended; one
who is not ticked stays on the waiting list (they had no place to be absent from).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import PLACE_HOLDING, EnrolmentStatus


class AttendanceForm(forms.Form):
    came = forms.TypedMultipleChoiceField(
        label=_("Came"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _(
                "The list changed while you were marking it; check it and save again."
            )
        },
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        self.fields["came"].choices = [(e.pk, e.full_name) for e in self.enrolments]

    def split(self) -> tuple[list[int], list[int]]:
        """(attended, absent) enrolment ids from the ticks."""
        came = set(self.cleaned_data["came"])
        attended = [e.pk for e in self.enrolments if e.pk in came]
        absent = [
            e.pk
            for e in self.enrolments
            if e.pk not in came and e.status in PLACE_HOLDING
        ]
        return attended, absent


def initially_ticked(enrolments, *, everyone: bool = False) -> set[int]:
    """Who the sheet shows ticked: those already marked as attended, or all who hold a
    place when the officer asked for "everyone came"."""
    if everyone:
        return {e.pk for e in enrolments if e.status in PLACE_HOLDING}
    return {e.pk for e in enrolments if e.status == EnrolmentStatus.ATTENDED}
