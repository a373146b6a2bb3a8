"""Logging contacts and closing follow-ups: every refusal, the village scope, the audit
history, and no half-saved contact (a refused contact leaves no Contact nor ContactTopic).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditEntry
from outreach.models import Contact, ContactTopic
from outreach.services import contact_follow_up_done, contact_log
from tests.factories import HouseholdFactory, UserFactory
from tests.factories.outreach import ContactFactory, TeamMemberFactory
from tests.pages import vi

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def household(village):
    return HouseholdFactory(village=village, code="T01-0007", head_name="Lê Thị Mai")


def visit(user, **overrides):
    """A door-to-door visit about loans, today, with the fields a test overrides."""
    kwargs = {
        "channel": "door_to_door",
        "contacted_on": TODAY,
        "topics": ["loans"],
        "outcome": "informed",
        **overrides,
    }
    return contact_log(user=user, **kwargs)


def refused(exc_type, call, *args, **kwargs):
    """Call, expect ``exc_type``, and check nothing was saved; returns the exception."""
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    assert Contact.objects.count() == 0
    assert ContactTopic.objects.count() == 0
    return info.value


def messages_of(exc: ValidationError, field: str) -> list[str]:
    return exc.message_dict[field]


# --- Logging -------------------------------------------------------------------------------


def test_officer_logs_a_visit_with_topics_and_a_follow_up(officer, household):
    contact = visit(
        officer,
        household=household,
        topics=["trainings", "loans", "loans"],
        outcome="interested",
        note="  Hẹn mang giấy tờ vay vốn thứ Hai  ",
        follow_up_on=date(2025, 6, 18),
    )
    contact.refresh_from_db()
    assert contact.village == household.village
    assert contact.commune == household.commune
    assert contact.made_by == officer
    assert contact.note == "Hẹn mang giấy tờ vay vốn thứ Hai"
    assert contact.follow_up_on == date(2025, 6, 18)
    # Each topic once, in the list's order.
    assert list(contact.topics.order_by("pk").values_list("topic", flat=True)) == [
        "loans",
        "trainings",
    ]
    entry = AuditEntry.objects.get(object_id=contact.pk, action="create")
    assert entry.actor == officer
    assert entry.parent_id == household.pk  # shown in the household's history
    assert entry.note == "Nội dung: vay vốn ưu đãi, tập huấn nông nghiệp"
    assert entry.changes["channel"] == [None, vi("door to door")]


def test_the_households_village_becomes_the_contacts_village(
    official, household, other_village
):
    contact = visit(official, household=household, village=other_village)
    assert contact.village == household.village


def test_a_meeting_with_the_whole_village_counts_its_people(official, other_village):
    contact = visit(official, village=other_village, channel="meeting", people_count=42)
    assert contact.household is None
    assert contact.people_count == 42
    entry = AuditEntry.objects.get(object_id=contact.pk, action="create")
    assert entry.parent_id == other_village.pk


def test_a_team_member_of_the_village_may_be_named(officer, household, village):
    member = TeamMemberFactory(team__village=village, full_name="Y Khoa Niê")
    contact = visit(officer, household=household, team_member=member)
    assert contact.team_member == member


# --- Scope -----------------------------------------------------------------------------------


def test_officer_cannot_log_for_a_household_of_another_village(officer, other_village):
    elsewhere = HouseholdFactory(village=other_village)
    exc = refused(ValidationError, visit, officer, household=elsewhere)
    assert messages_of(exc, "household") == [
        vi("This household was not found among your villages.")
    ]


def test_another_communes_household_is_not_found(official, foreign_village):
    foreign = HouseholdFactory(village=foreign_village)
    exc = refused(ValidationError, visit, official, household=foreign)
    assert exc.error_dict["household"][0].code == "not_found"


def test_officer_cannot_log_a_meeting_in_another_village(officer, other_village):
    refused(
        PermissionDenied,
        visit,
        officer,
        village=other_village,
        channel="meeting",
    )


def test_an_inactive_user_cannot_log(officer, household):
    officer.is_active = False
    officer.save()
    refused(PermissionDenied, visit, officer, household=household)


def test_an_archived_household_is_refused(officer, household):
    household.is_active = False
    household.archived_reason = "Chuyển đi nơi khác"
    household.save()
    exc = refused(ValidationError, visit, officer, household=household)
    assert messages_of(exc, "household") == [
        vi("This household is archived; restore it before logging contacts.")
    ]


# --- Every other refusal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"channel": "door_to_door"},
            "household",
            "A visit or a phone call is with a household: choose the household.",
        ),
        (
            {"channel": "phone"},
            "household",
            "A visit or a phone call is with a household: choose the household.",
        ),
        ({"topics": []}, "topics", "Tick at least one topic."),
        (
            {"contacted_on": date(2025, 6, 16)},
            "contacted_on",
            "This date is in the future.",
        ),
        (
            {"contacted_on": date(1999, 12, 31)},
            "contacted_on",
            "Dates before 01/01/2000 are not accepted; check the year.",
        ),
        (
            {"follow_up_on": date(2025, 6, 14)},
            "follow_up_on",
            "The follow-up date cannot be before the contact.",
        ),
        (
            {"people_count": 0},
            "people_count",
            "The number of people must be at least 1.",
        ),
    ],
)
def test_village_wide_refusals(official, village, overrides, field, message):
    kwargs = {"village": village, "channel": "meeting", **overrides}
    exc = refused(ValidationError, visit, official, **kwargs)
    assert vi(message) in messages_of(exc, field)


def test_neither_household_nor_village(official):
    exc = refused(ValidationError, visit, official, channel="meeting")
    assert messages_of(exc, "village") == [
        vi("Choose the household, or the village for a meeting.")
    ]


def test_people_count_is_only_for_a_whole_village(official, household):
    exc = refused(ValidationError, visit, official, household=household, people_count=5)
    assert messages_of(exc, "people_count") == [
        vi("The number of people present is only for a contact with the whole village.")
    ]


def test_an_unknown_topic_or_channel_is_refused(official, household):
    exc = refused(
        ValidationError, visit, official, household=household, topics=["weather"]
    )
    assert messages_of(exc, "topics") == [
        vi("“%(topic)s” is not a topic.", topic="weather")
    ]
    exc = refused(
        ValidationError, visit, official, household=household, channel="pigeon"
    )
    assert "channel" in exc.message_dict


def test_team_member_of_another_village_is_refused(official, household, other_village):
    stranger = TeamMemberFactory(team__village=other_village)
    exc = refused(
        ValidationError, visit, official, household=household, team_member=stranger
    )
    assert messages_of(exc, "team_member") == [
        vi(
            "This person is not a member of the digital team of %(village)s.",
            village="Thôn 1",
        )
    ]


def test_team_member_who_left_is_refused(official, household, village):
    former = TeamMemberFactory(
        team__village=village, full_name="Y Blong Êban", left_on=date(2025, 1, 31)
    )
    exc = refused(
        ValidationError, visit, official, household=household, team_member=former
    )
    assert messages_of(exc, "team_member") == [
        vi(
            "%(name)s left the team on %(date)s.",
            name="Y Blong Êban",
            date="31/01/2025",
        )
    ]


def test_a_failure_after_the_contact_row_rolls_everything_back(
    official, household, monkeypatch
):
    """The contact, its topics and the audit entry are one transaction."""
    from outreach.services import contacts

    def broken_audit(**kwargs):
        assert Contact.objects.count() == 1  # the row was written
        raise RuntimeError("audit down")

    monkeypatch.setattr(contacts, "audit_created", broken_audit)
    refused(
        RuntimeError, visit, official, household=household, topics=["loans", "land"]
    )


# --- Closing a follow-up ---------------------------------------------------------------------


@pytest.fixture
def promised(household, officer):
    return ContactFactory(
        household=household, made_by=officer, follow_up_on=date(2025, 6, 20)
    )


def test_closing_a_follow_up_records_who_when_and_the_note(officer, promised):
    contact_follow_up_done(user=officer, contact=promised, note=" Đã nộp hồ sơ ")
    promised.refresh_from_db()
    assert promised.follow_up_done_by == officer
    assert promised.follow_up_done_at is not None
    assert promised.follow_up_note == "Đã nộp hồ sơ"
    entry = AuditEntry.objects.get(object_id=promised.pk, action="update")
    assert entry.parent_id == promised.household_id
    assert entry.changes["follow_up_note"] == ["", "Đã nộp hồ sơ"]


def test_closing_twice_is_refused_saying_when_and_by_whom(officer, official, promised):
    officer.full_name = "Y Bhin Niê"
    officer.save()
    contact_follow_up_done(user=officer, contact=promised)
    promised.refresh_from_db()
    first = promised.follow_up_done_at
    with pytest.raises(ValidationError) as info:
        contact_follow_up_done(user=official, contact=promised, note="lần hai")
    assert info.value.messages == [
        vi(
            "This follow-up was already marked done on %(date)s by %(name)s.",
            date="15/06/2025",
            name="Y Bhin Niê",
        )
    ]
    promised.refresh_from_db()
    assert promised.follow_up_done_at == first
    assert promised.follow_up_done_by == officer
    assert promised.follow_up_note == ""


def test_closing_a_contact_without_follow_up_is_refused(officer, household):
    contact = ContactFactory(household=household, made_by=officer)
    with pytest.raises(ValidationError) as info:
        contact_follow_up_done(user=officer, contact=contact)
    assert info.value.messages == [vi("No follow-up was planned for this contact.")]
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None


def test_officer_cannot_close_another_villages_follow_up(
    commune, other_village, promised
):
    stranger = UserFactory(
        role=Role.VILLAGE_OFFICER, commune=commune, villages=[other_village]
    )
    contact = promised
    with pytest.raises(PermissionDenied):
        contact_follow_up_done(user=stranger, contact=contact)
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None
