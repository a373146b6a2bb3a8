"""Logging outreach contacts and closing their follow-ups.

A village officer logs contacts in their own villages only; a commune-wide official in
any village of the commune. A household outside the actor's scope (another village of an
officer, another commune) is refused as not found, so the refusal never confirms that it
exists. Each function is one transaction and writes the audit history: a household's
contacts appear in the household's history, a village-wide contact in the village's.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created, audited_update
from households.models import Household, Village
from households.selectors import households_for, villages_for

from ..models import (
    HOUSEHOLD_CHANNELS,
    Contact,
    ContactChannel,
    ContactTopic,
    ContactTopicChoice,
    TeamMember,
)
from ..models.contacts import EARLIEST_CONTACT_DATE

CONTACT_FIELDS = (
    "village",
    "household",
    "channel",
    "contacted_on",
    "outcome",
    "note",
    "people_count",
    "team_member",
    "follow_up_on",
)


def _ensure_may_log(user) -> None:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to log contacts."))


def _household_in_scope(user, household: Household) -> Household:
    """The household re-read through the user's scope; "not found" outside it."""
    found = (
        households_for(user, include_archived=True)
        .select_related("village", "commune")
        .filter(pk=household.pk)
        .first()
    )
    if found is None:
        raise ValidationError(
            {
                "household": ValidationError(
                    _("This household was not found among your villages."),
                    code="not_found",
                )
            }
        )
    if not found.is_active:
        raise ValidationError(
            {
                "household": ValidationError(
                    _(
                        "This household is archived; restore it before logging "
                        "contacts."
                    ),
                    code="archived",
                )
            }
        )
    return found


def _village_in_scope(user, village: Village) -> Village:
    found = villages_for(user).select_related("commune").filter(pk=village.pk).first()
    if found is None:
        raise PermissionDenied(_("You cannot log contacts for this village."))
    return found


def _clean_topics(topics: Iterable[str]) -> list[str]:
    valid = set(ContactTopicChoice.values)
    chosen = []
    for topic in topics or ():
        if topic not in valid:
            raise ValidationError(
                {"topics": _("“%(topic)s” is not a topic.") % {"topic": topic}}
            )
        if topic not in chosen:
            chosen.append(topic)
    if not chosen:
        raise ValidationError({"topics": _("Tick at least one topic.")})
    # In the order of the list, whatever order they were ticked in.
    return [t for t in ContactTopicChoice.values if t in chosen]


def _check_dates(contacted_on: date, follow_up_on: date | None) -> None:
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("This date is in the future.")})
    if contacted_on < EARLIEST_CONTACT_DATE:
        raise ValidationError(
            {
                "contacted_on": _(
                    "Dates before 01/01/2000 are not accepted; check the year."
                )
            }
        )
    if follow_up_on is not None and follow_up_on < contacted_on:
        raise ValidationError(
            {"follow_up_on": _("The follow-up date cannot be before the contact.")}
        )


def _check_team_member(team_member: TeamMember, village: Village) -> None:
    member = TeamMember.objects.select_related("team").filter(pk=team_member.pk).first()
    if member is None or member.team.village_id != village.pk:
        raise ValidationError(
            {
                "team_member": _(
                    "This person is not a member of the digital team of %(village)s."
                )
                % {"village": village.name}
            }
        )
    if member.left_on is not None:
        raise ValidationError(
            {
                "team_member": _("%(name)s left the team on %(date)s.")
                % {"name": member.full_name, "date": f"{member.left_on:%d/%m/%Y}"}
            }
        )


@transaction.atomic
def contact_log(
    *,
    user,
    village: Village | None = None,
    household: Household | None = None,
    channel: str,
    contacted_on: date,
    topics: Iterable[str],
    outcome: str,
    note: str = "",
    people_count: int | None = None,
    team_member: TeamMember | None = None,
    follow_up_on: date | None = None,
) -> Contact:
    """Record one contact with a household, or with a whole village (``household`` None).

    The household's village is the contact's village. A visit or a phone call names
    the household; the number of people present is for a village-wide contact only.
    """
    _ensure_may_log(user)
    if channel == ContactChannel.RESIDENT_REQUEST:
        raise ValidationError(
            {"channel": _("A resident's request only comes from the public form.")}
        )
    if household is not None:
        household = _household_in_scope(user, household)
        village = household.village
    elif channel in HOUSEHOLD_CHANNELS:
        raise ValidationError(
            {
                "household": _(
                    "A visit or a phone call is with a household: choose the household."
                )
            }
        )
    elif village is not None:
        village = _village_in_scope(user, village)
    else:
        raise ValidationError(
            {"village": _("Choose the household, or the village for a meeting.")}
        )
    if household is not None and people_count is not None:
        raise ValidationError(
            {
                "people_count": _(
                    "The number of people present is only for a contact with the "
                    "whole village."
                )
            }
        )
    if people_count is not None and people_count < 1:
        raise ValidationError(
            {"people_count": _("The number of people must be at least 1.")}
        )
    _check_dates(contacted_on, follow_up_on)
    chosen_topics = _clean_topics(topics)
    if team_member is not None:
        _check_team_member(team_member, village)

    contact = Contact(
        commune_id=village.commune_id,
        village=village,
        household=household,
        channel=channel,
        contacted_on=contacted_on,
        outcome=outcome,
        note=(note or "").strip(),
        people_count=people_count,
        made_by=user,
        team_member=team_member,
        follow_up_on=follow_up_on,
    )
    contact.full_clean()  # the choices and the database constraints, as messages
    contact.save()
    ContactTopic.objects.bulk_create(
        ContactTopic(contact=contact, topic=t) for t in chosen_topics
    )
    with translation.override("vi"):  # the history is part of the record
        labels = ", ".join(str(ContactTopicChoice(t).label) for t in chosen_topics)
        topics_note = _("Topics: %(topics)s") % {"topics": labels}
    audit_created(
        actor=user,
        instance=contact,
        fields=CONTACT_FIELDS,
        parent=household or village,
        note=topics_note,
    )
    return contact


@transaction.atomic
def contact_follow_up_done(*, user, contact: Contact, note: str = "") -> Contact:
    """Close a contact's follow-up. Closing it twice is refused, saying when and by whom
    it was closed, and changes nothing."""
    _ensure_may_log(user)
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("household", "village", "follow_up_done_by")
        .filter(pk=contact.pk, village__in=villages_for(user).values("pk"))
        .first()
    )
    if contact is None:
        raise PermissionDenied(_("You cannot close follow-ups of this village."))
    if contact.follow_up_on is None:
        raise ValidationError(
            _("No follow-up was planned for this contact."), code="no_follow_up"
        )
    if contact.follow_up_done_at is not None:
        done_by = contact.follow_up_done_by
        raise ValidationError(
            _("This follow-up was already marked done on %(date)s by %(name)s.")
            % {
                "date": f"{timezone.localtime(contact.follow_up_done_at):%d/%m/%Y}",
                "name": (done_by.get_full_name() or done_by.username)
                if done_by
                else "—",
            },
            code="already_done",
        )
    audited_update(
        contact,
        {
            "follow_up_done_at": timezone.now(),
            "follow_up_done_by": user,
            "follow_up_note": (note or "").strip(),
        },
        actor=user,
        parent=contact.household or contact.village,
    )
    return contact
