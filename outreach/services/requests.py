"""A resident's request from the public portal: to join a training, to be called about a
loan, health insurance, a job... It becomes a contact "requested by a resident", due at
once in the village officer's follow-up list, with the name and number to call back.

Nobody is signed in: the caller (the public form) checks the rate limit and logs the
attempt; this function checks the values again, since it is the one that writes, and
records the creation in the village's (or the proven household's) history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created
from households.models import Household, Village
from households.text import clean_name, normalise_phone

from ..models import Contact, ContactChannel, ContactOutcome, ContactTopic
from ..models import ContactTopicChoice as Topic
from .contacts import CONTACT_FIELDS

NAME_MAX = 100
NOTE_MAX = 500  # Contact.note
# What the history shows of a request, beside the contact's own fields.
REQUEST_FIELDS = (*CONTACT_FIELDS, "requester_name")


def _clean_topic(topic: str) -> str:
    """One topic of the list, or "" for something else (the resident's note says what)."""
    topic = topic or ""
    if topic and topic not in Topic.values:
        raise ValidationError(
            {"topic": _("“%(topic)s” is not a topic.") % {"topic": topic}}
        )
    return topic


def _clean_name(name: str) -> str:
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": _("Give your name.")})
    if len(name) > NAME_MAX:
        raise ValidationError(
            {
                "name": _("The name is too long (at most %(n)s letters).")
                % {"n": NAME_MAX}
            }
        )
    return name


def _clean_phone(phone: str, household: Household | None) -> str:
    if not (phone or "").strip():
        if household is not None:
            return ""  # the officer calls the household's number
        raise ValidationError({"phone": _("Give a phone number to call you back.")})
    try:
        return normalise_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


def _request_note(words: str, session_label: str) -> str:
    """What the officer reads: the session asked for, then the resident's own words.
    In Vietnamese whatever the page's language: the note is part of the record."""
    parts = []
    with translation.override("vi"):
        if session_label:
            parts.append(_("Training session: %(label)s") % {"label": session_label})
        if words:
            parts.append(_("The resident wrote: %(words)s") % {"words": words})
    note = ". ".join(p.rstrip(". ") for p in parts)
    return note if len(note) <= NOTE_MAX else note[: NOTE_MAX - 1] + "…"


def _topics_note(topic: str) -> str:
    with translation.override("vi"):
        label = str(Topic(topic).label) if topic else _("something else")
        return _(
            "Request sent by a resident from the public portal. Topic: %(topic)s"
        ) % {"topic": label}


@transaction.atomic
def resident_request_create(
    *,
    village: Village,
    topic: str,
    name: str,
    phone: str,
    note: str = "",
    household: Household | None = None,
    session_label: str = "",
) -> Contact:
    """Record a resident's request as a contact due today in the village officer's
    follow-up list. ``topic`` is a ``ContactTopicChoice`` value, or "" for something
    else (then the note must say what). A proven ``household`` fixes the village to its
    own; its number is the fallback when no phone is given."""
    if household is not None:
        household = (
            Household.objects.active()
            .select_related("village")
            .filter(pk=household.pk)
            .first()
        )
        if household is None:
            raise ValidationError(_("This household was not found."), code="not_found")
        village = household.village
    if village is None:
        raise ValidationError({"village": _("Choose your village.")})
    topic = _clean_topic(topic)
    words = " ".join((note or "").split())
    if not topic and not words:
        raise ValidationError({"note": _("Tell us in a few words what you need.")})
    today = timezone.localdate()
    contact = Contact(
        commune_id=village.commune_id,
        village=village,
        household=household,
        channel=ContactChannel.RESIDENT_REQUEST,
        contacted_on=today,
        outcome=ContactOutcome.INTERESTED,
        note=_request_note(words, (session_label or "").strip()),
        made_by=None,
        follow_up_on=today,  # due at once in the officer's list
        requester_name=_clean_name(name),
        requester_phone=_clean_phone(phone, household),
    )
    contact.full_clean()
    contact.save()
    if topic:
        ContactTopic.objects.create(contact=contact, topic=topic)
    audit_created(
        actor=None,
        instance=contact,
        fields=REQUEST_FIELDS,
        parent=household or village,
        note=_topics_note(topic),
    )
    return contact
