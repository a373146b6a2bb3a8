"""Checks every write of the registry starts with: the actor may act on the village, and
the household is not archived.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ..models import Household, Village
from ..selectors import villages_for


def _ensure_village_allowed(actor, village: Village) -> None:
    if not villages_for(actor).filter(pk=village.pk).exists():
        raise PermissionDenied(_("You cannot edit records of this village."))


def _ensure_active(household: Household) -> None:
    if not household.is_active:
        raise ValidationError(
            _("This household is archived; restore it before changing its records.")
        )
