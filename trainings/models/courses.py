"""Courses: what the commune and its partners teach, to whom, and why.

A course is the subject (sustainable coffee growing, a sewing class, health insurance
explained); its sessions are the dates and places it is held. Target villages and groups
say whom the course is for (its reminders go to those villages); a course may be
recommended for a loan purpose, so a household borrowing for coffee is pointed to the
coffee course.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Commune, Village
from households.text import fold
from loans.models import Purpose


class Topic(models.TextChoices):
    DURIAN = "durian", _("durian")
    COFFEE = "coffee", _("coffee")
    PEPPER = "pepper", _("pepper")
    OTHER_CROPS = "crops", _("other crops")
    LIVESTOCK = "livestock", _("livestock")
    VOCATIONAL_TRADE = "trade", _("vocational trade")
    DIGITAL_SKILLS = "digital", _("digital skills")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    LAND_POLICY = "land_policy", _("land policy")
    OTHER = "other", _("other")


class CourseKind(models.TextChoices):
    EXTENSION = "extension", _("agricultural extension")
    VOCATIONAL = "vocational", _("vocational training")
    INFORMATION = "information", _("information session")


class OrganiserKind(models.TextChoices):
    EXTENSION_CENTRE = "extension_centre", _("agricultural extension centre")
    COMPANY = "company", _("company")
    MASS_ORGANISATION = "mass_organisation", _("mass organisation")
    COMMUNE = "commune", _("commune People's Committee")
    OTHER = "other", _("other organiser")


class TargetGroup(models.TextChoices):
    POOR = "poor", _("poor households")
    NEAR_POOR = "near_poor", _("near-poor households")
    ETHNIC_MINORITY = "ethnic_minority", _("ethnic minorities")
    WOMEN = "women", _("women")
    YOUTH = "youth", _("youth")


class Course(models.Model):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    # Folded title ("ca phe" finds "Cà phê"), kept in step by save().
    title_folded = models.CharField(max_length=200, editable=False, db_index=True)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=CourseKind.choices)
    organiser_kind = models.CharField(
        _("organiser"), max_length=20, choices=OrganiserKind.choices
    )
    organiser_name = models.CharField(
        _("organiser's name"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Trung tâm Khuyến nông tỉnh Đắk Lắk."),
    )
    description = models.TextField(_("description"), blank=True)
    target_villages = models.ManyToManyField(
        Village,
        verbose_name=_("target villages"),
        blank=True,
        related_name="courses",
        help_text=_("Leave empty for the whole commune."),
    )
    loan_purpose = models.CharField(
        _("recommended with loans for"),
        max_length=12,
        choices=Purpose.choices,
        blank=True,
        help_text=_("Households borrowing for this purpose are pointed to the course."),
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
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title_folded = fold(self.title)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_folded"}
        super().save(*args, **kwargs)

    @property
    def offers_vocational_support(self) -> bool:
        """Vocational courses pay trainees a support (Decision 46/2015/QĐ-TTg)."""
        return self.kind == CourseKind.VOCATIONAL


class CourseTarget(models.Model):
    """One target group of a course (a course may have several)."""

    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    group = models.CharField(
        _("target group"), max_length=20, choices=TargetGroup.choices
    )

    class Meta:
        verbose_name = _("course target group")
        verbose_name_plural = _("course target groups")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "group"], name="course_target_once"
            ),
        ]

    def __str__(self) -> str:
        return self.get_group_display()
