"""Writing audit entries. Called by every service that changes a government record, and
by the views that show a person sensitive data (``audit_read``): views are where "shown to
a person" happens."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import READ_ACTIONS, AuditAction, AuditEntry, SensitiveField


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, for diffing before and after an update."""
    out = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, name)
        if field.choices and value not in (None, ""):
            value = getattr(instance, f"get_{name}_display")()
        out[name] = _plain(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]}


def audit_record(
    *,
    actor,
    instance: models.Model | type[models.Model],
    action: str,
    changes: dict[str, Any] | None = None,
    parent: models.Model | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry. ``changes`` maps field name to [old, new] (or the new values).

    ``instance`` may be a model class for an entry about many of its rows at once.
    """
    many = isinstance(instance, type)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance),
        object_id=None if many else instance.pk,
        object_repr=str(instance._meta.verbose_name_plural if many else instance)[:200],
        parent_type=ContentType.objects.get_for_model(parent) if parent else None,
        parent_id=parent.pk if parent else None,
        changes=changes or {},
        note=note[:500],
    )


def audit_created(
    *, actor, instance, fields, parent=None, note="", also: dict | None = None
) -> AuditEntry:
    """One CREATE entry with ``fields``' values, plus ``also`` ({name: [None, value]}:
    what is not a field, such as a course's target lists). The entry is complete when it
    is written: on PostgreSQL it can never be changed afterwards (append-only)."""
    values = snapshot(instance, fields)
    changes = {
        k: [None, v] for k, v in values.items() if v not in (None, "", [], False)
    }
    changes.update(also or {})
    return audit_record(
        actor=actor,
        instance=instance,
        action=AuditAction.CREATE,
        changes=changes,
        parent=parent,
        note=note,
    )


def audited_update(
    instance: models.Model,
    changes: dict[str, Any],
    *,
    actor,
    parent: models.Model | None = None,
    note: str = "",
) -> dict[str, list[Any]]:
    """Apply ``changes`` to a row the caller has locked, validate, save only what changed
    and record it. Returns the recorded {field: [old, new]} (empty when nothing changed).

    Call inside the caller's transaction, after ``select_for_update``.
    """
    before = snapshot(instance, changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    changed = diff(before, snapshot(instance, changes))
    if changed:
        touched = [
            f.name
            for f in instance._meta.concrete_fields
            if getattr(f, "auto_now", False)
        ]
        instance.save(update_fields=[*changes, *touched])
        audit_record(
            actor=actor,
            instance=instance,
            action=AuditAction.UPDATE,
            changes=changed,
            parent=parent,
            note=note,
        )
    return changed


def audit_read(
    *,
    actor,
    instance: models.Model | type[models.Model],
    fields: Iterable[str],
    action: str = AuditAction.VIEW,
    parent: models.Model | None = None,
    details: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Record that ``actor`` was shown the sensitive ``fields`` of ``instance`` (one
    record, or a model class for a list page or an export). One entry per page or file,
    never one per row; one INSERT.

    ``fields`` are ``SensitiveField`` names; ``details`` (filters, row count, the codes
    on a page) must describe what was shown, never contain the values themselves.
    """
    if action not in READ_ACTIONS:
        raise ValueError(f"{action!r} is not a read")
    fields = [SensitiveField(name).value for name in fields]  # an unknown name fails
    return audit_record(
        actor=actor,
        instance=instance,
        action=action,
        changes={"fields": fields, **(details or {})},
        parent=parent,
        note=note,
    )
