"""The catalogue of preferential loan programs (Vietnam Bank for Social Policies style).

Shipped as data (``loans/data/loan_programs.csv``, sources in ``loans/data/SOURCES.md``),
editable by an admin, retired rather than deleted: loans point at a program with PROTECT.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from households.poverty import format_vnd
from households.text import english_active

# Overdue principal pays 130% of the loan's normal rate (ea_ktur.md: the VBSP's overdue
# rule). A constant, not a column: it is the same for every program.
OVERDUE_RATE_MULTIPLIER = Decimal("1.3")


class LoanProgramQuerySet(models.QuerySet):
    def active(self) -> "LoanProgramQuerySet":
        return self.filter(is_active=True)


class LoanProgram(models.Model):
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Upper-case letters, digits and underscores, e.g. HO_NGHEO."),
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150)
    max_amount = models.BigIntegerField(
        _("maximum amount (VND)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty when the amount depends on the case (e.g. social housing)."),
    )
    cap_is_per_month = models.BooleanField(
        _("maximum is per month of the term"),
        default=False,
        help_text=_("Student loans: the maximum is per month of study."),
    )
    annual_rate = models.DecimalField(
        _("annual interest rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(100)],
    )
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum term (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    who_qualifies_vi = models.TextField(_("who qualifies (Vietnamese)"))
    who_qualifies_en = models.TextField(_("who qualifies (English)"))
    source_vi = models.CharField(
        _("legal source (Vietnamese)"), max_length=300, blank=True
    )
    source_en = models.CharField(
        _("legal source (English)"), max_length=300, blank=True
    )
    confidence_vi = models.CharField(
        _("what is still unconfirmed (Vietnamese)"), max_length=200, blank=True
    )
    confidence_en = models.CharField(
        _("what is still unconfirmed (English)"), max_length=200, blank=True
    )
    is_active = models.BooleanField(
        _("open for new applications"),
        default=True,
        help_text=_("Retire a program instead of deleting it; its loans keep it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = LoanProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan program")
        verbose_name_plural = _("loan programs")
        ordering = ("sort_order", "code")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_rate__gt=0) & Q(annual_rate__lte=100),
                name="program_rate_plausible",
                violation_error_message=_(
                    "The annual rate must be above 0%% and at most 100%%."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gt=0),
                name="program_max_amount_positive",
                violation_error_message=_("The maximum amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(max_term_months__isnull=True) | Q(max_term_months__gt=0),
                name="program_max_term_positive",
                violation_error_message=_(
                    "The maximum term must be at least one month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(cap_is_per_month=False) | Q(max_amount__isnull=False),
                name="program_monthly_cap_has_amount",
                violation_error_message=_(
                    "A maximum per month of the term needs the monthly amount."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english_active() else self.name_vi

    @property
    def source(self) -> str:
        return self.source_en if english_active() else self.source_vi

    @property
    def confidence(self) -> str:
        return self.confidence_en if english_active() else self.confidence_vi

    @property
    def who_qualifies(self) -> str:
        return self.who_qualifies_en if english_active() else self.who_qualifies_vi

    def cap_for(self, term_months: int | None) -> int | None:
        """The most a loan of ``term_months`` may be (``None``: no fixed cap)."""
        if self.max_amount is None:
            return None
        if self.cap_is_per_month:
            return self.max_amount * max(term_months or 0, 0)
        return self.max_amount

    def check_terms(self, *, amount: int | None, term_months: int | None) -> None:
        """Refuse an amount above the cap or a term above the longest, with the figures
        in the message (the loan services and the disbursement import both ask)."""
        errors = {}
        if term_months and self.max_term_months and term_months > self.max_term_months:
            errors["term_months"] = gettext(
                "%(program)s lends for at most %(max)s months."
            ) % {"program": self, "max": self.max_term_months}
        cap = self.cap_for(term_months)
        if amount is not None and cap is not None and amount > cap:
            errors["amount"] = gettext(
                "%(amount)s is above the maximum of %(cap)s for %(program)s."
            ) % {"amount": format_vnd(amount), "cap": format_vnd(cap), "program": self}
        if errors:
            raise ValidationError(errors)
