"""Reading the audit history of a record."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEntry


def audit_history_for(*, instance, limit: int = 200) -> QuerySet[AuditEntry]:
    """Entries about ``instance`` itself and about records it is the parent of."""
    ct = ContentType.objects.get_for_model(instance)
    return (
        AuditEntry.objects.filter(
            Q(content_type=ct, object_id=instance.pk)
            | Q(parent_type=ct, parent_id=instance.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-at", "-id")[:limit]
    )
