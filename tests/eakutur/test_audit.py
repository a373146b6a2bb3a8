"""The audit history: who changed what and when, shown on the household page."""

from html import unescape

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext

from eakutur.audit.models import AuditAction, AuditEntry
from eakutur.audit.selectors import audit_history_for
from eakutur.audit.services import audit_created, audit_record, diff, snapshot
from households import services
from households.models import Household, Member
from tests.factories import HouseholdFactory, MemberFactory, UserFactory, kinh


@pytest.fixture
def household(official, village):
    return services.household_create(
        actor=official,
        village=village,
        code="HK001",
        head_name="Nguyễn Văn An",
        ethnic_group=kinh(),
        head_national_id="066085001234",
        phone="0912345678",
    )


def vi_label(model, field) -> str:
    with translation.override("vi"):
        label = str(model._meta.get_field(field).verbose_name)
    return label[:1].upper() + label[1:]


# --- writing entries -------------------------------------------------------------------


def test_audit_record_stores_who_what_and_where(official, household):
    member = household.members.get()
    entry = audit_record(
        actor=official,
        instance=member,
        action=AuditAction.UPDATE,
        changes={"birth_year": [1985, 1986]},
        parent=household,
        note="sửa theo CCCD",
    )
    entry.refresh_from_db()
    assert entry.actor == official
    assert entry.content_type == ContentType.objects.get_for_model(Member)
    assert entry.object_id == member.pk
    assert entry.object_repr == "Nguyễn Văn An"
    assert entry.parent_type == ContentType.objects.get_for_model(Household)
    assert entry.parent_id == household.pk
    assert entry.changes == {"birth_year": [1985, 1986]}
    assert entry.note == "sửa theo CCCD"
    assert entry.at is not None


def test_an_anonymous_actor_is_stored_as_nobody(household):
    from django.contrib.auth.models import AnonymousUser

    entry = audit_record(
        actor=AnonymousUser(), instance=household, action=AuditAction.IMPORT
    )
    assert entry.actor is None


def test_snapshot_shows_choice_labels_and_plain_values(household):
    with translation.override("en"):
        values = snapshot(household.members.get(), ["sex", "relation", "ethnic_group"])
    assert values == {
        "sex": "male",
        "relation": "head of household",
        "ethnic_group": "Kinh",
    }


def test_diff_keeps_only_what_changed():
    assert diff({"a": 1, "b": "x"}, {"a": 1, "b": "y"}) == {"b": ["x", "y"]}
    assert diff({"a": 1}, {"a": 1}) == {}


def test_creation_records_only_the_values_given(official, village):
    household = HouseholdFactory(village=village, phone="", address="")
    entry = audit_created(
        actor=official,
        instance=household,
        fields=["code", "phone", "address", "uses_zalo"],
    )
    assert set(entry.changes) == {"code"}


def test_changes_display_uses_the_field_label_of_the_active_language(
    official, household
):
    services.household_update(actor=official, household=household, phone="0987654321")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    with translation.override("en"):
        assert entry.changes_display() == [("phone", "0912345678", "0987654321")]
    with translation.override("vi"):
        label = str(Household._meta.get_field("phone").verbose_name)
        assert entry.changes_display() == [(label, "0912345678", "0987654321")]


def test_changes_display_survives_a_removed_field(household, official):
    entry = audit_record(
        actor=official,
        instance=household,
        action=AuditAction.UPDATE,
        changes={"old_field": ["a", "b"], "note_only": "x"},
    )
    assert entry.changes_display() == [
        ("old_field", "a", "b"),
        ("note_only", None, "x"),
    ]


# --- reading the history ---------------------------------------------------------------


def test_history_of_a_household_includes_its_members_and_reviews(
    official, household, village
):
    from tests.factories import indicators

    member = services.member_add(
        actor=official,
        household=household,
        full_name="Nguyễn Thị Mai",
        sex="female",
        birth_year=2012,
        relation="child",
        ethnic_group=kinh(),
    )
    review = services.poverty_review_record(
        actor=official,
        household=household,
        year=2025,
        income_per_person=1_200_000,
        deprivations=indicators("latrine"),
    )
    other = HouseholdFactory(village=village)
    audit_record(actor=official, instance=other, action=AuditAction.UPDATE)
    history = list(audit_history_for(instance=household))
    assert {(e.content_type.model, e.object_id) for e in history} == {
        ("household", household.pk),
        ("member", member.pk),
        ("povertyreview", review.pk),
    }
    assert history[0].object_id == review.pk  # newest first


def test_history_is_limited(official, household):
    for n in range(5):
        audit_record(
            actor=official, instance=household, action=AuditAction.UPDATE, note=str(n)
        )
    assert len(audit_history_for(instance=household, limit=3)) == 3


def test_services_only_ever_add_entries(official, household):
    first = list(AuditEntry.objects.values())
    services.household_update(actor=official, household=household, address="Buôn Ea")
    services.household_archive(actor=official, household=household, reason="chuyển đi")
    services.household_restore(actor=official, household=household)
    after = list(AuditEntry.objects.order_by("id").values())
    assert after[: len(first)] == first
    assert [e["action"] for e in after[len(first) :]] == [
        "update",
        "archive",
        "restore",
    ]


# --- the history on the household page --------------------------------------------------


def page_text(client, household, prefix="") -> str:
    response = client.get(f"{prefix}/households/{household.pk}/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_household_page_shows_who_changed_which_field(
    client_for, commune, household, village
):
    editor = UserFactory(
        username="thon1b", first_name="Hoa", last_name="Lê Thị", commune=commune
    )
    services.household_update(actor=editor, household=household, phone="0987654321")
    page = page_text(client_for(editor), household)
    assert editor.get_full_name() in page
    assert f"{vi_label(Household, 'phone')}: 0912345678 → 0987654321" in page


def test_household_page_in_english_labels_the_field_in_english(
    client_for, official, household
):
    services.household_update(actor=official, household=household, uses_zalo=True)
    page = page_text(client_for(official), household, prefix="/en")
    assert "Uses Zalo: no → yes" in page


def test_member_and_review_changes_appear_on_the_household_page(
    official_client, official, household
):
    member = services.member_add(
        actor=official,
        household=household,
        full_name="Nguyễn Thị Mai",
        sex="female",
        birth_year=2012,
        relation="child",
        ethnic_group=kinh(),
    )
    services.member_remove(
        actor=official, member=member, reason="Đi học xa, nhập khẩu nơi khác"
    )
    page = page_text(official_client, household)
    assert "Nguyễn Thị Mai" in page
    assert "Đi học xa, nhập khẩu nơi khác" in page


def test_an_entry_without_a_person_is_shown_as_the_system(official_client, household):
    audit_record(actor=None, instance=household, action=AuditAction.IMPORT, note="tệp")
    with translation.override("vi"):
        system = gettext("system")
    assert system in page_text(official_client, household)


def test_a_user_without_a_full_name_is_shown_by_username(
    client_for, commune, household
):
    editor = UserFactory(
        username="canbo-xa", first_name="", last_name="", commune=commune
    )
    services.household_update(actor=editor, household=household, address="Thôn 2")
    assert "canbo-xa" in page_text(client_for(editor), household)


def test_history_of_another_household_is_not_on_this_page(
    official_client, official, household, village
):
    other = HouseholdFactory(village=village, code="HK999", head_name="Trần Văn Khác")
    services.household_update(actor=official, household=other, address="Địa chỉ bí mật")
    MemberFactory(household=other)
    assert "Địa chỉ bí mật" not in page_text(official_client, household)
