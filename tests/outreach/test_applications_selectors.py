"""Reads of assisted applications: the scope, each filter of the list, the search, and
the open applications whose follow-up date has come."""

from datetime import date

import pytest
from django.http import Http404

from outreach.models import ApplicationStatus, PublicService
from outreach.selectors import (
    ApplicationFilters,
    application_get_for,
    application_list_for,
    applications_needing_follow_up,
    households_to_apply_for,
)
from tests.factories import HouseholdFactory
from tests.factories.outreach import AssistedApplicationFactory

pytestmark = pytest.mark.django_db

S = ApplicationStatus
TODAY = date(2025, 6, 15)


@pytest.fixture
def apps(village, other_village):
    an = HouseholdFactory(
        village=village, code="T01-001", head_name="Nguyễn Văn An", phone="0912345678"
    )
    binh = HouseholdFactory(village=village, code="T01-002", head_name="Trần Thị Bình")
    hen = HouseholdFactory(village=other_village, code="B01-001", head_name="H'Hen Niê")
    return {
        "an_bhyt": AssistedApplicationFactory(
            household=an,
            service=PublicService.HEALTH_INSURANCE,
            filed_on=date(2025, 5, 2),
            status=S.PROCESSING,
            follow_up_on=date(2025, 6, 15),
            reference_number="G22-0001",
        ),
        "an_birth": AssistedApplicationFactory(
            household=an,
            service=PublicService.BIRTH_REGISTRATION,
            filed_on=date(2025, 6, 1),
            status=S.DONE,
            follow_up_on=date(2025, 6, 10),
        ),
        "binh_vneid": AssistedApplicationFactory(
            household=binh,
            service=PublicService.VNEID,
            filed_on=date(2025, 6, 10),
            status=S.NEEDS_MORE,
            follow_up_on=date(2025, 6, 20),
        ),
        "hen_land": AssistedApplicationFactory(
            household=hen,
            service=PublicService.LAND,
            filed_on=date(2025, 4, 20),
            status=S.FILED,
            follow_up_on=date(2025, 6, 1),
        ),
    }


def keys(apps, qs) -> list[str]:
    by_pk = {a.pk: k for k, a in apps.items()}
    return [by_pk[a.pk] for a in qs]


def listed(user, apps, **filters) -> list[str]:
    qs = application_list_for(user, ApplicationFilters(**filters), today=TODAY)
    return keys(apps, qs)


def test_newest_filing_first_within_the_users_villages(official, officer, apps):
    assert listed(official, apps) == ["binh_vneid", "an_birth", "an_bhyt", "hen_land"]
    assert listed(officer, apps) == ["binh_vneid", "an_birth", "an_bhyt"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"service": PublicService.VNEID}, ["binh_vneid"]),
        ({"status": S.DONE}, ["an_birth"]),
        ({"open_only": True}, ["binh_vneid", "an_bhyt", "hen_land"]),
        (
            {"filed_from": date(2025, 5, 1), "filed_to": date(2025, 6, 1)},
            ["an_birth", "an_bhyt"],
        ),
        ({"q": "nguyen an"}, ["an_birth", "an_bhyt"]),
        ({"q": "T01-002"}, ["binh_vneid"]),
        ({"q": "345678"}, ["an_birth", "an_bhyt"]),
        ({"q": "g22-0001"}, ["an_bhyt"]),
        ({"q": "an"}, ["an_birth", "an_bhyt"]),
        ({"q": "h'hen nie"}, ["hen_land"]),
    ],
)
def test_each_filter(official, apps, filters, expected):
    assert listed(official, apps, **filters) == expected


def test_the_village_filter(official, other_village, apps):
    assert listed(official, apps, village=other_village.pk) == ["hen_land"]


def test_follow_ups_due_are_open_ones_up_to_today(official, officer, apps):
    due = applications_needing_follow_up(official, today=TODAY)
    assert keys(apps, due) == ["hen_land", "an_bhyt"]
    assert keys(apps, applications_needing_follow_up(officer, today=TODAY)) == [
        "an_bhyt"
    ]
    assert listed(official, apps, follow_up_due=True) == ["an_bhyt", "hen_land"]


def test_one_application_or_404(officer, apps):
    assert application_get_for(officer, apps["an_bhyt"].pk) == apps["an_bhyt"]
    with pytest.raises(Http404):
        application_get_for(officer, apps["hen_land"].pk)
    with pytest.raises(Http404):
        application_get_for(officer, "abc")


def test_the_household_search_stays_in_the_users_villages(officer, apps):
    assert [h.code for h in households_to_apply_for(officer, "nie")] == []
    assert [h.code for h in households_to_apply_for(officer, "tran")] == ["T01-002"]
    assert [h.code for h in households_to_apply_for(officer, "0912")] == ["T01-001"]
    assert households_to_apply_for(officer, "  ") == []
