"""The yearly poverty review of a household, and the uploaded review lists (imports) that
wait between their preview and their confirmation.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .households import Household
from .places import Commune
from .standards import DeprivationIndicator, PovertyStandard, PovertyStatus


class PovertyReview(models.Model):
    """The yearly review (rà soát) of one household: one per household per year."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    year = models.PositiveSmallIntegerField(
        _("review year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    standard = models.ForeignKey(
        PovertyStandard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    income_per_person = models.BigIntegerField(
        _("income per person per month (VND)"), validators=[MinValueValidator(0)]
    )
    deprivations = models.ManyToManyField(
        DeprivationIndicator,
        verbose_name=_("deprivations"),
        blank=True,
        related_name="+",
    )
    proposed_status = models.CharField(
        _("proposed status"), max_length=20, choices=PovertyStatus.choices
    )
    proposal_reason = models.TextField(_("why the portal proposed it"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=PovertyStatus.choices)
    override_reason = models.CharField(
        _("reason for overriding the proposal"), max_length=300, blank=True
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("poverty review")
        verbose_name_plural = _("poverty reviews")
        ordering = ("household", "-year")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="review_one_per_year",
                violation_error_message=_(
                    "This household already has a review for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(income_per_person__gte=0), name="review_income_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status=models.F("proposed_status"))
                | ~Q(override_reason=""),
                name="review_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="review_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} – {self.year}"

    @property
    def is_overridden(self) -> bool:
        return self.status != self.proposed_status


class ReviewImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("waiting for confirmation")
    SAVING = "saving", _("being saved")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("not saved")
    DISCARDED = "discarded", _("discarded")


class ReviewImport(models.Model):
    """An uploaded review list between its preview and its confirmation.

    The parsed, validated rows are kept (not the file), so the confirmation applies exactly
    what the official saw in the preview. Confirmed batches are saved by a Celery task
    (thousands of rows take longer than a web request may): previewed → saving → applied,
    or failed with the reasons when the registry changed meanwhile.
    """

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewImportStatus.choices,
        default=ReviewImportStatus.PREVIEWED,
    )
    rows = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review import")
        verbose_name_plural = _("review imports")
        ordering = ("-uploaded_at",)

    def __str__(self) -> str:
        return self.file_name
