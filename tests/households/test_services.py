"""Writes to the registry, against a real database: one use case per service."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from eakutur.audit.models import AuditAction, AuditEntry
from households import services
from households.models import Household, Member, PovertyReview, PovertyStatus, Relation
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    ede,
    indicators,
    kinh,
)

THIS_YEAR = timezone.localdate().year
ID_AN = "066085001234"  # male, born 1985, registered in Dak Lak
ID_HOA = "066192004321"  # female, born 1992


def entries_for(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    ).order_by("id")


def create(actor, village, **overrides):
    fields = {
        "code": "HK001",
        "head_name": "Nguyễn Văn An",
        "ethnic_group": kinh(),
        "head_national_id": ID_AN,
    }
    fields.update(overrides)
    return services.household_create(actor=actor, village=village, **fields)


def counts():
    return (
        Household.objects.count(),
        Member.objects.count(),
        PovertyReview.objects.count(),
        AuditEntry.objects.count(),
    )


# --- household_create -------------------------------------------------------------


def test_household_create_makes_head_member_from_the_id(official, village):
    household = create(official, village, phone="0912345678")
    head = household.members.get()
    assert head.relation == Relation.HEAD
    assert head.full_name == "Nguyễn Văn An"
    assert (head.sex, head.birth_year) == ("male", 1985)
    assert head.national_id == ID_AN
    assert head.ethnic_group == kinh()
    assert household.commune == village.commune
    assert "nguyen van an" in household.search_text


def test_the_id_wins_over_typed_sex_and_birth_year(official, village):
    household = create(
        official,
        village,
        head_national_id=ID_HOA,
        head_sex="male",
        head_birth_year=1970,
    )
    head = household.members.get()
    assert (head.sex, head.birth_year) == ("female", 1992)


def test_without_an_id_sex_and_birth_year_are_required(official, village):
    with pytest.raises(ValidationError):
        create(official, village, head_national_id=None)
    with pytest.raises(ValidationError):
        create(official, village, head_national_id=None, head_sex="female")
    assert Household.objects.count() == 0
    household = create(
        official,
        village,
        head_national_id="",
        head_sex="female",
        head_birth_year=1990,
        head_name="H'Hen Niê",
        ethnic_group=ede(),
    )
    head = household.members.get()
    assert (head.sex, head.birth_year, head.national_id) == ("female", 1990, None)
    assert household.head_national_id is None


def test_household_create_is_audited_with_actor_and_values(official, village):
    household = create(official, village, phone="0912345678")
    entry = entries_for(household).get()
    assert entry.actor == official
    assert entry.action == AuditAction.CREATE
    assert entry.changes["code"] == [None, "HK001"]
    assert entry.changes["phone"] == [None, "0912345678"]
    assert entry.changes["village"] == [None, "Thôn 1"]


def test_duplicate_code_is_refused_and_nothing_is_saved(official, village):
    create(official, village)
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as info:
        create(official, village, head_national_id=ID_HOA, head_name="Lê Thị Hoa")
    assert "A household with this code already exists." in info.value.messages
    assert counts() == before


def test_head_id_already_held_by_a_member_elsewhere_rolls_back(official, village):
    other = create(official, village, head_national_id=None, head_sex="male",
                   head_birth_year=1960)  # fmt: skip
    services.member_add(
        actor=official,
        household=other,
        full_name="Lê Thị Hoa",
        sex="female",
        birth_year=1992,
        relation=Relation.SPOUSE,
        ethnic_group=kinh(),
        national_id=ID_HOA,
    )
    before = counts()
    with pytest.raises(ValidationError):
        create(official, village, code="HK002", head_national_id=ID_HOA)
    assert counts() == before, "the household row was kept without its head"


def test_negative_area_is_refused(official, village):
    with pytest.raises(ValidationError) as info:
        create(official, village, farmed_area_ha=Decimal("-1"))
    assert "farmed_area_ha" in info.value.message_dict
    assert Household.objects.count() == 0


def test_officer_cannot_create_in_another_village(officer, other_village):
    with pytest.raises(PermissionDenied):
        create(officer, other_village)
    assert Household.objects.count() == 0


def test_official_cannot_create_in_another_commune(official, foreign_village):
    with pytest.raises(PermissionDenied):
        create(official, foreign_village)


def test_officer_creates_in_their_own_village(officer, village):
    assert create(officer, village).village == village


# --- household_update -------------------------------------------------------------


def test_update_audits_only_the_changed_fields(official, village):
    household = create(official, village, phone="0912345678", address="Thôn 1")
    services.household_update(
        actor=official,
        household=household,
        phone="0987654321",
        address="Thôn 1",  # unchanged
        uses_zalo=True,
    )
    household.refresh_from_db()
    assert household.phone == "0987654321" and household.uses_zalo
    entry = entries_for(household).last()
    assert entry.action == AuditAction.UPDATE and entry.actor == official
    assert entry.changes == {
        "phone": ["0912345678", "0987654321"],
        "uses_zalo": [False, True],
    }


def test_update_without_a_change_writes_no_audit_entry(official, village):
    household = create(official, village, phone="0912345678")
    services.household_update(
        actor=official, household=household, phone="0912345678", code="HK001"
    )
    assert entries_for(household).count() == 1  # the creation only


def test_the_same_area_written_differently_is_not_a_change(official, village):
    """1.5 ha typed over the stored 1.50 ha is the same area: no history entry saying
    "farmed area: 1.50 → 1.5"."""
    household = create(official, village, farmed_area_ha=Decimal("1.50"))
    services.household_update(
        actor=official, household=household, farmed_area_ha=Decimal("1.5")
    )
    assert entries_for(household).count() == 1  # the creation only


def test_update_keeps_the_head_member_in_step(official, village):
    household = create(official, village)
    services.household_update(
        actor=official,
        household=household,
        head_name="Nguyễn Văn Ân",
        head_national_id=ID_HOA,
        ethnic_group=ede(),
    )
    head = household.members.get(relation=Relation.HEAD)
    assert head.full_name == "Nguyễn Văn Ân"
    assert head.national_id == ID_HOA
    assert (head.sex, head.birth_year) == ("female", 1992)
    assert head.ethnic_group == ede()
    household.refresh_from_db()
    assert "nguyen van an" in household.search_text  # folded "Ân"


def test_update_moves_to_another_village_of_the_officers(officer, village, commune):
    from tests.factories import VillageFactory

    second = VillageFactory(commune=commune, code="T02", name="Thôn 2")
    officer.villages.add(second)
    household = create(officer, village)
    services.household_update(actor=officer, household=household, village=second)
    household.refresh_from_db()
    assert household.village == second
    assert entries_for(household).last().changes["village"] == ["Thôn 1", "Thôn 2"]


def test_officer_cannot_move_a_household_into_a_village_not_theirs(
    officer, village, other_village
):
    household = create(officer, village)
    with pytest.raises(PermissionDenied):
        services.household_update(
            actor=officer, household=household, village=other_village
        )
    household.refresh_from_db()
    assert household.village == village


def test_officer_cannot_update_another_villages_household(officer, other_village):
    household = HouseholdFactory(village=other_village, phone="")
    with pytest.raises(PermissionDenied):
        services.household_update(
            actor=officer, household=household, phone="0912345678"
        )
    household.refresh_from_db()
    assert household.phone == ""


def test_update_refuses_unknown_fields(official, village):
    household = create(official, village)
    with pytest.raises(ValueError):
        services.household_update(actor=official, household=household, commune=None)


def test_update_to_a_duplicate_code_is_refused(official, village):
    create(official, village)
    second = create(
        official, village, code="HK002", head_national_id=ID_HOA, head_name="Lê Thị Hoa"
    )
    with pytest.raises(ValidationError):
        services.household_update(actor=official, household=second, code="HK001")
    second.refresh_from_db()
    assert second.code == "HK002"


# --- household_archive / restore ----------------------------------------------------


def test_archive_needs_a_reason(official, village):
    household = create(official, village)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError):
            services.household_archive(
                actor=official, household=household, reason=reason
            )
    household.refresh_from_db()
    assert household.is_active


def test_archive_keeps_the_record_and_audits_the_reason(official, village):
    household = create(official, village)
    services.household_archive(
        actor=official, household=household, reason="Chuyển đến xã khác"
    )
    household.refresh_from_db()
    assert not household.is_active
    assert household.archived_reason == "Chuyển đến xã khác"
    assert household.members.count() == 1  # nothing deleted
    entry = entries_for(household).last()
    assert entry.action == AuditAction.ARCHIVE
    assert entry.note == "Chuyển đến xã khác" and entry.actor == official


def test_restore_brings_an_archived_household_back(official, village):
    household = create(official, village)
    services.household_archive(actor=official, household=household, reason="nhầm")
    services.household_restore(actor=official, household=household)
    household.refresh_from_db()
    assert household.is_active and household.archived_reason == ""
    assert entries_for(household).last().action == AuditAction.RESTORE


def test_officer_cannot_archive_another_villages_household(officer, other_village):
    household = HouseholdFactory(village=other_village)
    with pytest.raises(PermissionDenied):
        services.household_archive(actor=officer, household=household, reason="x")
    household.refresh_from_db()
    assert household.is_active


def test_officer_cannot_restore_another_villages_household(officer, other_village):
    household = HouseholdFactory(
        village=other_village, is_active=False, archived_reason="trùng hộ"
    )
    with pytest.raises(PermissionDenied):
        services.household_restore(actor=officer, household=household)
    household.refresh_from_db()
    assert not household.is_active


# --- members ------------------------------------------------------------------------


def member_fields(**overrides):
    fields = {
        "full_name": "Nguyễn Thị Mai",
        "sex": "female",
        "birth_year": 2010,
        "relation": Relation.CHILD,
        "ethnic_group": kinh(),
        "national_id": None,
        "is_student": True,
        "has_disability": False,
        "has_health_insurance": True,
    }
    fields.update(overrides)
    return fields


def test_member_add_is_audited_on_the_household(official, village):
    household = create(official, village)
    member = services.member_add(actor=official, household=household, **member_fields())
    assert member.household == household and member.is_active
    entry = entries_for(member).get()
    assert entry.actor == official and entry.action == AuditAction.CREATE
    assert entry.parent_id == household.pk
    assert entry.changes["full_name"] == [None, "Nguyễn Thị Mai"]


def test_a_second_head_cannot_be_added(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError) as info:
        services.member_add(
            actor=official, household=household, **member_fields(relation=Relation.HEAD)
        )
    assert "relation" in info.value.message_dict
    assert household.members.count() == 1


def test_member_born_in_the_future_is_refused(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError) as info:
        services.member_add(
            actor=official,
            household=household,
            **member_fields(birth_year=THIS_YEAR + 1),
        )
    assert "birth_year" in info.value.message_dict
    assert household.members.count() == 1


def test_member_with_an_id_already_registered_is_refused(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError):
        services.member_add(
            actor=official, household=household, **member_fields(national_id=ID_AN)
        )
    assert household.members.count() == 1


def test_member_update_diffs_and_audits(official, village):
    household = create(official, village)
    member = services.member_add(actor=official, household=household, **member_fields())
    services.member_update(
        actor=official, member=member, is_student=False, full_name="Nguyễn Thị Mai"
    )
    member.refresh_from_db()
    assert not member.is_student
    entry = entries_for(member).last()
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"is_student": [True, False]}


def test_member_update_refuses_a_birth_year_in_the_future(official, village):
    household = create(official, village)
    member = services.member_add(actor=official, household=household, **member_fields())
    with pytest.raises(ValidationError):
        services.member_update(actor=official, member=member, birth_year=THIS_YEAR + 1)
    member.refresh_from_db()
    assert member.birth_year == 2010


def test_member_cannot_be_made_head(official, village):
    household = create(official, village)
    member = services.member_add(actor=official, household=household, **member_fields())
    with pytest.raises(ValidationError):
        services.member_update(actor=official, member=member, relation=Relation.HEAD)
    member.refresh_from_db()
    assert member.relation == Relation.CHILD


def test_the_heads_name_and_id_are_changed_on_the_household_only(official, village):
    household = create(official, village)
    head = household.members.get()
    services.member_update(
        actor=official,
        member=head,
        full_name="Tên khác",
        national_id=ID_HOA,
        has_health_insurance=True,
    )
    head.refresh_from_db()
    assert head.full_name == "Nguyễn Văn An" and head.national_id == ID_AN
    assert head.has_health_insurance


def test_member_remove_needs_a_reason_and_keeps_the_row(official, village):
    household = create(official, village)
    member = services.member_add(actor=official, household=household, **member_fields())
    with pytest.raises(ValidationError):
        services.member_remove(actor=official, member=member, reason=" ")
    services.member_remove(actor=official, member=member, reason="Đi lấy chồng")
    member.refresh_from_db()
    assert not member.is_active and member.removed_reason == "Đi lấy chồng"
    entry = entries_for(member).last()
    assert entry.action == AuditAction.ARCHIVE and entry.note == "Đi lấy chồng"
    assert entry.parent_id == household.pk


def test_the_head_cannot_be_removed(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError):
        services.member_remove(
            actor=official, member=household.members.get(), reason="chuyển đi"
        )
    assert household.members.get().is_active


def test_officer_cannot_touch_members_of_another_village(officer, other_village):
    household = HouseholdFactory(village=other_village)
    member = MemberFactory(household=household)
    with pytest.raises(PermissionDenied):
        services.member_add(actor=officer, household=household, **member_fields())
    with pytest.raises(PermissionDenied):
        services.member_update(actor=officer, member=member, is_student=True)
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=officer, member=member, reason="x")
    assert household.members.filter(is_active=True).count() == 2
    assert not AuditEntry.objects.exists()


# --- poverty_review_record ----------------------------------------------------------


def record(actor, household, **overrides):
    fields = {
        "year": 2025,
        "income_per_person": 1_200_000,
        "deprivations": indicators("housing_area", "latrine", "health_insurance"),
    }
    fields.update(overrides)
    return services.poverty_review_record(actor=actor, household=household, **fields)


def test_review_is_proposed_recorded_and_shown_on_the_household(official, village):
    household = create(official, village)
    # Recorded from the English screen, the explanation is still kept in Vietnamese,
    # the language of the record that every official reads.
    with translation.override("en"):
        review = record(official, household)
    assert review.proposed_status == review.status == PovertyStatus.POOR
    assert "1,2 triệu ≤ 1,5 triệu" in review.proposal_reason
    assert "Nhà tiêu hợp vệ sinh" in review.proposal_reason
    assert review.recorded_by == official
    assert review.standard.first_year == 2022
    assert set(review.deprivations.values_list("code", flat=True)) == {
        "housing_area",
        "latrine",
        "health_insurance",
    }
    household.refresh_from_db()
    assert (household.current_status, household.current_review_year) == ("poor", 2025)
    entry = entries_for(review).get()
    assert entry.actor == official and entry.parent_id == household.pk
    assert entry.changes["income_per_person"] == [None, 1_200_000]


def test_current_status_follows_the_latest_year_not_the_latest_entry(official, village):
    household = create(official, village)
    record(official, household, year=2025, income_per_person=1_800_000, deprivations=[])
    record(official, household, year=2024)  # entered later, but an older year
    household.refresh_from_db()
    assert household.current_review_year == 2025
    assert household.current_status == PovertyStatus.AVERAGE


def test_escaping_poverty_is_proposed_from_last_years_review(official, village):
    household = create(official, village)
    record(official, household, year=2024)
    review = record(
        official, household, year=2025, income_per_person=1_700_000, deprivations=[]
    )
    assert review.status == PovertyStatus.ESCAPED_POOR
    household.refresh_from_db()
    assert household.current_status == PovertyStatus.ESCAPED_POOR


def test_a_second_review_for_the_same_year_is_refused_and_changes_nothing(
    official, village
):
    household = create(official, village)
    record(official, household, year=2025)
    before = counts()
    with translation.override("en"), pytest.raises(ValidationError) as info:
        record(
            official, household, year=2025, income_per_person=3_000_000, deprivations=[]
        )
    assert "This household already has a review for that year." in info.value.messages
    assert counts() == before
    household.refresh_from_db()
    assert household.current_status == PovertyStatus.POOR
    assert household.reviews.get().income_per_person == 1_200_000


def test_negative_income_is_refused(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError) as info:
        record(official, household, income_per_person=-1)
    assert "income_per_person" in info.value.message_dict
    assert not PovertyReview.objects.exists()


def test_a_future_year_is_refused(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError) as info:
        record(official, household, year=THIS_YEAR + 1)
    assert "year" in info.value.message_dict
    assert not PovertyReview.objects.exists()


def test_a_year_without_a_standard_is_refused(official, village):
    household = create(official, village)
    with pytest.raises(ValidationError) as info:
        record(official, household, year=2020)
    assert "year" in info.value.message_dict


def test_an_override_without_a_reason_is_refused(official, village):
    household = create(official, village)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        record(official, household, status=PovertyStatus.NEAR_POOR)
    message = info.value.message_dict["override_reason"][0]
    assert "poor" in message and "near-poor" in message
    assert not PovertyReview.objects.exists()
    household.refresh_from_db()
    assert household.current_status == ""


def test_an_override_is_recorded_with_its_reason(official, village):
    household = create(official, village)
    review = record(
        official,
        household,
        status=PovertyStatus.NEAR_POOR,
        override_reason="  Đã có việc làm ổn định từ tháng 10  ",
    )
    assert review.proposed_status == PovertyStatus.POOR
    assert review.status == PovertyStatus.NEAR_POOR
    assert review.override_reason == "Đã có việc làm ổn định từ tháng 10"
    assert review.is_overridden
    household.refresh_from_db()
    assert household.current_status == PovertyStatus.NEAR_POOR
    assert entries_for(review).get().changes["override_reason"] == [
        None,
        "Đã có việc làm ổn định từ tháng 10",
    ]


def test_choosing_the_proposed_status_drops_a_needless_reason(official, village):
    household = create(official, village)
    review = record(
        official, household, status=PovertyStatus.POOR, override_reason="không cần"
    )
    assert review.override_reason == "" and not review.is_overridden


def test_an_indicator_outside_the_standard_is_refused(official, village):
    from households.models import DeprivationIndicator

    stray = DeprivationIndicator.objects.create(
        code="waste", dimension="water", name_vi="Xử lý rác", name_en="Waste"
    )
    household = create(official, village)
    with pytest.raises(ValidationError) as info:
        record(official, household, deprivations=[stray])
    assert "deprivations" in info.value.message_dict


def test_officer_cannot_review_another_villages_household(officer, other_village):
    household = HouseholdFactory(village=other_village)
    with pytest.raises(PermissionDenied):
        record(officer, household)
    assert not PovertyReview.objects.exists()


def test_propose_uses_the_2027_standard_for_2027(official, village):
    household = create(official, village)
    standard, proposal = services.poverty_review_propose(
        household=household,
        year=2027,
        income_per_person=2_000_000,
        deprivations=indicators("housing_area", "latrine", "health_insurance"),
    )
    assert standard.first_year == 2027
    assert proposal.status == PovertyStatus.POOR


def test_propose_reads_the_previous_year(official, village):
    household = HouseholdFactory(village=village)
    PovertyReviewFactory(household=household, year=2024, status="near_poor")
    _standard, proposal = services.poverty_review_propose(
        household=household, year=2025, income_per_person=1_600_000, deprivations=[]
    )
    assert proposal.status == PovertyStatus.ESCAPED_NEAR_POOR


def test_an_urban_commune_uses_the_urban_line(official, village):
    village.commune.is_urban = True
    village.commune.save()
    household = create(official, village)
    review = record(official, household, income_per_person=1_800_000)
    assert review.status == PovertyStatus.POOR


def test_inactive_user_can_change_nothing(official, village):
    household = create(official, village)
    official.is_active = False
    official.save()
    with pytest.raises(PermissionDenied):
        record(official, household)
    with pytest.raises(PermissionDenied):
        services.household_update(
            actor=official, household=household, phone="0912345678"
        )
