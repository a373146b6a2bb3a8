"""The national poverty standard: the statuses a review can give, the dimensions and
deprivation indicators of the multidimensional standard, and the standard itself with its
income lines for a range of review years.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..text import english_active


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("poor")
    NEAR_POOR = "near_poor", _("near-poor")
    ESCAPED_POOR = "escaped_poor", _("escaped poverty")
    ESCAPED_NEAR_POOR = "escaped_near_poor", _("escaped near-poverty")
    AVERAGE = "average", _("average living standard")
    NONE = "none", _("not poor")


class Dimension(models.TextChoices):
    EMPLOYMENT = "employment", _("employment")
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    HOUSING = "housing", _("housing")
    WATER = "water", _("water and sanitation")
    INFORMATION = "information", _("information")


class DeprivationIndicator(models.Model):
    """One indicator of the multidimensional poverty standard (e.g. "hygienic latrine")."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    dimension = models.CharField(
        _("dimension"), max_length=20, choices=Dimension.choices
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    description_vi = models.TextField(
        _("when a household is deprived (Vietnamese)"), blank=True
    )
    description_en = models.TextField(
        _("when a household is deprived (English)"), blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deprivation indicator")
        verbose_name_plural = _("deprivation indicators")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return self.name_en if english_active() else self.name_vi

    @property
    def description(self) -> str:
        """What being deprived means, in the reader's language."""
        english = english_active()
        return (self.description_en if english else self.description_vi) or ""


class PovertyStandard(models.Model):
    """The national poverty standard in force for a range of review years.

    Thresholds are data an admin can edit, not code: the figures for 2027–2030 were not
    confirmed when this was written (see households/data/SOURCES.md).
    """

    name = models.CharField(_("name"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    rural_line = models.BigIntegerField(_("rural poverty line (VND/person/month)"))
    urban_line = models.BigIntegerField(_("urban poverty line (VND/person/month)"))
    rural_average_ceiling = models.BigIntegerField(
        _("rural average living standard ceiling (VND/person/month)")
    )
    urban_average_ceiling = models.BigIntegerField(
        _("urban average living standard ceiling (VND/person/month)")
    )
    poor_min_deprivations = models.PositiveSmallIntegerField(
        _("deprivations that make an income-poor household poor"), default=3
    )
    indicators = models.ManyToManyField(
        DeprivationIndicator, verbose_name=_("indicators"), related_name="standards"
    )

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ("-first_year",)
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="standard_years_ordered",
            ),
            models.CheckConstraint(
                condition=Q(rural_line__gt=0)
                & Q(urban_line__gt=0)
                & Q(rural_average_ceiling__gt=models.F("rural_line"))
                & Q(urban_average_ceiling__gt=models.F("urban_line")),
                name="standard_thresholds_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_year}–{self.last_year})"
