"""Outreach contacts: every time the commune reached (or tried to reach) people.

A contact is with one household (door to door, a phone call, a word after a meeting) or
with a whole village (a village meeting, a loudspeaker announcement, a post in the village
Zalo group or on the commune's information page). Coverage counts households reached by
a household contact whose outcome is not "not reached"; a village-wide contact reaches
people nobody wrote down, so it counts as a meeting, not as households (docs/decisions.md).

A resident's request from the public portal (to join a training, to be called about a
loan) is a contact too, so it lands in the village officer's follow-up list: nobody
logged it (``made_by`` is empty), it names whom to call back, and it is the household
reaching the commune, not the other way round, so coverage never counts it.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.models import Commune, Household, Village

from .teams import TeamMember

EARLIEST_CONTACT_DATE = date(2000, 1, 1)


class ContactChannel(models.TextChoices):
    DOOR_TO_DOOR = "door_to_door", _("door to door")
    PHONE = "phone", _("phone call")
    MEETING = "meeting", _("village meeting")
    ZALO_GROUP = "zalo_group", _("village Zalo group")
    INFO_PAGE = "info_page", _("commune information page")
    LOUDSPEAKER = "loudspeaker", _("loudspeaker")
    RESIDENT_REQUEST = "resident_request", _("requested by a resident")


# Channels that reach one household, so the household must be named.
HOUSEHOLD_CHANNELS = (ContactChannel.DOOR_TO_DOOR, ContactChannel.PHONE)
# Channels an official may log by hand: a resident request only comes from the public
# form.
LOGGED_CHANNELS = [
    (value, label)
    for value, label in ContactChannel.choices
    if value != ContactChannel.RESIDENT_REQUEST
]


class ContactTopicChoice(models.TextChoices):
    LOANS = "loans", _("preferential loans")
    LAND = "land", _("land")
    TRAININGS = "trainings", _("agricultural trainings")
    VOCATIONAL = "vocational", _("vocational training")
    JOBS = "jobs", _("jobs")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    LEGAL_AID = "legal_aid", _("legal aid")


class ContactOutcome(models.TextChoices):
    INFORMED = "informed", _("informed")
    INTERESTED = "interested", _("interested, needs help")
    HELPED = "helped", _("helped to apply or register")
    DECLINED = "declined", _("not interested")
    NOT_REACHED = "not_reached", _("not reached (not at home, no answer)")


class ContactQuerySet(models.QuerySet):
    def reached(self) -> "ContactQuerySet":
        """Household contacts that reached the household (a resident's request is the
        household reaching us, not a contact made)."""
        return (
            self.filter(household__isnull=False)
            .exclude(outcome=ContactOutcome.NOT_REACHED)
            .exclude(channel=ContactChannel.RESIDENT_REQUEST)
        )

    def made(self) -> "ContactQuerySet":
        """Contacts the commune made (every one but residents' requests)."""
        return self.exclude(channel=ContactChannel.RESIDENT_REQUEST)

    def follow_ups_open(self) -> "ContactQuerySet":
        return self.filter(follow_up_on__isnull=False, follow_up_done_at__isnull=True)


class Contact(models.Model):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("Leave empty for a meeting or announcement to the whole village."),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=ContactChannel.choices
    )
    contacted_on = models.DateField(_("date"))
    outcome = models.CharField(
        _("outcome"),
        max_length=15,
        choices=ContactOutcome.choices,
        default=ContactOutcome.INFORMED,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    people_count = models.PositiveIntegerField(
        _("people present"),
        null=True,
        blank=True,
        help_text=_("For a meeting: how many people came."),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a resident's request from the public portal."),
    )
    team_member = models.ForeignKey(
        TeamMember,
        verbose_name=_("digital team member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("The team member who made the contact, if not you."),
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed up by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    follow_up_note = models.CharField(_("follow-up note"), max_length=500, blank=True)
    requester_name = models.CharField(
        _("requester's name"),
        max_length=100,
        blank=True,
        help_text=_("For a resident's request: the name they gave."),
    )
    requester_phone = models.CharField(
        _("requester's phone"),
        max_length=10,
        blank=True,
        help_text=_("For a resident's request: the number to call back."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ("-contacted_on", "-pk")
        indexes = [
            models.Index(
                fields=["village", "contacted_on"], name="contact_village_idx"
            ),
            models.Index(
                fields=["household", "contacted_on"], name="contact_household_idx"
            ),
            models.Index(
                fields=["follow_up_on"],
                condition=Q(follow_up_done_at__isnull=True),
                name="contact_follow_up_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False)
                | ~Q(channel__in=HOUSEHOLD_CHANNELS),
                name="contact_household_channel_names_household",
                violation_error_message=_(
                    "A visit or a phone call is with a household: choose the household."
                ),
            ),
            models.CheckConstraint(
                condition=Q(contacted_on__gte=EARLIEST_CONTACT_DATE),
                name="contact_plausible_date",
                violation_error_message=_("The date is too far in the past."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True)
                | Q(follow_up_on__gte=F("contacted_on")),
                name="contact_follow_up_after_contact",
                violation_error_message=_(
                    "The follow-up date cannot be before the contact."
                ),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True)
                | Q(follow_up_on__isnull=False),
                name="contact_follow_up_done_was_planned",
            ),
            models.CheckConstraint(
                condition=Q(people_count__isnull=True) | Q(people_count__gt=0),
                name="contact_people_count_positive",
                violation_error_message=_("The number of people must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(made_by__isnull=False) | Q(channel="resident_request"),
                name="contact_made_by_unless_resident_request",
                violation_error_message=_(
                    "Only a resident's request may have nobody who logged it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(channel="resident_request")
                | ~Q(requester_phone="")
                | Q(household__isnull=False),
                name="contact_resident_request_reachable",
                violation_error_message=_(
                    "A resident's request needs a phone number or a household to "
                    "call back."
                ),
            ),
        ]

    def __str__(self) -> str:
        who = self.household or self.village
        return f"{self.contacted_on:%d/%m/%Y} {self.get_channel_display()}: {who}"

    @property
    def is_resident_request(self) -> bool:
        return self.channel == ContactChannel.RESIDENT_REQUEST

    @property
    def call_back_phone(self) -> str:
        """The number to call about this contact: the one a resident gave, else the
        household's."""
        if self.requester_phone:
            return self.requester_phone
        return self.household.phone if self.household_id else ""

    @property
    def logged_by_name(self) -> str:
        """Who logged it, as the screens and the export show it."""
        if self.made_by_id is None:
            if self.requester_name:
                return str(
                    _("Sent by a resident: %(name)s") % {"name": self.requester_name}
                )
            return str(_("Sent by a resident"))
        return self.made_by.get_full_name() or self.made_by.username


class ContactTopic(models.Model):
    """One topic of a contact (a contact may cover several)."""

    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="topics",
    )
    topic = models.CharField(
        _("topic"), max_length=20, choices=ContactTopicChoice.choices
    )

    class Meta:
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "topic"], name="contact_topic_once"
            ),
        ]

    def __str__(self) -> str:
        return self.get_topic_display()
