"""Sessions: a course held on a date, in a village, for a number of people.

Scheduled → held (attendance can be marked) or cancelled (with a reason; its unsent
reminders are cancelled and the villages told). Capacity bounds the registered
enrolments; more go to the waiting list.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.models import Village

from .courses import Course

EARLIEST_SESSION = datetime(2000, 1, 1, tzinfo=UTC)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Session(models.Model):
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    place = models.CharField(
        _("place"), max_length=200, help_text=_("e.g. the village cultural house.")
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=300, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("starts_at", "pk")
        indexes = [
            models.Index(fields=["starts_at"], name="session_start_idx"),
            models.Index(fields=["village", "starts_at"], name="session_village_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="session_capacity_positive",
                violation_error_message=_("A session has at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__gte=EARLIEST_SESSION),
                name="session_plausible_start",
                violation_error_message=_("The date is too far in the past."),
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled")
                | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="session_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.starts_at:%d/%m/%Y}"
