"""Village use cases: commune officials add villages and hamlets to their commune and edit
them.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.audit.services import (
    audit_created,
    audited_update,
)

from ..models import Village
from ._common import _ensure_village_allowed

VILLAGE_FIELDS = ("code", "name", "kind", "is_ethnic_minority", "sort_order")


def _ensure_commune_wide(actor) -> None:
    if not actor.is_commune_wide:
        raise PermissionDenied(
            _("Only commune officials can change the list of villages.")
        )


def village_create(*, actor, **fields) -> Village:
    """Add a village or hamlet to the actor's commune."""
    _ensure_commune_wide(actor)
    with transaction.atomic():
        village = Village(commune_id=actor.commune_id, **fields)
        village.full_clean()
        village.save()
        audit_created(actor=actor, instance=village, fields=VILLAGE_FIELDS)
    return village


def village_update(*, actor, village: Village, **changes) -> Village:
    _ensure_commune_wide(actor)
    _ensure_village_allowed(actor, village)
    with transaction.atomic():
        village = Village.objects.select_for_update().get(pk=village.pk)
        audited_update(village, changes, actor=actor)
    return village
