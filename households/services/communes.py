"""Adding a commune to a deployment: the operator's act (``manage.py create_commune``),
never a commune official's. The commune, its villages and its first administrator are
written in one transaction: a bad village row leaves nothing behind.

Not audited: the audit names a portal user as the actor, and the operator acts from the
shell, outside the portal.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eakutur.accounts.models import Role

from ..models import Commune, Village, VillageKind
from ..text import clean_name


@dataclass(frozen=True)
class VillageRow:
    code: str
    name: str
    kind: str = VillageKind.THON
    is_ethnic_minority: bool = False


def commune_create(
    *,
    code: str,
    name: str,
    province: str,
    is_urban: bool = False,
    hostname: str | None = None,
    villages: Iterable[VillageRow] = (),
    admin_username: str = "",
) -> Commune:
    """A new commune with ``villages`` in their given order and, with
    ``admin_username``, its first commune administrator (without a password: the
    operator sets one with ``manage.py changepassword``)."""
    with transaction.atomic():
        commune = Commune(
            code=code.strip().upper(),
            name=clean_name(name),
            province=clean_name(province),
            is_urban=is_urban,
            hostname=hostname,
        )
        commune.full_clean()
        commune.save()
        for order, row in enumerate(villages, start=1):
            _village_add(commune, row, order)
        if admin_username:
            _admin_add(commune, admin_username)
    return commune


def _village_add(commune: Commune, row: VillageRow, order: int) -> Village:
    village = Village(
        commune=commune,
        code=row.code.strip().upper(),
        name=clean_name(row.name),
        kind=row.kind,
        is_ethnic_minority=row.is_ethnic_minority,
        sort_order=order,
    )
    try:
        village.full_clean()
    except ValidationError as exc:
        problems = "; ".join(exc.messages)
        raise ValidationError(
            _("Village %(number)s (%(code)s): %(problems)s")
            % {"number": order, "code": row.code, "problems": problems}
        ) from exc
    village.save()
    return village


def _admin_add(commune: Commune, username: str):
    user = get_user_model()(
        username=username.strip(),
        role=Role.COMMUNE_ADMIN,
        commune=commune,
        is_staff=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return user
