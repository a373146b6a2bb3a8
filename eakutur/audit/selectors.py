"""Reading the audit history of a record."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import READ_ACTIONS, AuditEntry


def _about(instance) -> Q:
    """Entries about ``instance`` itself and about records it is the parent of."""
    ct = ContentType.objects.get_for_model(instance)
    return Q(content_type=ct, object_id=instance.pk) | Q(
        parent_type=ct, parent_id=instance.pk
    )


def audit_history_for(*, instance, limit: int = 200) -> QuerySet[AuditEntry]:
    """The changes to ``instance`` and its children, newest first. Reads are left out:
    every page view is one, and they would bury the changes (the admin's audit list
    shows them)."""
    return (
        AuditEntry.objects.filter(_about(instance))
        .exclude(action__in=READ_ACTIONS)
        .select_related("actor", "content_type")
        .order_by("-at", "-id")[:limit]
    )


def audit_reads_about(
    entries: QuerySet[AuditEntry], *, instance
) -> QuerySet[AuditEntry]:
    """Of ``entries``, the reads of ``instance``'s (or its children's) sensitive data."""
    return entries.filter(_about(instance), action__in=READ_ACTIONS)
