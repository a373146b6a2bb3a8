"""An append-only history of changes to government records: who, when, what changed."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _readable(value):
    """Booleans as "yes"/"no" in the reader's language, lists joined (an empty one as a
    dash); everything else as stored (years and amounts alike, so no separators)."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return value


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    ARCHIVE = "archive", _("archived")
    RESTORE = "restore", _("restored")
    IMPORT = "import", _("imported")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("record"), max_length=200)
    # The record whose page shows this entry (a household shows its members' and reviews').
    parent_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_repr}"
        )

    def changes_display(self) -> list[tuple[str, object, object]]:
        """(field label in the active language, old value, new value) for each change."""
        model = self.content_type.model_class()
        rows = []
        for name, values in (self.changes or {}).items():
            try:
                label = str(model._meta.get_field(name).verbose_name)
            except Exception:  # a field removed since, or a model no longer installed
                label = name
            if isinstance(values, list) and len(values) == 2:
                old, new = values
            else:
                old, new = None, values
            rows.append((label, _readable(old), _readable(new)))
        return rows
