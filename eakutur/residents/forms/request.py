"""The resident's request: "I want to join a training", "call me about a loan"...

What it is about, for a training the session (upcoming sessions meant for the village),
the village, a name and a phone number to call back, a short note and the resident's
consent to be called. A proven household fixes the village to its own. A hidden
"leave empty" field catches the robots that fill every box.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Commune, Household, Village
from households.text import clean_name, normalise_phone
from outreach.models import ContactTopicChoice
from trainings.models import Course, Session, SessionStatus
from trainings.selectors import courses_meant_for

NOTE_MAX = 300
NAME_MAX = 100
PHONE_MAX_TYPED = 20  # room for the spaces and dots people type
OTHER = "other"  # a topic off the list: the note says what

# What a resident may ask about, in the words of the form.
TOPIC_CHOICES = [
    (ContactTopicChoice.TRAININGS.value, _("Join a training")),
    (ContactTopicChoice.LOANS.value, _("A preferential loan")),
    (ContactTopicChoice.HEALTH_INSURANCE.value, _("Health insurance")),
    (ContactTopicChoice.VOCATIONAL.value, _("Vocational training")),
    (ContactTopicChoice.JOBS.value, _("A job")),
    (OTHER, _("Something else")),
]


def upcoming_sessions(
    commune: Commune, village: Village | None, *, also: str | int | None = None
):
    """``commune``'s scheduled sessions still to come that are meant for ``village``:
    held in it, or of a course for it or for the whole commune (every session of the
    commune when no village is chosen). ``also`` adds one session by pk if it is still
    to come, so a link from the calendar keeps its session whatever the village."""
    qs = Session.objects.filter(
        course__commune=commune,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=timezone.now(),
    ).select_related("course", "village")
    if village is not None:
        meant_for_it = Course.objects.filter(courses_meant_for([village.pk]))
        meant = Q(village=village) | Q(course__in=meant_for_it.values("pk"))
        pk = _pk(also)
        if pk is not None:
            meant |= Q(pk=pk)
        qs = qs.filter(meant)
    return qs.order_by("starts_at", "pk")


def _pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def session_label(session: Session) -> str:
    starts = timezone.localtime(session.starts_at)
    return (
        f"{session.course.title} – {starts:%d/%m/%Y %H:%M}, {session.place} "
        f"({session.village.name})"
    )


class VillageField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class SessionField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        # The date first: a phone's select shows only the start of a long line.
        starts = timezone.localtime(obj.starts_at)
        return f"{starts:%d/%m %H:%M} · {obj.course.title} ({obj.village.name})"


class RequestForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What is your request about?"),
        choices=TOPIC_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your request is about.")},
    )
    session = SessionField(
        label=_("Which training?"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("Not sure yet: any coming training"),
        help_text=_("Only if you want to join a training."),
        error_messages={
            "invalid_choice": _(
                "This training is no longer open. Choose another one, or leave it "
                "empty."
            )
        },
    )
    village = VillageField(
        label=_("Your village"),
        queryset=Village.objects.none(),
        empty_label=_("— choose your village —"),
        error_messages={
            "required": _("Choose your village."),
            "invalid_choice": _("Choose your village from the list."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=NAME_MAX,
        error_messages={
            "required": _("Type your name."),
            "max_length": _("The name is too long (at most %(limit_value)d letters)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=PHONE_MAX_TYPED,
        help_text=_("The village officer will call this number, e.g. 0912 345 678."),
        error_messages={
            "required": _("Type a phone number so the village officer can call you."),
            "max_length": _(
                "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, "
                "08 or 09 (or +84 followed by 9 digits)."
            ),
        },
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
        ),
    )
    note = forms.CharField(
        label=_("A short note (optional)"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("For example: the best time to call you. At most 300 letters."),
        error_messages={
            "max_length": _(
                "The note is too long: at most %(limit_value)d letters (you wrote "
                "%(show_value)d)."
            )
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the village officer may call me about this"),
        error_messages={
            "required": _("Tick the box so the village officer may call you.")
        },
    )
    # A robot fills every box; a person never sees this one (hidden by CSS).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        *args,
        commune: Commune,
        villages: QuerySet[Village],
        village: Village | None = None,
        household: Household | None = None,
        session_pk=None,
        **kwargs,
    ):
        """``villages``: the commune's, to choose from; ``village``: the one chosen
        before; a proven ``household`` fixes the village to its own."""
        super().__init__(*args, **kwargs)
        self.household = household
        self.villages = villages
        if household is not None:
            del self.fields["village"]  # the household's own village
            village = household.village
        else:
            self.fields["village"].queryset = villages
            village = self.posted_village() or village
        if self.is_bound:
            session_pk = self.data.get("session") or session_pk
        self.fields["session"].queryset = upcoming_sessions(
            commune, village, also=session_pk
        )

    def posted_village(self) -> Village | None:
        if not self.is_bound:
            return None
        pk = _pk(self.data.get("village"))
        return self.villages.filter(pk=pk).first() if pk else None

    @property
    def is_robot(self) -> bool:
        return bool(self.is_bound and (self.data.get("website") or "").strip())

    def clean_name(self) -> str:
        name = clean_name(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Type your name."))
        return name

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        if topic == OTHER and not data.get("note") and "note" not in self.errors:
            self.add_error("note", _("Tell us in a few words what you need."))
        if topic != ContactTopicChoice.TRAININGS:
            data["session"] = None  # a session matters for a training only
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        session = d.get("session")
        return {
            "village": self.household.village if self.household else d["village"],
            "household": self.household,
            "topic": "" if d["topic"] == OTHER else d["topic"],
            "name": d["name"],
            "phone": d["phone"],
            "note": d.get("note", ""),
            "session_label": session_label(session) if session else "",
        }
