"""Handing a household to another member: one head at a time, history kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from eakutur.audit.models import AuditEntry
from households import services
from households.models import EthnicGroup, Member, Relation


@pytest.fixture
def family(official, village):
    household = services.household_create(
        actor=official,
        village=village,
        code="HK-HEAD",
        head_name="Trần Văn Bình",
        ethnic_group=EthnicGroup.objects.get(code="01"),
        head_national_id="066060001234",
    )
    wife = services.member_add(
        actor=official,
        household=household,
        full_name="Lê Thị Mai",
        sex="female",
        birth_year=1962,
        relation=Relation.SPOUSE,
        ethnic_group=EthnicGroup.objects.get(code="12"),
        national_id="066162004321",
    )
    return household, wife


def test_the_spouse_takes_over_when_the_head_passes_away(official, family):
    household, wife = family
    services.household_change_head(
        actor=official, new_head=wife, former_head_relation=None, reason="chủ hộ mất"
    )
    household.refresh_from_db()
    wife.refresh_from_db()
    assert wife.relation == Relation.HEAD
    assert household.head_name == "Lê Thị Mai"
    assert household.head_national_id == "066162004321"
    assert household.ethnic_group.code == "12"
    former = Member.objects.get(full_name="Trần Văn Bình")
    assert not former.is_active and former.removed_reason == "chủ hộ mất"
    assert (
        Member.objects.filter(
            household=household, relation="head", is_active=True
        ).count()
        == 1
    )
    assert AuditEntry.objects.filter(object_id=household.pk, note="chủ hộ mất").exists()


def test_the_former_head_can_stay_with_another_relation(official, family):
    _household, wife = family
    services.household_change_head(
        actor=official,
        new_head=wife,
        former_head_relation=Relation.SPOUSE,
        reason="chồng già yếu, vợ làm chủ hộ",
    )
    former = Member.objects.get(full_name="Trần Văn Bình")
    assert former.is_active and former.relation == Relation.SPOUSE


def test_a_change_without_reason_changes_nothing(official, family):
    household, wife = family
    with pytest.raises(ValidationError):
        services.household_change_head(
            actor=official, new_head=wife, former_head_relation=None, reason=" "
        )
    household.refresh_from_db()
    assert household.head_name == "Trần Văn Bình"


def test_the_page_changes_the_head_by_post_only(official_client, family):
    household, wife = family
    url = reverse("households:member_make_head", args=[household.pk, wife.pk])
    page = official_client.get(url)
    assert page.status_code == 200
    household.refresh_from_db()
    assert household.head_name == "Trần Văn Bình"  # GET changed nothing
    response = official_client.post(
        url, {"former_head": "left", "reason": "chủ hộ chuyển đi"}, follow=True
    )
    assert response.redirect_chain[-1][0] == household.get_absolute_url()
    assert "Lê Thị Mai" in response.content.decode()
    household.refresh_from_db()
    assert household.head_name == "Lê Thị Mai"


def test_another_villages_officer_gets_404(officer_client, official, other_village):
    household = services.household_create(
        actor=official,
        village=other_village,
        code="HK-OTHER",
        head_name="Y Bhin Niê",
        ethnic_group=EthnicGroup.objects.get(code="12"),
        head_sex="male",
        head_birth_year=1970,
    )
    wife = services.member_add(
        actor=official,
        household=household,
        full_name="H'Hen Êban",
        sex="female",
        birth_year=1972,
        relation=Relation.SPOUSE,
        ethnic_group=EthnicGroup.objects.get(code="12"),
    )
    url = reverse("households:member_make_head", args=[household.pk, wife.pk])
    assert officer_client.get(url).status_code == 404
    officer_client.post(url, {"former_head": "left", "reason": "x"})
    household.refresh_from_db()
    assert household.head_name == "Y Bhin Niê"
