"""What the resident portal keeps of its own.

- ``ProgramGuide``: the practical side of a program a resident needs and the rules do
  not give: how much, what papers to bring, where to apply, and optionally the same in an
  ethnic-minority language the commune provides. Loan programs are matched by code to
  ``loans.LoanProgram``; the support policies (health insurance, vocational training
  support, agricultural trainings) exist only here.
- ``PublicAttempt``: one row per household lookup or resident request, whatever its
  outcome. It is the log the issue asks for and the rate limiter's memory at once, so the
  limit holds across every web process without a shared cache.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Commune, Household, Village
from households.text import english_active


class GuideKind(models.TextChoices):
    LOAN = "loan", _("preferential loan")
    HEALTH = "health", _("health insurance")
    VOCATIONAL = "vocational", _("vocational training support")
    TRAINING = "training", _("agricultural training")


class ProgramGuideQuerySet(models.QuerySet):
    def published(self) -> "ProgramGuideQuerySet":
        return self.filter(is_published=True)


class ProgramGuide(models.Model):
    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("For a loan, the code of its loan program (e.g. HO_NGHEO)."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=GuideKind.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150)
    summary_vi = models.TextField(_("who it is for (Vietnamese)"))
    summary_en = models.TextField(_("who it is for (English)"))
    amount_vi = models.CharField(_("how much (Vietnamese)"), max_length=300)
    amount_en = models.CharField(_("how much (English)"), max_length=300)
    documents_vi = models.TextField(
        _("papers to bring (Vietnamese)"), help_text=_("One paper per line.")
    )
    documents_en = models.TextField(
        _("papers to bring (English)"), help_text=_("One paper per line.")
    )
    where_vi = models.TextField(_("where to apply (Vietnamese)"))
    where_en = models.TextField(_("where to apply (English)"))
    local_language = models.CharField(
        _("ethnic-minority language"),
        max_length=50,
        blank=True,
        help_text=_("e.g. Ê Đê; leave empty if the commune provides no translation."),
    )
    summary_local = models.TextField(
        _("text in the ethnic-minority language"), blank=True
    )
    source = models.CharField(_("source"), max_length=300)
    is_published = models.BooleanField(_("shown to residents"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ProgramGuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("program guide")
        verbose_name_plural = _("program guides")
        ordering = ("sort_order", "code")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_language="") | ~Q(summary_local=""),
                name="program_guide_local_text_with_language",
                violation_error_message=_(
                    "Give the text in the ethnic-minority language, or leave the "
                    "language empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def _pick(self, name: str) -> str:
        return getattr(self, f"{name}_en" if english_active() else f"{name}_vi")

    @property
    def title(self) -> str:
        return self._pick("title")

    @property
    def summary(self) -> str:
        return self._pick("summary")

    @property
    def amount(self) -> str:
        return self._pick("amount")

    @property
    def documents(self) -> list[str]:
        return [
            line.strip()
            for line in self._pick("documents").splitlines()
            if line.strip()
        ]

    @property
    def where(self) -> str:
        return self._pick("where")


class AttemptAction(models.TextChoices):
    LOOKUP = "lookup", _("household lookup")
    REQUEST = "request", _("resident request")


class AttemptOutcome(models.TextChoices):
    FOUND = "found", _("found")
    NO_MATCH = "no_match", _("no match")
    THROTTLED = "throttled", _("refused: too many attempts")
    SENT = "sent", _("request sent")


class PublicAttempt(models.Model):
    """One lookup or request from the public pages. Never stores the digits typed.

    ``commune`` is the commune whose public pages took the attempt (from the host name),
    so an attempt that named no household or village still belongs to one commune's
    admins. Empty only for rows logged before it was kept on a deployment with several
    communes (migration 0003 fills in the rest). The rate limits ignore it: an address
    is limited across every commune, so switching host names gives no fresh attempts.
    """

    action = models.CharField(_("action"), max_length=10, choices=AttemptAction.choices)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AttemptOutcome.choices
    )
    address = models.GenericIPAddressField(_("address"))
    household_code = models.CharField(
        _("household code typed"), max_length=20, blank=True
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    village = models.ForeignKey(
        Village,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # PROTECT, like the household and the village: a commune with a log is not deleted
    # (the log is pruned after its retention period, see prune.py).
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("public lookup or request")
        verbose_name_plural = _("public lookups and requests")
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=["action", "address", "created_at"], name="attempt_address_idx"
            ),
            models.Index(
                fields=["action", "household_code", "created_at"],
                name="attempt_code_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="found") | Q(household__isnull=False),
                name="attempt_found_names_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()}: {self.get_outcome_display()}"
