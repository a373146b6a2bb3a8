"""An append-only history of government records: who changed what and when, and who
was shown which sensitive facts (ethnicity, poverty status, national ID numbers).

Append-only twice over: the application has no path that edits or deletes an entry (the
admin is read-only), and on PostgreSQL a trigger makes the database refuse UPDATE and
DELETE (migration 0003).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A pure text helper (no models): the same mask the lists and exports use.
from households.text import mask_national_id

# Shown masked in every history, like every list: the full number is shown only by the
# household page's audited "Show ID numbers" (the admin's entry page keeps the record).
MASKED_FIELDS = frozenset({"national_id", "head_national_id"})


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
    # Reads of sensitive data: what was shown to a person, never the values themselves.
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")


READ_ACTIONS = (AuditAction.VIEW, AuditAction.EXPORT)


class SensitiveField(models.TextChoices):
    """What a read entry says was shown (stored in ``changes["fields"]``)."""

    ETHNICITY = "ethnicity", _("ethnicity")
    POVERTY_STATUS = "poverty_status", _("poverty status")
    NATIONAL_ID = "national_id", _("national ID numbers")


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
    # Empty for a read of many records at once (a list page, an export).
    object_id = models.BigIntegerField(null=True, blank=True)
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
        at = timezone.localtime(self.at)  # the commune's clock, as the pages show it
        return f"{at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_repr}"

    @property
    def is_read(self) -> bool:
        return self.action in READ_ACTIONS

    def shown_display(self) -> str:
        """A read entry's sensitive fields in the active language ("ethnicity, …")."""
        labels = dict(SensitiveField.choices)
        fields = (self.changes or {}).get("fields", []) if self.is_read else []
        return ", ".join(str(labels.get(name, name)) for name in fields)

    def read_display(self) -> list[tuple[str, str]]:
        """(label, text) lines describing a read: what was shown, with which filters,
        which page, how many rows."""
        if not self.is_read:
            return []
        details = self.changes or {}
        lines = [(gettext("shown"), self.shown_display())]
        filters = details.get("filters") or {}
        if filters:
            text = ", ".join(f"{name}={value}" for name, value in filters.items())
            lines.append((gettext("filters"), text))
        for key, label in (("page", gettext("page")), ("rows", gettext("rows"))):
            if key in details:
                lines.append((label, str(details[key])))
        return lines

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
            if name in MASKED_FIELDS:
                old, new = (v and mask_national_id(str(v)) for v in (old, new))
            rows.append((label, _readable(old), _readable(new)))
        return rows
