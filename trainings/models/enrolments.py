"""Enrolments: a person in a session, from registration to attendance.

The person is a member of a registered household (``member``), or a walk-in known by
name, birth year, phone and village until an official matches them to the registry
(or adds them to it). ``full_name`` is kept on every row so sign-in sheets and
certificates print without joins, and a walk-in has a name at all.

Status: registered or waitlisted → attended or absent (once the session is held), or
withdrawn. The waiting list is first come, first served (``created_at``). A person
counts once per course however many of its sessions they attend (selectors count
distinct people, not rows).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Household, Member, Village
from households.text import fold

from .sessions import Session


class EnrolmentStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITLISTED = "waitlisted", _("on the waiting list")
    ATTENDED = "attended", _("attended")
    ABSENT = "absent", _("absent")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Statuses that hold one of the session's places.
PLACE_HOLDING = (
    EnrolmentStatus.REGISTERED,
    EnrolmentStatus.ATTENDED,
    EnrolmentStatus.ABSENT,
)


class Enrolment(models.Model):
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("person in the registry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    full_name = models.CharField(_("full name"), max_length=100)
    name_folded = models.CharField(max_length=100, editable=False, db_index=True)
    # A walk-in's own details, kept to find them in the registry later.
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=10, blank=True)
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.REGISTERED,
    )
    # Vocational support this trainee is entitled to (VND), fixed at enrolment.
    support_amount = models.BigIntegerField(_("support (VND)"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance marked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance_marked_at = models.DateTimeField(
        _("attendance marked at"), null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ("session", "created_at", "pk")
        indexes = [
            models.Index(fields=["session", "status"], name="enrolment_session_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                condition=Q(member__isnull=False),
                name="enrolment_member_once",
                violation_error_message=_("This person is already enrolled."),
            ),
            models.UniqueConstraint(
                fields=["session", "name_folded", "phone", "birth_year"],
                condition=Q(member__isnull=True),
                name="enrolment_walk_in_once",
                violation_error_message=_("This person is already enrolled."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=True) | Q(household__isnull=False),
                name="enrolment_member_has_household",
            ),
            models.CheckConstraint(
                condition=~Q(full_name=""), name="enrolment_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(support_amount__isnull=True) | Q(support_amount__gte=0),
                name="enrolment_support_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="enrolment_withdrawn_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.session}"

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.full_name)[:100]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    @property
    def is_walk_in(self) -> bool:
        return self.member_id is None
