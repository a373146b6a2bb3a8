"""Loans and their repayments.

A loan walks applied → approved → disbursed → settled (or rejected before disbursement);
``TRANSITIONS`` is the only map of what may follow what, and the services check it. The
program's rate, cap and term are copied onto the loan when it is approved, so a later change
to the catalogue never rewrites history. "Overdue" is not stored: it is a disbursed loan
past its due date with principal outstanding (``LoanQuerySet.overdue``).

Repayments are never edited or deleted: a mistake is undone by a reversing entry (negative
amounts pointing at the entry it cancels). ``Loan.principal_repaid`` and
``Loan.interest_paid`` are the running sums of a loan's repayments, updated in the same
transaction as each entry, so the database itself refuses a repayment above what is
outstanding (``loan_repaid_within_amount``).
"""

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from households.models import Commune, Household

from .groups import SavingsGroup
from .programs import LoanProgram

# Loans recorded in the portal are this century's: an earlier date is a typing mistake
# (the period report refuses the same dates).
EARLIEST_DATE = date(2000, 1, 1)


class LoanStatus(models.TextChoices):
    # A context of its own: a review import that is "applied" is worded differently.
    APPLIED = "applied", pgettext_lazy("loan status", "applied")
    APPROVED = "approved", _("approved")
    DISBURSED = "disbursed", _("disbursed")
    SETTLED = "settled", _("settled")
    REJECTED = "rejected", _("rejected")


# What may follow what. Settled goes back to disbursed only when a repayment is reversed.
TRANSITIONS: dict[str, frozenset[str]] = {
    LoanStatus.APPLIED: frozenset({LoanStatus.APPROVED, LoanStatus.REJECTED}),
    LoanStatus.APPROVED: frozenset({LoanStatus.DISBURSED, LoanStatus.REJECTED}),
    LoanStatus.DISBURSED: frozenset({LoanStatus.SETTLED}),
    LoanStatus.SETTLED: frozenset({LoanStatus.DISBURSED}),
    LoanStatus.REJECTED: frozenset(),
}


class Purpose(models.TextChoices):
    COFFEE = "coffee", _("coffee")
    PEPPER = "pepper", _("pepper")
    DURIAN = "durian", _("durian")
    OTHER_CROPS = "crops", _("other crops")
    LIVESTOCK = "livestock", _("livestock")
    WATER_SANITATION = "water", _("clean water or latrine")
    HOUSING = "housing", _("housing")
    LAND = "land", _("residential land")
    STUDY = "study", _("study")
    TRADE = "trade", _("trade and services")
    JOB = "job", _("job creation")
    OTHER = "other", _("other")


class Eligibility(models.TextChoices):
    """The rule's verdict when the application was entered (``loans.eligibility``)."""

    QUALIFIES = "qualifies", _("qualifies")
    MAY_QUALIFY = "may_qualify", _("may qualify")
    DOES_NOT = "does_not", _("does not qualify")


class LoanQuerySet(models.QuerySet):
    def with_outstanding(self) -> "LoanQuerySet":
        return self.annotate(
            principal_outstanding=ExpressionWrapper(
                F("amount") - F("principal_repaid"),
                output_field=models.BigIntegerField(),
            )
        )

    def disbursed_between(self, start: date, end: date) -> "LoanQuerySet":
        return self.filter(disbursed_on__gte=start, disbursed_on__lte=end)

    def overdue(self, today: date) -> "LoanQuerySet":
        """Disbursed, past the due date, principal still outstanding."""
        return self.filter(status=LoanStatus.DISBURSED, due_on__lt=today)

    def open(self) -> "LoanQuerySet":
        """Not yet settled or rejected: what a household still has running."""
        return self.filter(
            status__in=(LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.DISBURSED)
        )


def _status_in(*statuses: str) -> Q:
    return Q(status__in=statuses)


