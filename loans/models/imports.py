"""An uploaded disbursement list (the bank's list of loans paid out) between its preview and
its confirmation. The parsed, validated rows are kept, not the file, so the confirmation
saves exactly what the official saw.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import Commune


class DisbursementImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("waiting for confirmation")
    APPLIED = "applied", _("saved")
    FAILED = "failed", _("not saved")
    DISCARDED = "discarded", _("discarded")


class DisbursementImport(models.Model):
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
        choices=DisbursementImportStatus.choices,
        default=DisbursementImportStatus.PREVIEWED,
    )
    rows = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    applied_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disbursement list import")
        verbose_name_plural = _("disbursement list imports")
        ordering = ("-uploaded_at",)

    def __str__(self) -> str:
        return self.file_name
