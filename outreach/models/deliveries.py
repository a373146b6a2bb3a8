"""One row per notice and group: the outbox, and the idempotency key of "a notice goes
to a group at most once".

The status walks queued → wired → sent, or failed with a reason (RapidPro's message
rows). ``wired`` is committed before the provider is called, so a worker killed during
the call leaves a trace the sweeper can find.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..delivery_errors import DeliveryErrorCode, explain
from .groups import VillageGroup
from .notices import Notice


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    WIRED = "wired", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


FINAL_DELIVERY_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.FAILED)


class Delivery(models.Model):
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    group = models.ForeignKey(
        VillageGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    # The exact text this group gets, rendered when the notice was sent out.
    text = models.TextField(_("text"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    wired_at = models.DateTimeField(
        _("handed to the provider at"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    provider_id = models.CharField(
        _("provider's message id"), max_length=200, blank=True
    )
    # The provider's own words, for support; officials read ``error_explanation``.
    error = models.CharField(_("error"), max_length=300, blank=True)
    error_code = models.CharField(
        _("kind of error"),
        max_length=20,
        choices=DeliveryErrorCode.choices,
        blank=True,  # rows from before the codes read as "unknown"
    )
    # Relay groups (a personal Zalo group the API cannot reach): the village officer
    # forwards the text and confirms; until then the delivery stays queued and is chased.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("forwarded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chase_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_chased_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ("pk",)
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "group"], name="delivery_once_per_group"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT)
                | (~Q(provider_id="") & Q(sent_at__isnull=False)),
                name="delivery_sent_has_provider_id",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.FAILED)
                | (~Q(error="") & Q(failed_at__isnull=False)),
                name="delivery_failed_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.WIRED) | Q(wired_at__isnull=False),
                name="delivery_wired_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.group}"

    @property
    def error_explanation(self) -> str:
        """What went wrong and what to do, translated; "" when nothing did."""
        if not (self.error or self.error_code):
            return ""
        return explain(self.error_code, failed=self.status == DeliveryStatus.FAILED)