class Loan(models.Model):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    program = models.ForeignKey(
        LoanProgram,
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    savings_group = models.ForeignKey(
        SavingsGroup,
        verbose_name=_("savings group"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    contract_number = models.CharField(
        _("contract number"),
        max_length=30,
        blank=True,
        help_text=_("The number on the bank's loan agreement, once there is one."),
    )
    amount = models.BigIntegerField(
        _("amount (VND)"), validators=[MinValueValidator(1)]
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LoanStatus.choices,
        default=LoanStatus.APPLIED,
        db_index=True,
    )
    applied_on = models.DateField(_("applied on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    disbursed_on = models.DateField(
        _("disbursed on"), null=True, blank=True, db_index=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=300, blank=True
    )
    # The program's terms, copied at approval (empty before).
    annual_rate = models.DecimalField(
        _("annual interest rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cap_amount = models.BigIntegerField(_("program maximum"), null=True, blank=True)
    max_term_months = models.PositiveSmallIntegerField(
        _("program maximum term (months)"), null=True, blank=True
    )
    # The eligibility rule's verdict at application, in Vietnamese (part of the record).
    eligibility = models.CharField(
        _("eligibility"), max_length=12, choices=Eligibility.choices
    )
    eligibility_reasons = models.TextField(_("why"), blank=True)
    override_reason = models.CharField(
        _("reason for lending although the rule does not say qualifies"),
        max_length=300,
        blank=True,
    )
    # A random key from the application form: a double-submitted form enters one loan.
    request_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    principal_repaid = models.BigIntegerField(_("principal repaid"), default=0)
    interest_paid = models.BigIntegerField(_("interest paid"), default=0)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ("-applied_on", "-id")
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The loan list's default order: its page of 50 is a walk of this index,
            # not a sort of the whole book (docs/performance.md).
            models.Index(fields=["-applied_on", "-id"], name="loan_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="loan_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(cap_amount__isnull=True) | Q(amount__lte=F("cap_amount")),
                name="loan_amount_within_cap",
                violation_error_message=_("The amount is above the program's maximum."),
            ),
            models.CheckConstraint(
                condition=Q(term_months__gt=0)
                & (
                    Q(max_term_months__isnull=True)
                    | Q(term_months__lte=F("max_term_months"))
                ),
                name="loan_term_within_max",
                violation_error_message=_(
                    "The term is longer than the program allows."
                ),
            ),
            models.CheckConstraint(
                condition=Q(disbursed_on__isnull=True)
                | Q(due_on__gt=F("disbursed_on")),
                name="loan_due_after_disbursement",
                violation_error_message=_(
                    "The due date must come after the disbursement date."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(approved_on__isnull=True) | Q(approved_on__gte=F("applied_on"))
                )
                & (Q(disbursed_on__isnull=True) | Q(disbursed_on__gte=F("approved_on")))
                & (Q(settled_on__isnull=True) | Q(settled_on__gte=F("disbursed_on")))
                & (Q(rejected_on__isnull=True) | Q(rejected_on__gte=F("applied_on")))
                & (
                    Q(rejected_on__isnull=True)
                    | Q(approved_on__isnull=True)
                    | Q(rejected_on__gte=F("approved_on"))
                ),
                name="loan_dates_in_order",
                violation_error_message=_(
                    "The dates are out of order: application, approval, "
                    "disbursement and settlement follow one another."
                ),
            ),
            # Each status carries the facts that put it there, and none from later on.
            models.CheckConstraint(
                condition=(
                    _status_in(LoanStatus.APPLIED, LoanStatus.REJECTED)
                    | (
                        Q(approved_on__isnull=False)
                        & Q(annual_rate__isnull=False)
                        & Q(rejected_on__isnull=True)
                    )
                )
                & (
                    _status_in(LoanStatus.DISBURSED, LoanStatus.SETTLED)
                    | (Q(disbursed_on__isnull=True) & Q(due_on__isnull=True))
                )
                & (
                    ~_status_in(LoanStatus.DISBURSED, LoanStatus.SETTLED)
                    | (Q(disbursed_on__isnull=False) & Q(due_on__isnull=False))
                )
                & (
                    (Q(status=LoanStatus.SETTLED) & Q(settled_on__isnull=False))
                    | (~Q(status=LoanStatus.SETTLED) & Q(settled_on__isnull=True))
                )
                & (
                    (
                        Q(status=LoanStatus.REJECTED)
                        & Q(rejected_on__isnull=False)
                        & ~Q(rejection_reason="")
                    )
                    | (~Q(status=LoanStatus.REJECTED) & Q(rejected_on__isnull=True))
                ),
                name="loan_status_has_its_facts",
                violation_error_message=_(
                    "The loan's dates and terms do not match its status."
                ),
            ),
            models.CheckConstraint(
                condition=Q(principal_repaid__gte=0)
                & Q(principal_repaid__lte=F("amount"))
                & Q(interest_paid__gte=0),
                name="loan_repaid_within_amount",
                violation_error_message=_(
                    "A repayment cannot be more than the principal outstanding."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=LoanStatus.SETTLED) & Q(principal_repaid=F("amount"))
                )
                | (Q(status=LoanStatus.DISBURSED) & Q(principal_repaid__lt=F("amount")))
                | (
                    _status_in(
                        LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.REJECTED
                    )
                    & Q(principal_repaid=0)
                    & Q(interest_paid=0)
                ),
                name="loan_settled_when_repaid",
                violation_error_message=_(
                    "A loan is settled exactly when its principal is repaid in full."
                ),
            ),
            models.CheckConstraint(
                condition=Q(eligibility=Eligibility.QUALIFIES) | ~Q(override_reason=""),
                name="loan_override_has_reason",
                violation_error_message=_(
                    "The rule does not say this household qualifies: give the reason "
                    "for lending anyway."
                ),
            ),
            models.UniqueConstraint(
                fields=["commune", "contract_number"],
                condition=~Q(contract_number=""),
                name="loan_contract_number_unique",
                violation_error_message=_(
                    "Another loan already has this contract number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number or _("loan no. %(pk)s") % {"pk": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("loans:loan_detail", args=[self.pk])

    @property
    def outstanding(self) -> int:
        """Principal still owed."""
        if self.status not in (LoanStatus.DISBURSED, LoanStatus.SETTLED):
            return 0
        return self.amount - self.principal_repaid

    def is_overdue(self, today: date) -> bool:
        return (
            self.status == LoanStatus.DISBURSED
            and self.due_on is not None
            and self.due_on < today
        )


class Repayment(models.Model):
    """One payment to a loan (principal and interest), or the reversal of one."""

    loan = models.ForeignKey(
        Loan,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="repayments",
    )
    paid_on = models.DateField(_("paid on"))
    principal = models.BigIntegerField(_("principal (VND)"))
    interest = models.BigIntegerField(_("interest (VND)"))
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # A random key from the form: a double-submitted repayment is recorded once.
    request_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
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
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ("paid_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(reverses__isnull=True)
                    & Q(principal__gte=0)
                    & Q(interest__gte=0)
                    & (Q(principal__gt=0) | Q(interest__gt=0))
                )
                | (
                    Q(reverses__isnull=False)
                    & Q(principal__lte=0)
                    & Q(interest__lte=0)
                    & ~Q(reason="")
                ),
                name="repayment_amounts_signed",
                violation_error_message=_(
                    "A repayment pays something and a reversal takes it back, "
                    "with a reason."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan} – {self.paid_on:%d/%m/%Y}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None
