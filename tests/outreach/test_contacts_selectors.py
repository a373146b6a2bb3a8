"""Reads of the contact log: the village scope, every filter of the list, the follow-ups
(overdue first), a household's contacts and applications."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404

from outreach.selectors import (
    REACHED,
    SCOPE_HOUSEHOLD,
    SCOPE_VILLAGE,
    ContactFilters,
    applications_of_household,
    contact_get_for,
    contact_list_for,
    contacts_for,
    contacts_of_household,
    follow_ups_for,
    household_search_for,
)
from tests.factories import HouseholdFactory
from tests.factories.outreach import AssistedApplicationFactory, ContactFactory

TODAY = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def mai(village):
    return HouseholdFactory(
        village=village, code="T01-0007", head_name="Lê Thị Mai", phone="0912345678"
    )


@pytest.fixture
def hbia(other_village):
    return HouseholdFactory(
        village=other_village, code="B01-0003", head_name="H'Bia Niê", phone=""
    )


@pytest.fixture
def log(mai, hbia, village, other_village):
    """Five contacts over two villages."""
    return {
        "mai_visit": ContactFactory(
            household=mai, contacted_on=date(2025, 6, 1), topics=["loans", "land"]
        ),
        "mai_call": ContactFactory(
            household=mai,
            channel="phone",
            contacted_on=date(2025, 6, 10),
            outcome="not_reached",
            topics=["health_insurance"],
        ),
        "meeting": ContactFactory(
            household=None,
            village=village,
            channel="meeting",
            contacted_on=date(2025, 5, 20),
            people_count=40,
            topics=["trainings"],
        ),
        "hbia_visit": ContactFactory(
            household=hbia,
            contacted_on=date(2025, 6, 12),
            outcome="helped",
            topics=["loans"],
        ),
        "buon_zalo": ContactFactory(
            household=None,
            village=other_village,
            channel="zalo_group",
            contacted_on=date(2025, 4, 1),
            topics=["jobs"],
        ),
    }


def names(qs, log) -> list[str]:
    by_pk = {c.pk: name for name, c in log.items()}
    return [by_pk[c.pk] for c in qs]


def test_scope(officer, official, foreign_official, log):
    assert set(names(contacts_for(officer), log)) == {
        "mai_visit",
        "mai_call",
        "meeting",
    }
    assert len(contacts_for(official)) == 5
    assert list(contacts_for(foreign_official)) == []
    with pytest.raises(Http404):
        contact_get_for(officer, log["hbia_visit"].pk)
    assert contact_get_for(official, log["hbia_visit"].pk) == log["hbia_visit"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["hbia_visit", "mai_call", "mai_visit", "meeting", "buon_zalo"]),
        ({"q": "mai"}, ["mai_call", "mai_visit"]),
        ({"q": "Le Thi"}, ["mai_call", "mai_visit"]),  # without diacritics
        ({"q": "345678"}, ["mai_call", "mai_visit"]),  # part of the phone
        ({"q": "b01-0003"}, ["hbia_visit"]),  # the code, any case
        ({"q": "hi"}, []),  # "hi" starts no word (it is inside "Thi")
        ({"channel": "phone"}, ["mai_call"]),
        ({"topic": "loans"}, ["hbia_visit", "mai_visit"]),
        ({"outcome": "helped"}, ["hbia_visit"]),
        ({"outcome": REACHED}, ["hbia_visit", "mai_visit"]),
        ({"scope": SCOPE_VILLAGE}, ["meeting", "buon_zalo"]),
        ({"scope": SCOPE_HOUSEHOLD}, ["hbia_visit", "mai_call", "mai_visit"]),
        (
            {"date_from": date(2025, 5, 20), "date_to": date(2025, 6, 10)},
            ["mai_call", "mai_visit", "meeting"],
        ),
    ],
)
def test_list_filters(official, log, filters, expected):
    assert names(contact_list_for(official, ContactFilters(**filters)), log) == expected


def test_list_filters_by_village_and_household(official, log, other_village, mai):
    assert names(
        contact_list_for(official, ContactFilters(village=other_village.pk)), log
    ) == ["hbia_visit", "buon_zalo"]
    assert names(contact_list_for(official, ContactFilters(household=mai.pk)), log) == [
        "mai_call",
        "mai_visit",
    ]


def test_household_search_finds_only_the_users_active_households(officer, mai, hbia):
    assert list(household_search_for(officer, "mai")) == [mai]
    assert list(household_search_for(officer, "Bia")) == []  # another village
    assert list(household_search_for(officer, "   ")) == []
    nie = HouseholdFactory(village=mai.village, code="T01-0020", head_name="H'Hoa Niê")
    assert list(household_search_for(officer, "hoa nie")) == [nie]  # after the H' too
    mai.is_active = False
    mai.archived_reason = "Chuyển đi"
    mai.save()
    assert list(household_search_for(officer, "mai")) == []


def test_follow_ups_overdue_first_then_by_date(official, officer, mai, hbia, village):
    later = ContactFactory(household=mai, follow_up_on=TODAY + timedelta(days=7))
    overdue = ContactFactory(
        household=mai,
        contacted_on=TODAY - timedelta(days=10),
        follow_up_on=TODAY - timedelta(days=3),
    )
    due_today = ContactFactory(household=hbia, follow_up_on=TODAY, made_by=official)
    ContactFactory(  # closed: not listed
        household=mai,
        follow_up_on=TODAY - timedelta(days=1),
        follow_up_done_at="2025-06-14T10:00:00+07:00",
        follow_up_done_by=officer,
    )
    ContactFactory(household=mai)  # no follow-up
    rows = list(follow_ups_for(official, today=TODAY))
    assert rows == [overdue, due_today, later]
    assert [r.is_overdue for r in rows] == [True, False, False]
    assert list(follow_ups_for(officer, today=TODAY)) == [overdue, later]
    assert list(follow_ups_for(official, today=TODAY, village=village.pk)) == [
        overdue,
        later,
    ]
    assert list(follow_ups_for(official, today=TODAY, made_by=official)) == [due_today]


def test_a_households_contacts_and_applications_follow_the_scope(
    officer, official, mai, hbia, log
):
    assert names(contacts_of_household(mai, officer), log) == ["mai_call", "mai_visit"]
    assert list(contacts_of_household(hbia, officer)) == []
    application = AssistedApplicationFactory(household=hbia)
    assert list(applications_of_household(hbia, official)) == [application]
    assert list(applications_of_household(hbia, officer)) == []
