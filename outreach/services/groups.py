"""Village groups in the portal: adding, editing, switching off and on again.

Commune officials manage the groups of every village of their commune, a village officer
those of their own villages. Each channel's address is checked and normalised here, so
the admin, the screens and any later caller store the same shape:

- Zalo: the group id the Official Account sees (digits);
- SMS: Vietnamese mobile numbers in their 10-digit form, separated by commas;
- e-mail: valid addresses separated by commas;
- relay and console: no address (a relay goes to the village officer, not to a number).

Groups are never deleted in the portal: a group that has received a notice is protected
by its deliveries (PROTECT), and one that has not can still be corrected or switched off.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eakutur.audit.services import audit_created, audited_update
from households.models import Village
from households.services import _ensure_village_allowed
from households.text import clean_name, normalise_phone

from ..models import CHANNELS_WITHOUT_ADDRESS, GroupChannel, VillageGroup

GROUP_FIELDS = ("village", "channel", "name", "external_id", "is_active")
ADDRESS_MAX = VillageGroup._meta.get_field("external_id").max_length
_SEPARATORS = re.compile(r"[,;\n]+")


def group_address_normalise(*, channel: str, address: str) -> str:
    """The address as it is stored for ``channel``, or a ValidationError on the field."""
    raw = (address or "").strip()
    if channel in CHANNELS_WITHOUT_ADDRESS:
        if raw:
            raise ValidationError(
                {
                    "external_id": _(
                        "This channel has no address: leave the address empty."
                    )
                },
                code="no_address",
            )
        return ""
    if not raw:
        raise ValidationError(
            {"external_id": _("This channel needs an address to send to.")},
            code="required",
        )
    if channel == GroupChannel.ZALO:
        value = re.sub(r"\s+", "", raw)
        if not re.fullmatch(r"[0-9]+", value):
            raise ValidationError(
                {
                    "external_id": _(
                        "A Zalo group id is a number (digits only), as the Official "
                        "Account's list of groups shows it."
                    )
                },
                code="zalo_id",
            )
        return value[:ADDRESS_MAX]
    parts = [p.strip() for p in _SEPARATORS.split(raw) if p.strip()]
    if channel == GroupChannel.SMS:
        values = [_phone(part) for part in parts]
    elif channel == GroupChannel.EMAIL:
        values = [_email(part) for part in parts]
    else:  # a channel added to the model later must say what its address is
        raise ValidationError({"channel": _("Choose a channel.")}, code="channel")
    unique = list(dict.fromkeys(values))
    stored = ", ".join(unique)
    if len(stored) > ADDRESS_MAX:
        raise ValidationError(
            {
                "external_id": _(
                    "Too many addresses for one group (%(count)s); split them into "
                    "two groups."
                )
                % {"count": len(unique)}
            },
            code="too_long",
        )
    return stored


def _phone(part: str) -> str:
    try:
        return normalise_phone(part)
    except ValidationError:
        raise ValidationError(
            {
                "external_id": _(
                    "%(entry)s is not a Vietnamese mobile number: 10 digits starting "
                    "with 03, 05, 07, 08 or 09 (or +84 followed by 9 digits)."
                )
                % {"entry": part}
            },
            code="phone",
        ) from None


def _email(part: str) -> str:
    try:
        validate_email(part)
    except ValidationError:
        raise ValidationError(
            {
                "external_id": _("%(entry)s is not a valid e-mail address.")
                % {"entry": part}
            },
            code="email",
        ) from None
    local, _at, domain = part.rpartition("@")
    return f"{local}@{domain.lower()}"


def _duplicate_error(group: VillageGroup) -> ValidationError:
    """The message for a second group on the same village, channel and address."""
    existing = (
        VillageGroup.objects.filter(
            village_id=group.village_id,
            channel=group.channel,
            external_id=group.external_id,
        )
        .exclude(pk=group.pk)
        .first()
    )
    name = existing.name if existing else group.name
    if group.channel in CHANNELS_WITHOUT_ADDRESS:
        return ValidationError(
            {
                "channel": _(
                    "%(village)s already has a group on this channel (%(name)s); a "
                    "village needs only one."
                )
                % {"village": group.village.name, "name": name}
            },
            code="duplicate",
        )
    return ValidationError(
        {
            "external_id": _(
                "%(village)s already has a group on this channel with this address "
                "(%(name)s)."
            )
            % {"village": group.village.name, "name": name}
        },
        code="duplicate",
    )


def _ensure_unique(group: VillageGroup) -> None:
    duplicate = (
        VillageGroup.objects.filter(
            village_id=group.village_id,
            channel=group.channel,
            external_id=group.external_id,
        )
        .exclude(pk=group.pk)
        .exists()
    )
    if duplicate:
        raise _duplicate_error(group)


def _saved(group: VillageGroup, write) -> None:
    """Run ``write`` (which saves ``group``); a duplicate that slipped in between our
    check and the insert (two officials at once) becomes the same clear message."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        if VillageGroup.objects.filter(
            village_id=group.village_id,
            channel=group.channel,
            external_id=group.external_id,
        ).exists():
            raise _duplicate_error(group) from None
        raise


