"""The groups a village is reached through: a Zalo group, an SMS list, an e-mail list.

A village may have several. A notice goes to every active group of its target villages,
one ``Delivery`` row per group.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Village


class GroupChannel(models.TextChoices):
    CONSOLE = "console", _("console (developer's log)")
    ZALO = "zalo", _("Zalo group")
    RELAY = "relay", _("relay by the village officer")
    SMS = "sms", _("SMS list")
    EMAIL = "email", _("e-mail list")


# Channels that need no address: the console logs, a relay goes to a person.
CHANNELS_WITHOUT_ADDRESS = (GroupChannel.CONSOLE, GroupChannel.RELAY)


class VillageGroupQuerySet(models.QuerySet):
    def active(self) -> "VillageGroupQuerySet":
        return self.filter(is_active=True)


class VillageGroup(models.Model):
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="notice_groups",
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=GroupChannel.choices
    )
    external_id = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_(
            "The Zalo group id, phone numbers or e-mail addresses separated by commas."
        ),
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VillageGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("village group")
        verbose_name_plural = _("village groups")
        ordering = ("village__sort_order", "village__name", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "channel", "external_id"],
                name="village_group_unique",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=CHANNELS_WITHOUT_ADDRESS) | ~Q(external_id=""),
                name="village_group_address_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.channel not in CHANNELS_WITHOUT_ADDRESS and not self.external_id:
            raise ValidationError(
                {"external_id": _("This channel needs an address to send to.")}
            )
