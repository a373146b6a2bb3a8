"""Village groups through their services: each channel's address checked and normalised,
one group per (village, channel, address), scoping, audit, and no change of village or
channel once a notice went to the group."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from outreach.models import GroupChannel, VillageGroup
from outreach.services import (
    group_address_normalise,
    village_group_create,
    village_group_set_active,
    village_group_update,
)
from tests.factories import UserFactory
from tests.factories.outreach import DeliveryFactory, VillageGroupFactory

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError, field: str) -> list[str]:
    return exc.message_dict[field]


# --- Addresses per channel ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "typed", "stored"),
    [
        (GroupChannel.ZALO, " 1234 5678 9012 ", "123456789012"),
        (
            GroupChannel.SMS,
            "0912 345 678, +84987654321;0912.345.678",
            "0912345678, 0987654321",
        ),
        (
            GroupChannel.EMAIL,
            "ThonMot@Gmail.COM,\n  truongthon@eaktur.gov.vn",
            "ThonMot@gmail.com, truongthon@eaktur.gov.vn",
        ),
        (GroupChannel.RELAY, "  ", ""),
        (GroupChannel.CONSOLE, "", ""),
    ],
)
def test_addresses_are_normalised_per_channel(channel, typed, stored):
    assert group_address_normalise(channel=channel, address=typed) == stored


@pytest.mark.parametrize(
    ("channel", "typed", "words"),
    [
        (GroupChannel.ZALO, "nhom-thon-1", "Zalo"),
        (GroupChannel.ZALO, "", "cần địa chỉ"),
        (GroupChannel.SMS, "0912345678, 0123", "0123"),
        (GroupChannel.SMS, "0212345678", "0212345678"),
        (GroupChannel.EMAIL, "thon1@gmail.com, thon2@", "thon2@"),
        (GroupChannel.RELAY, "0912345678", "để trống"),
        (GroupChannel.CONSOLE, "log", "để trống"),
    ],
)
def test_a_wrong_address_names_the_entry(channel, typed, words):
    with pytest.raises(ValidationError) as exc:
        group_address_normalise(channel=channel, address=typed)
    [message] = messages_of(exc.value, "external_id")
    assert words in message


def test_too_many_numbers_for_one_group():
    numbers = ", ".join(f"09{n:08d}" for n in range(60))
    with pytest.raises(ValidationError, match="chia thành hai nhóm"):
        group_address_normalise(channel=GroupChannel.SMS, address=numbers)


# --- Creating ---------------------------------------------------------------------------


def test_an_officer_adds_a_group_to_their_village_audited(officer, village):
    group = village_group_create(
        actor=officer,
        village=village,
        channel=GroupChannel.SMS,
        name="  Danh sách   trưởng hộ ",
        external_id="+84 912 345 678",
    )
    group.refresh_from_db()
    assert (group.name, group.external_id, group.is_active) == (
        "Danh sách trưởng hộ",
        "0912345678",
        True,
    )
    entry = AuditEntry.objects.get(object_id=group.pk, actor=officer)
    assert entry.action == "create"
    assert entry.changes["external_id"] == [None, "0912345678"]


def test_an_officer_cannot_add_a_group_to_another_village(officer, other_village):
    with pytest.raises(PermissionDenied):
        village_group_create(
            actor=officer,
            village=other_village,
            channel=GroupChannel.RELAY,
            name="Nhóm buôn",
        )
    assert not VillageGroup.objects.exists()


def test_an_official_adds_groups_anywhere_in_the_commune(official, other_village):
    group = village_group_create(
        actor=official,
        village=other_village,
        channel=GroupChannel.RELAY,
        name="Nhóm Zalo bà con buôn Tiêu",
    )
    assert group.village == other_village


def test_an_official_of_another_commune_cannot(foreign_official, village):
    with pytest.raises(PermissionDenied):
        village_group_create(
            actor=foreign_official,
            village=village,
            channel=GroupChannel.ZALO,
            name="Nhóm",
            external_id="123",
        )


def test_the_same_address_twice_in_a_village_is_refused_clearly(official, village):
    VillageGroupFactory(
        village=village,
        channel=GroupChannel.SMS,
        external_id="0912345678",
        name="Trưởng hộ thôn 1",
    )
    with pytest.raises(ValidationError) as exc:
        village_group_create(
            actor=official,
            village=village,
            channel=GroupChannel.SMS,
            name="Danh sách khác",
            external_id="0912 345 678",
        )
    [message] = messages_of(exc.value, "external_id")
    assert "Thôn 1" in message and "Trưởng hộ thôn 1" in message
    assert VillageGroup.objects.count() == 1


def test_a_second_relay_group_in_a_village_is_refused_on_the_channel(official, village):
    VillageGroupFactory(village=village, channel=GroupChannel.RELAY, external_id="")
    with pytest.raises(ValidationError) as exc:
        village_group_create(
            actor=official, village=village, channel=GroupChannel.RELAY, name="Nhóm 2"
        )
    assert "channel" in exc.value.message_dict
    assert VillageGroup.objects.count() == 1


def test_the_same_address_in_another_village_is_fine(official, village, other_village):
    VillageGroupFactory(
        village=village, channel=GroupChannel.SMS, external_id="0912345678"
    )
    village_group_create(
        actor=official,
        village=other_village,
        channel=GroupChannel.SMS,
        name="Trưởng buôn",
        external_id="0912345678",
    )
    assert VillageGroup.objects.count() == 2


def test_a_duplicate_racing_past_the_check_gets_the_same_message(
    official, village, monkeypatch
):
    """Two officials save the same group at once: the second insert hits the unique
    constraint after our check passed."""
    VillageGroupFactory(
        village=village, channel=GroupChannel.ZALO, external_id="555", name="Nhóm 1"
    )
    monkeypatch.setattr("outreach.services.groups._ensure_unique", lambda group: None)
    real_clean = VillageGroup.full_clean
    monkeypatch.setattr(
        VillageGroup,
        "full_clean",
        lambda self, *a, **k: real_clean(self, validate_constraints=False),
    )
    with pytest.raises(ValidationError) as exc:
        village_group_create(
            actor=official,
            village=village,
            channel=GroupChannel.ZALO,
            name="Nhóm 2",
            external_id="555",
        )
    assert "Nhóm 1" in messages_of(exc.value, "external_id")[0]
    assert VillageGroup.objects.count() == 1


# --- Editing ----------------------------------------------------------------------------


def test_editing_normalises_and_audits(official, village):
    group = VillageGroupFactory(
        village=village, channel=GroupChannel.SMS, external_id="0912345678"
    )
    village_group_update(
        actor=official,
        group=group,
        changes={"external_id": "0912345678, 0987 654 321"},
    )
    group.refresh_from_db()
    assert group.external_id == "0912345678, 0987654321"
    entry = AuditEntry.objects.get(object_id=group.pk, action="update")
    assert entry.changes["external_id"] == ["0912345678", "0912345678, 0987654321"]


def test_switching_channel_checks_the_address_for_the_new_channel(official, village):
    group = VillageGroupFactory(
        village=village, channel=GroupChannel.SMS, external_id="0912345678"
    )
    with pytest.raises(ValidationError) as exc:
        village_group_update(
            actor=official, group=group, changes={"channel": GroupChannel.EMAIL}
        )
    assert "external_id" in exc.value.message_dict
    village_group_update(
        actor=official,
        group=group,
        changes={"channel": GroupChannel.RELAY, "external_id": ""},
    )
    group.refresh_from_db()
    assert (group.channel, group.external_id) == (GroupChannel.RELAY, "")


def test_a_used_group_keeps_its_village_and_channel(official, village, other_village):
    group = VillageGroupFactory(
        village=village, channel=GroupChannel.ZALO, external_id="111", name="Nhóm cũ"
    )
    DeliveryFactory(notice__commune=village.commune, group=group)
    for changes, field in (
        ({"village": other_village}, "village"),
        ({"channel": GroupChannel.RELAY, "external_id": ""}, "channel"),
    ):
        with pytest.raises(ValidationError) as exc:
            village_group_update(actor=official, group=group, changes=changes)
        assert field in exc.value.message_dict
    # Its name and address may still change.
    village_group_update(
        actor=official, group=group, changes={"name": "Nhóm mới", "external_id": "222"}
    )
    group.refresh_from_db()
    assert (group.village, group.channel, group.name, group.external_id) == (
        village,
        GroupChannel.ZALO,
        "Nhóm mới",
        "222",
    )


def test_an_officer_cannot_move_a_group_to_another_village(
    officer, village, other_village
):
    group = VillageGroupFactory(village=village, channel=GroupChannel.ZALO)
    with pytest.raises(PermissionDenied):
        village_group_update(
            actor=officer, group=group, changes={"village": other_village}
        )
    group.refresh_from_db()
    assert group.village == village


def test_an_officer_cannot_edit_another_villages_group(commune, officer, other_village):
    group = VillageGroupFactory(village=other_village, name="Nhóm buôn")
    with pytest.raises(PermissionDenied):
        village_group_update(actor=officer, group=group, changes={"name": "Đổi"})
    group.refresh_from_db()
    assert group.name == "Nhóm buôn"


def test_editing_into_a_duplicate_is_refused(official, village):
    VillageGroupFactory(village=village, channel=GroupChannel.ZALO, external_id="1")
    group = VillageGroupFactory(
        village=village, channel=GroupChannel.ZALO, external_id="2"
    )
    with pytest.raises(ValidationError):
        village_group_update(actor=official, group=group, changes={"external_id": "1"})
    group.refresh_from_db()
    assert group.external_id == "2"


# --- Switching off and on ---------------------------------------------------------------


def test_switch_off_and_on_again_audited(officer, village):
    group = VillageGroupFactory(village=village)
    village_group_set_active(actor=officer, group=group, is_active=False)
    group.refresh_from_db()
    assert not group.is_active
    village_group_set_active(actor=officer, group=group, is_active=True)
    group.refresh_from_db()
    assert group.is_active
    changes = [
        e.changes["is_active"]
        for e in AuditEntry.objects.filter(object_id=group.pk).order_by("pk")
    ]
    assert changes == [[True, False], [False, True]]


def test_a_used_group_can_be_switched_off_and_is_never_deleted(official, village):
    group = VillageGroupFactory(village=village)
    DeliveryFactory(notice__commune=village.commune, group=group)
    village_group_set_active(actor=official, group=group, is_active=False)
    assert VillageGroup.objects.filter(pk=group.pk, is_active=False).exists()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        group.delete()


def test_an_officer_cannot_switch_off_another_villages_group(commune, other_village):
    officer = UserFactory(role=Role.VILLAGE_OFFICER, commune=commune)
    group = VillageGroupFactory(village=other_village)
    with pytest.raises(PermissionDenied):
        village_group_set_active(actor=officer, group=group, is_active=False)
    group.refresh_from_db()
    assert group.is_active
