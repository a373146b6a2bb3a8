"""Community digital technology teams (tổ công nghệ số cộng đồng), one per village.

Set up by a decision of the commune chairman: the village head plus members, Youth Union
members recommended (guidance 793/BTTTT-THH, 2022). They explain digital services, help
people install and use them and apply online. A member need not have a portal account;
``user`` links the ones who do, so a contact they log names them.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Village
from households.text import fold

# Teams were set up from 2021 on; an earlier date is a typing mistake.
EARLIEST_TEAM_DATE = date(2020, 1, 1)


class DigitalTeam(models.Model):
    village = models.OneToOneField(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="digital_team",
    )
    established_on = models.DateField(_("established on"))
    decision_number = models.CharField(
        _("decision number"),
        max_length=50,
        help_text=_("The number of the chairman's decision, e.g. 125/QĐ-UBND."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("digital team")
        verbose_name_plural = _("digital teams")
        ordering = ("village__sort_order", "village__name")
        constraints = [
            models.CheckConstraint(
                condition=Q(established_on__gte=EARLIEST_TEAM_DATE),
                name="digital_team_plausible_date",
                violation_error_message=_("The team cannot be older than 2020."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Digital team of %(village)s") % {"village": self.village})


class TeamRole(models.TextChoices):
    LEADER = "leader", _("team leader")
    DEPUTY = "deputy", _("deputy leader")
    MEMBER = "member", _("member")


class TeamMemberQuerySet(models.QuerySet):
    def active(self) -> "TeamMemberQuerySet":
        return self.filter(left_on__isnull=True)


class TeamMember(models.Model):
    team = models.ForeignKey(
        DigitalTeam,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    full_name = models.CharField(_("full name"), max_length=100)
    # Folded name ("nguyen van an" finds "Nguyễn Văn An"), kept in step by save().
    name_folded = models.CharField(max_length=100, editable=False, db_index=True)
    phone = models.CharField(_("phone"), max_length=10, blank=True)
    role = models.CharField(
        _("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    is_youth_union = models.BooleanField(_("Youth Union member"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ("team", "full_name")
        constraints = [
            # A team has one leader at a time; a leader who left frees the place.
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader", left_on__isnull=True),
                name="team_one_leader",
                violation_error_message=_("This team already has a leader."),
            ),
            models.UniqueConstraint(
                fields=["team", "phone"],
                condition=~Q(phone="") & Q(left_on__isnull=True),
                name="team_member_phone_unique",
                violation_error_message=_(
                    "A member of this team already has this phone number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=models.F("joined_on")),
                name="team_member_left_after_joined",
                violation_error_message=_(
                    "The date of leaving cannot be before the date of joining."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)
