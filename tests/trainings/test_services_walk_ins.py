"""Walk-ins: found in the registry when exactly one person matches, kept as a walk-in
otherwise, matched or added to the registry later without a second row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eakutur.audit.models import AuditEntry
from households.models import Household, Member, Relation
from tests.factories import HouseholdFactory, MemberFactory, ede, kinh
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from trainings.models import CourseKind, Enrolment, EnrolmentStatus
from trainings.services import (
    enrol_member,
    enrol_walk_in,
    walk_in_add_to_registry,
    walk_in_match,
)
from trainings.services.support import ETHNIC_MINORITY_OR_POOR, OTHER_RURAL_WORKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(commune, village):
    return SessionFactory(course=CourseFactory(commune=commune), village=village)


def walk_in(actor, session, village, name="H'Hen Niê", **kwargs):
    return enrol_walk_in(
        actor=actor, session=session, full_name=name, village=village, **kwargs
    )


# --- Looking in the registry ----------------------------------------------------------


def test_an_exact_match_enrols_the_member(official, session, village):
    member = MemberFactory(household__village=village, full_name="H'Hen Niê")
    enrolment = walk_in(official, session, village, name="h'hen  nie")
    assert enrolment.member == member
    assert enrolment.household == member.household
    assert enrolment.full_name == "H'Hen Niê"
    assert Enrolment.objects.filter(session=session).count() == 1


def test_a_member_found_again_is_not_enrolled_twice(official, session, village):
    member = MemberFactory(household__village=village, full_name="H'Hen Niê")
    enrol_member(actor=official, session=session, member=member)
    with pytest.raises(ValidationError, match="đã được ghi danh vào buổi này"):
        walk_in(official, session, village)
    assert Enrolment.objects.filter(session=session).count() == 1


def test_two_candidates_keep_a_walk_in_with_no_guess(official, session, village):
    for _ in range(2):
        MemberFactory(household__village=village, full_name="Nguyễn Văn Nam")
    enrolment = walk_in(official, session, village, name="Nguyễn Văn Nam")
    assert enrolment.member is None
    assert enrolment.household is None
    assert enrolment.village == village
    assert enrolment.status == EnrolmentStatus.REGISTERED


def test_the_birth_year_tells_two_namesakes_apart(official, session, village):
    MemberFactory(
        household__village=village, full_name="Nguyễn Văn Nam", birth_year=1980
    )
    younger = MemberFactory(
        household__village=village, full_name="Nguyễn Văn Nam", birth_year=1995
    )
    enrolment = walk_in(
        official, session, village, name="Nguyễn Văn Nam", birth_year=1995
    )
    assert enrolment.member == younger


def test_the_given_village_is_preferred(official, session, village, other_village):
    MemberFactory(household__village=other_village, full_name="Y Bhim Êban")
    here = MemberFactory(household__village=village, full_name="Y Bhim Êban")
    assert walk_in(official, session, village, name="Y Bhim Êban").member == here


def test_the_households_phone_finds_the_person(
    official, session, village, other_village
):
    MemberFactory(household__village=village, full_name="Trần Thị Lan")
    phoned = MemberFactory(
        household__village=other_village,
        household__phone="0912345678",
        full_name="Trần Thị Lan",
    )
    enrolment = walk_in(
        official, session, village, name="Trần Thị Lan", phone="091 234 5678"
    )
    assert enrolment.member == phoned


def test_a_person_found_outside_the_officers_villages_stays_a_walk_in(
    officer, session, village, other_village
):
    MemberFactory(household__village=other_village, full_name="Lê Thị Mơ")
    enrolment = walk_in(officer, session, village, name="Lê Thị Mơ")
    assert enrolment.member is None


def test_an_officer_cannot_enrol_walk_ins_of_another_village(
    officer, session, other_village
):
    with pytest.raises(PermissionDenied):
        walk_in(officer, session, other_village)
    assert not Enrolment.objects.exists()


def test_the_same_walk_in_twice_is_refused_even_without_a_birth_year(
    official, session, village
):
    walk_in(official, session, village, phone="0987654321")
    with pytest.raises(ValidationError, match="đã được ghi danh vào buổi này"):
        walk_in(official, session, village, name="H'HEN NIÊ", phone="0987654321")
    assert Enrolment.objects.filter(session=session).count() == 1


def test_bad_walk_in_details_are_refused(official, session, village):
    with pytest.raises(ValidationError) as exc:
        walk_in(official, session, village, name="   ")
    assert list(exc.value.message_dict) == ["full_name"]
    with pytest.raises(ValidationError) as exc:
        walk_in(official, session, village, phone="12345")
    assert list(exc.value.message_dict) == ["phone"]
    with pytest.raises(ValidationError) as exc:
        walk_in(official, session, village, birth_year=1850)
    assert list(exc.value.message_dict) == ["birth_year"]
    assert not Enrolment.objects.exists()


def test_a_walk_in_of_a_vocational_course_gets_the_basic_support(
    official, commune, village
):
    course = CourseFactory(commune=commune, kind=CourseKind.VOCATIONAL)
    session = SessionFactory(course=course, village=village)
    assert walk_in(official, session, village).support_amount == OTHER_RURAL_WORKER


# --- Matching later ----------------------------------------------------------------------


def test_a_later_match_links_the_walk_in_row(official, session, village):
    for _ in range(2):
        MemberFactory(household__village=village, full_name="Nguyễn Văn Nam")
    enrolment = walk_in(official, session, village, name="Nguyễn Văn Nam")
    member = Member.objects.filter(full_name="Nguyễn Văn Nam").first()
    matched = walk_in_match(actor=official, enrolment=enrolment, member=member)
    assert matched.pk == enrolment.pk
    enrolment.refresh_from_db()
    assert enrolment.member == member
    assert enrolment.household == member.household
    assert Enrolment.objects.filter(session=session).count() == 1
    assert AuditEntry.objects.filter(
        object_id=enrolment.pk, action="update", changes__has_key="member"
    ).exists()


def test_matching_fixes_the_members_support(official, commune, village):
    course = CourseFactory(commune=commune, kind=CourseKind.VOCATIONAL)
    session = SessionFactory(course=course, village=village)
    enrolment = walk_in(official, session, village, name="Y Kông Niê")
    member = MemberFactory(
        household__village=village, full_name="Y Kông Niê", ethnic_group=ede()
    )
    walk_in_match(actor=official, enrolment=enrolment, member=member)
    enrolment.refresh_from_db()
    assert enrolment.support_amount == ETHNIC_MINORITY_OR_POOR


def test_matching_a_member_already_enrolled_merges_into_one_row(
    official, session, village
):
    member = MemberFactory(household__village=village, full_name="Phạm Văn Tú")
    own = EnrolmentFactory(session=session, member=member)
    # At the door they were written down by hand, and came.
    extra = EnrolmentFactory(
        session=session, member=None, full_name="Pham Van Tu", status="attended"
    )
    result = walk_in_match(actor=official, enrolment=extra, member=member)
    assert result.pk == own.pk
    own.refresh_from_db()
    extra.refresh_from_db()
    assert own.status == EnrolmentStatus.ATTENDED
    assert extra.status == EnrolmentStatus.WITHDRAWN
    active = Enrolment.objects.filter(session=session).exclude(status="withdrawn")
    assert list(active) == [own]


def test_a_matched_enrolment_cannot_be_matched_again(official, session, village):
    enrolment = EnrolmentFactory(session=session)
    with pytest.raises(ValidationError, match="đã được gắn với danh sách hộ"):
        walk_in_match(
            actor=official,
            enrolment=enrolment,
            member=MemberFactory(household__village=village),
        )


def test_an_officer_cannot_match_to_a_person_of_another_village(
    officer, session, village, other_village
):
    enrolment = EnrolmentFactory(session=session, member=None, full_name="Y Blô")
    stranger = MemberFactory(household__village=other_village, full_name="Y Blô")
    with pytest.raises(PermissionDenied):
        walk_in_match(actor=officer, enrolment=enrolment, member=stranger)
    enrolment.refresh_from_db()
    assert enrolment.member is None


# --- Adding to the registry ----------------------------------------------------------------


def test_adding_to_the_registry_creates_a_household_with_the_walk_in_as_head(
    official, session, village
):
    enrolment = walk_in(
        official,
        session,
        village,
        name="H'Mai Ayun",
        birth_year=1990,
        phone="0356789012",
    )
    result = walk_in_add_to_registry(
        actor=official,
        enrolment=enrolment,
        sex="female",
        ethnic_group=ede(),
        code="T01-999",
    )
    assert result.pk == enrolment.pk
    household = Household.objects.get(code="T01-999")
    head = household.members.get()
    assert (head.full_name, head.relation, head.birth_year, head.sex) == (
        "H'Mai Ayun",
        Relation.HEAD,
        1990,
        "female",
    )
    assert household.village == village
    assert household.phone == "0356789012"
    enrolment.refresh_from_db()
    assert (enrolment.member, enrolment.household) == (head, household)
    assert Enrolment.objects.filter(session=session).count() == 1
    # Through the registry's service: audited like any new household.
    assert AuditEntry.objects.filter(object_id=household.pk, action="create").exists()


def test_adding_a_namesake_asks_to_match_instead(official, session, village):
    enrolment = EnrolmentFactory(
        session=session, member=None, full_name="Đỗ Văn Hùng", birth_year=None
    )
    existing = HouseholdFactory(
        village=village, head_name="Đỗ Văn Hùng", code="T01-001"
    )
    with pytest.raises(ValidationError) as exc:
        walk_in_add_to_registry(
            actor=official,
            enrolment=enrolment,
            sex="male",
            ethnic_group=kinh(),
            code="T01-777",
            birth_year=1975,
        )
    assert "T01-001 – Thôn 1" in exc.value.messages[0]
    assert not Household.objects.filter(code="T01-777").exists()
    # The official says it is another person.
    walk_in_add_to_registry(
        actor=official,
        enrolment=enrolment,
        sex="male",
        ethnic_group=kinh(),
        code="T01-777",
        birth_year=1975,
        allow_namesake=True,
    )
    enrolment.refresh_from_db()
    assert enrolment.household.code == "T01-777"
    assert enrolment.household != existing


def test_adding_with_a_code_in_use_changes_nothing(official, session, village):
    HouseholdFactory(village=village, code="T01-001")
    enrolment = EnrolmentFactory(
        session=session, member=None, full_name="Hà Văn Mới", birth_year=1988
    )
    with pytest.raises(ValidationError) as exc:
        walk_in_add_to_registry(
            actor=official,
            enrolment=enrolment,
            sex="male",
            ethnic_group=kinh(),
            code="T01-001",
        )
    assert exc.value.messages == ["Mã hộ này đã được dùng cho một hộ khác."]
    enrolment.refresh_from_db()
    assert enrolment.member is None
    assert not Member.objects.filter(full_name="Hà Văn Mới").exists()


def test_an_officer_cannot_add_another_villages_walk_in_to_the_registry(
    officer, commune, other_village
):
    session = SessionFactory(
        course=CourseFactory(commune=commune), village=other_village
    )
    enrolment = EnrolmentFactory(session=session, member=None, full_name="Y Lăk")
    with pytest.raises(PermissionDenied):
        walk_in_add_to_registry(
            actor=officer,
            enrolment=enrolment,
            sex="male",
            ethnic_group=ede(),
            code="B01-500",
            birth_year=1980,
        )
    assert not Household.objects.filter(code="B01-500").exists()