def village_group_create(
    *,
    actor,
    village: Village,
    channel: str,
    name: str,
    external_id: str = "",
    is_active: bool = True,
) -> VillageGroup:
    """A new group of ``village`` (one the actor may edit), audited."""
    _ensure_village_allowed(actor, village)
    group = VillageGroup(
        village=village,
        channel=channel,
        name=clean_name(name),
        external_id=group_address_normalise(channel=channel, address=external_id),
        is_active=is_active,
    )
    _ensure_unique(group)
    group.full_clean()

    def write() -> None:
        group.save()
        audit_created(actor=actor, instance=group, fields=GROUP_FIELDS)

    _saved(group, write)
    return group


def village_group_update(*, actor, group: VillageGroup, changes: dict) -> VillageGroup:
    """Change a group's village, channel, name or address, audited.

    Once a notice has gone to the group, its village and channel stay: the deliveries
    say where and how the notice went, and a relay waiting for the village officer must
    not turn into a message the system sends. Its name and address may change (a new
    phone number joins the SMS list).
    """
    changes = {k: v for k, v in changes.items() if k in GROUP_FIELDS}
    with transaction.atomic():
        group = (
            VillageGroup.objects.select_for_update(of=("self",))
            .select_related("village")
            .get(pk=group.pk)
        )
        _ensure_village_allowed(actor, group.village)
        village = changes.get("village", group.village)
        channel = changes.get("channel", group.channel)
        if village != group.village:
            _ensure_village_allowed(actor, village)
        moved = village != group.village or channel != group.channel
        if moved and group.deliveries.exists():
            field = "village" if village != group.village else "channel"
            raise ValidationError(
                {
                    field: _(
                        "This group has already received notices, so its village and "
                        "channel stay as they are. Switch it off and add a new group "
                        "instead."
                    )
                },
                code="used",
            )
        if "name" in changes:
            changes["name"] = clean_name(changes["name"])
        if "external_id" in changes or "channel" in changes:
            changes["external_id"] = group_address_normalise(
                channel=channel,
                address=changes.get("external_id", group.external_id),
            )
        probe = VillageGroup(
            pk=group.pk,
            village=village,
            channel=channel,
            external_id=changes.get("external_id", group.external_id),
            name=changes.get("name", group.name),
        )
        _ensure_unique(probe)
        _saved(probe, lambda: audited_update(group, changes, actor=actor))
    return group


def village_group_set_active(
    *, actor, group: VillageGroup, is_active: bool
) -> VillageGroup:
    """Switch a group off (notices no longer go to it) or on again, audited.

    Deliveries already made to it are not touched: a relay waiting for the village
    officer still waits, a queued message is still sent.
    """
    with transaction.atomic():
        group = (
            VillageGroup.objects.select_for_update(of=("self",))
            .select_related("village")
            .get(pk=group.pk)
        )
        _ensure_village_allowed(actor, group.village)
        audited_update(group, {"is_active": is_active}, actor=actor)
    return group
