"""The registry's invariants hold in the database itself, whatever path writes the row."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from households.models import (
    EthnicGroup,
    Household,
    PovertyReview,
    PovertyStandard,
    Relation,
)
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    VillageFactory,
    kinh,
)


def rejected():
    """The database refuses the row; the surrounding test transaction stays usable."""
    return pytest.raises(IntegrityError)


# --- reference data --------------------------------------------------------------


def test_the_54_ethnic_groups_are_loaded_with_their_codes(db):
    assert EthnicGroup.objects.count() == 54
    assert EthnicGroup.objects.get(code="01").name_vi == "Kinh"
    assert EthnicGroup.objects.get(code="12").name_vi == "Ê-đê"
    assert not EthnicGroup.objects.get(code="01").is_minority
    assert EthnicGroup.objects.get(code="12").is_minority


def test_ethnic_group_name_follows_the_language(db):
    tay = EthnicGroup.objects.get(code="02")
    with translation.override("vi"):
        assert str(tay) == "Tày"
    with translation.override("en"):
        assert str(tay) == "Tay"


# --- households -------------------------------------------------------------------


def test_duplicate_household_code_in_a_commune_is_rejected(village, other_village):
    HouseholdFactory(village=village, code="HK001")
    with rejected(), transaction.atomic():
        HouseholdFactory(village=other_village, code="HK001")
    assert Household.objects.filter(code="HK001").count() == 1


def test_the_same_code_is_allowed_in_two_communes(village, foreign_village):
    HouseholdFactory(village=village, code="HK001")
    HouseholdFactory(village=foreign_village, code="HK001")
    assert Household.objects.filter(code="HK001").count() == 2


def test_duplicate_head_national_id_in_a_commune_is_rejected(village):
    HouseholdFactory(village=village, head_national_id="066085001234")
    with rejected(), transaction.atomic():
        Household.objects.create(
            commune=village.commune,
            village=village,
            code="HK-OTHER",
            head_name="Nguyễn Văn An",
            head_national_id="066085001234",
            ethnic_group=kinh(),
        )


def test_many_households_may_have_no_head_id(village):
    HouseholdFactory(village=village, head_national_id=None)
    HouseholdFactory(village=village, head_national_id=None)
    assert Household.objects.filter(head_national_id__isnull=True).count() == 2


def test_negative_farmed_area_is_rejected(village):
    with rejected(), transaction.atomic():
        HouseholdFactory(village=village, farmed_area_ha=Decimal("-0.5"))


def test_archived_household_must_say_why(village):
    household = HouseholdFactory(village=village)
    household.is_active = False
    with rejected(), transaction.atomic():
        household.save()


def test_household_full_clean_reports_a_duplicate_code_in_plain_words(village):
    HouseholdFactory(village=village, code="HK001")
    twin = Household(
        commune=village.commune,
        village=village,
        code="HK001",
        head_name="Trần Văn Bình",
        ethnic_group=kinh(),
    )
    with translation.override("en"), pytest.raises(ValidationError) as info:
        twin.full_clean()
    assert "A household with this code already exists." in info.value.messages


def test_household_village_must_belong_to_its_commune(village, foreign_village):
    household = Household(
        commune=village.commune,
        village=foreign_village,
        code="HK009",
        head_name="Trần Văn Bình",
        ethnic_group=kinh(),
    )
    with pytest.raises(ValidationError) as info:
        household.full_clean()
    assert "village" in info.value.message_dict


def test_search_text_follows_every_save(village):
    household = HouseholdFactory(
        village=village, code="HK001", head_name="Nguyễn Văn An", phone="0912345678"
    )
    assert "nguyen van an" in household.search_text
    assert "0912345678" in household.search_text
    assert "hk001" in household.search_text
    household.head_name = "Đặng Thị Hoa"
    household.save(update_fields=["head_name"])
    household.refresh_from_db()
    assert "dang thi hoa" in household.search_text
    assert "nguyen" not in household.search_text


def test_household_str_and_url(village):
    household = HouseholdFactory(village=village, code="HK001", head_name="Y Bhim")
    assert str(household) == "HK001 – Y Bhim"
    assert household.get_absolute_url() == f"/households/{household.pk}/"


# --- members ----------------------------------------------------------------------


def test_two_active_heads_in_one_household_are_rejected(village):
    household = HouseholdFactory(village=village)  # has its head already
    with rejected(), transaction.atomic():
        MemberFactory(household=household, relation=Relation.HEAD)


def test_a_former_head_kept_as_inactive_does_not_block_a_new_head(village):
    household = HouseholdFactory(village=village)
    old = household.members.get()
    old.is_active = False
    old.removed_reason = "qua đời"
    old.save()
    MemberFactory(household=household, relation=Relation.HEAD)
    assert household.members.filter(relation=Relation.HEAD).count() == 2


def test_duplicate_member_national_id_is_rejected(village, other_village):
    MemberFactory(
        household=HouseholdFactory(village=village), national_id="066305001234"
    )
    with rejected(), transaction.atomic():
        MemberFactory(
            household=HouseholdFactory(village=other_village),
            national_id="066305001234",
        )


def test_an_inactive_member_does_not_block_their_id(village):
    gone = MemberFactory(
        household=HouseholdFactory(village=village),
        national_id="066305001234",
        is_active=False,
        removed_reason="chuyển đi",
    )
    MemberFactory(
        household=HouseholdFactory(village=village), national_id=gone.national_id
    )


def test_removed_member_must_say_why(village):
    member = MemberFactory(household=HouseholdFactory(village=village))
    member.is_active = False
    with rejected(), transaction.atomic():
        member.save()


def test_member_born_before_1900_is_rejected(village):
    with rejected(), transaction.atomic():
        MemberFactory(household=HouseholdFactory(village=village), birth_year=1899)


def test_member_born_in_the_future_fails_validation(village):
    from django.utils import timezone

    member = MemberFactory.build(
        household=HouseholdFactory(village=village),
        birth_year=timezone.localdate().year + 1,
    )
    with pytest.raises(ValidationError) as info:
        member.full_clean()
    assert "birth_year" in info.value.message_dict


def test_member_name_is_folded_for_search(village):
    member = MemberFactory(
        household=HouseholdFactory(village=village), full_name="H'Hen Niê"
    )
    assert member.name_folded == "h'hen nie"


# --- reviews ----------------------------------------------------------------------


def test_two_reviews_for_the_same_household_and_year_are_rejected(village):
    household = HouseholdFactory(village=village)
    PovertyReviewFactory(household=household, year=2025)
    with rejected(), transaction.atomic():
        PovertyReviewFactory(household=household, year=2025)
    PovertyReviewFactory(household=household, year=2024)  # another year is fine
    assert household.reviews.count() == 2


def test_negative_income_is_rejected(village):
    with rejected(), transaction.atomic():
        PovertyReviewFactory(
            household=HouseholdFactory(village=village), income_per_person=-1
        )


def test_override_without_a_reason_is_rejected(village):
    with rejected(), transaction.atomic():
        PovertyReviewFactory(
            household=HouseholdFactory(village=village),
            proposed_status="near_poor",
            status="poor",
            override_reason="",
        )


def test_override_with_a_reason_is_stored(village):
    review = PovertyReviewFactory(
        household=HouseholdFactory(village=village),
        proposed_status="near_poor",
        status="poor",
        override_reason="Chủ hộ ốm nặng, mất khả năng lao động",
    )
    assert review.is_overridden


def test_review_year_must_be_plausible(village):
    with rejected(), transaction.atomic():
        PovertyReview.objects.create(
            household=HouseholdFactory(village=village),
            year=1999,
            standard=PovertyStandard.objects.get(first_year=2022),
            income_per_person=1,
            proposed_status="poor",
            status="poor",
        )


def test_poverty_standard_thresholds_must_be_ordered(db):
    standard = PovertyStandard.objects.get(first_year=2022)
    standard.rural_average_ceiling = (
        standard.rural_line
    )  # ceiling must be above the line
    with rejected(), transaction.atomic():
        standard.save()


def test_village_code_unique_within_a_commune(commune, village):
    with rejected(), transaction.atomic():
        VillageFactory(commune=commune, code=village.code, name="Thôn khác")
