"""Notices to village groups and their status walk.

draft → submitted (a village officer asks for approval) → scheduled (approved, or
scheduled directly by a commune-wide official) → dispatched (one delivery row per group)
→ done (every delivery sent or failed). Until dispatched a notice may be cancelled; a
scheduled notice found too late is expired instead of sent late. ``TRANSITIONS`` is the
only map of what may follow what, and the services check it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Commune, Village
from households.text import fold


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting approval")
    SCHEDULED = "scheduled", _("scheduled")
    DISPATCHED = "dispatched", _("sending")
    DONE = "done", _("finished")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("too late, not sent")


TRANSITIONS: dict[str, frozenset[str]] = {
    NoticeStatus.DRAFT: frozenset(
        {NoticeStatus.SUBMITTED, NoticeStatus.SCHEDULED, NoticeStatus.CANCELLED}
    ),
    NoticeStatus.SUBMITTED: frozenset({NoticeStatus.SCHEDULED, NoticeStatus.CANCELLED}),
    NoticeStatus.SCHEDULED: frozenset(
        {NoticeStatus.DISPATCHED, NoticeStatus.CANCELLED, NoticeStatus.EXPIRED}
    ),
    NoticeStatus.DISPATCHED: frozenset({NoticeStatus.DONE}),
    # Resending failed deliveries opens a finished notice again.
    NoticeStatus.DONE: frozenset({NoticeStatus.DISPATCHED}),
    NoticeStatus.CANCELLED: frozenset(),
    NoticeStatus.EXPIRED: frozenset(),
}

# Statuses in which the notice has an approved time.
APPROVED_STATUSES = (
    NoticeStatus.SCHEDULED,
    NoticeStatus.DISPATCHED,
    NoticeStatus.DONE,
    NoticeStatus.EXPIRED,
)


class Audience(models.TextChoices):
    ALL_VILLAGES = "all_villages", _("all villages")
    CHOSEN_VILLAGES = "chosen_villages", _("chosen villages")
    ETHNIC_MINORITY_VILLAGES = "ethnic_minority_villages", _("ethnic-minority villages")


class NoticeSource(models.TextChoices):
    MANUAL = "manual", _("written by an official")
    LOAN_REMINDER = "loan_reminder", _("loan repayment reminder")
    TRAINING_REMINDER = "training_reminder", _("training session reminder")


class NoticeQuerySet(models.QuerySet):
    def due(self, now) -> "NoticeQuerySet":
        return self.filter(status=NoticeStatus.SCHEDULED, scheduled_at__lte=now)


class Notice(models.Model):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    # The title folded ("hop thon" finds "Họp thôn"), kept in step by save().
    title_folded = models.CharField(max_length=200, editable=False, db_index=True)
    body = models.TextField(_("text in Vietnamese"))
    second_language = models.CharField(
        _("second language"),
        max_length=40,
        blank=True,
        help_text=_("For example Ê Đê or M'nông."),
    )
    body_second = models.TextField(_("text in the second language"), blank=True)
    second_language_villages = models.ManyToManyField(
        Village,
        verbose_name=_("villages that also get the second language"),
        blank=True,
        related_name="second_language_notices",
    )
    audience = models.CharField(
        _("audience"),
        max_length=30,
        choices=Audience.choices,
        default=Audience.ALL_VILLAGES,
    )
    villages = models.ManyToManyField(
        Village, verbose_name=_("villages"), blank=True, related_name="notices"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NoticeStatus.choices,
        default=NoticeStatus.DRAFT,
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("sent out at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=300, blank=True
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=NoticeSource.choices,
        default=NoticeSource.MANUAL,
    )
    # What an automatic reminder is about (e.g. "loan:123:2025-10-15"): created once.
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="notice_due_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "source_key"],
                condition=~Q(source_key=""),
                name="notice_source_key_unique",
            ),
            # Automatic reminders are approved by the rule that made them.
            models.CheckConstraint(
                condition=~Q(status__in=APPROVED_STATUSES)
                | (
                    Q(scheduled_at__isnull=False)
                    & (Q(approved_by__isnull=False) | ~Q(source=NoticeSource.MANUAL))
                ),
                name="notice_scheduled_is_approved",
            ),
            models.CheckConstraint(
                condition=~Q(status=NoticeStatus.CANCELLED)
                | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="notice_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(second_language="") & Q(body_second=""))
                | (~Q(second_language="") & ~Q(body_second="")),
                name="notice_second_language_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title_folded = fold(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.second_language and not self.body_second.strip():
            raise ValidationError(
                {"body_second": _("Write the text in the second language too.")}
            )
        if self.body_second.strip() and not self.second_language:
            raise ValidationError(
                {"second_language": _("Say which language the second text is in.")}
            )
