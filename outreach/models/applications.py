"""Online public-service applications a digital team member helped a household file.

The reference number is the one the national public-service portal gives the
application; it is unique there, so it is unique here once known.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.models import Household

from .teams import TeamMember

EARLIEST_APPLICATION_DATE = date(2020, 1, 1)


class PublicService(models.TextChoices):
    BIRTH_REGISTRATION = "birth", _("birth registration")
    DEATH_REGISTRATION = "death", _("death registration")
    RESIDENCE = "residence", _("residence registration")
    VNEID = "vneid", _("VNeID electronic identification")
    HEALTH_INSURANCE = "health_insurance", _("health insurance card")
    SOCIAL_ALLOWANCE = "social_allowance", _("social allowance")
    LAND = "land", _("land use certificate")
    BUSINESS = "business", _("household business registration")
    CRIMINAL_RECORD = "criminal_record", _("criminal record certificate")
    OTHER = "other", _("other service")


class ApplicationStatus(models.TextChoices):
    FILED = "filed", _("filed")
    PROCESSING = "processing", _("being processed")
    NEEDS_MORE = "needs_more", _("more papers needed")
    DONE = "done", _("result received")
    REJECTED = "rejected", _("refused")


OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.FILED,
    ApplicationStatus.PROCESSING,
    ApplicationStatus.NEEDS_MORE,
)


class AssistedApplication(models.Model):
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assisted_applications",
    )
    service = models.CharField(
        _("service"), max_length=20, choices=PublicService.choices
    )
    service_detail = models.CharField(
        _("service (details)"),
        max_length=200,
        blank=True,
        help_text=_("The service's name when it is not in the list."),
    )
    filed_on = models.DateField(_("filed on"))
    reference_number = models.CharField(
        _("reference number"),
        max_length=40,
        blank=True,
        help_text=_("The application code from the public-service portal."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.FILED,
    )
    helped_by = models.ForeignKey(
        TeamMember,
        verbose_name=_("helped by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assisted_applications",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assisted application")
        verbose_name_plural = _("assisted applications")
        ordering = ("-filed_on", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["reference_number"],
                condition=~Q(reference_number=""),
                name="assisted_application_reference_unique",
                violation_error_message=_(
                    "An application with this reference number is already recorded."
                ),
            ),
            models.CheckConstraint(
                condition=Q(filed_on__gte=EARLIEST_APPLICATION_DATE),
                name="assisted_application_plausible_date",
                violation_error_message=_("The filing date is too far in the past."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True)
                | Q(follow_up_on__gte=F("filed_on")),
                name="assisted_application_follow_up_after_filing",
                violation_error_message=_(
                    "The follow-up date cannot be before the filing date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(service="other") | ~Q(service_detail=""),
                name="assisted_application_other_named",
                violation_error_message=_("Say which service it is."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} – {self.household}"
