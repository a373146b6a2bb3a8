"""The list, detail and village pages run a fixed number of queries: an N+1 cannot creep
in. Each page is measured at a small and a larger data size and the counts must be equal;
``django_assert_max_num_queries`` pins the ceiling.

Measured on SQLite for a signed-in official (2 of them load the session and the user):
the household list 7 at every size, search, filter, sort and page; the registry part of
the detail 8 for a household with 3 members and 2 reviews as for one with 11 members,
4 reviews and 10 history entries; the village list and the staff home 3. The list and the detail each
include one INSERT: the audit entry recording who was shown ethnicity and status.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.services import household_update
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    VillageFactory,
    ede,
    indicators,
    kinh,
)

# 6 to show the page, + 1 INSERT of its read audit entry (eakutur/audit, audit_read).
MAX_LIST = 7
# 7 for the registry, 1 for its read audit entry, 1 for the loans panel, 3 for the
# trainings panel (the village check, the enrolments, the recommended courses), 3 for
# the outreach panel, 7 for the programs panel (the eligibility facts: reviews, their deprivations, members, open and
# overdue loans; the open programs and the program guides)
MAX_DETAIL = 22
MAX_VILLAGES = 3
# + the loan book, relays, follow-ups, approvals and trainings.
MAX_STAFF_HOME = MAX_VILLAGES + 5


def populate(commune, villages, count, start=0):
    """``count`` households spread over ``villages``, each with members and two reviews."""
    deprivations = indicators("latrine", "housing_area", "telecom")
    made = []
    for n in range(start, start + count):
        village = villages[n % len(villages)]
        household = HouseholdFactory(
            village=village,
            code=f"HK{n:04d}",
            head_name=f"Nguyễn Văn {n}",
            head_national_id=f"066085{n:06d}",
            phone=f"09{n:08d}",
            ethnic_group=ede() if n % 3 else kinh(),
            current_status="poor",
            current_review_year=2025,
        )
        MemberFactory(household=household, full_name=f"Nguyễn Thị {n}")
        MemberFactory(household=household, full_name=f"Nguyễn Văn Con {n}")
        PovertyReviewFactory(household=household, year=2024, deprivations=deprivations)
        PovertyReviewFactory(household=household, year=2025, deprivations=deprivations)
        made.append(household)
    return made


def queries(client, url, params=None) -> int:
    client.get(url, params)  # warm caches (content types, session) first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "nguyen van"},
        {"q": "0900000001"},
        {"status": "poor", "sort": "name"},
        {"review_year": "2025", "status": "poor"},
        {"page": "2"},
    ],
)
def test_household_list_query_count_does_not_grow(
    official_client,
    commune,
    village,
    other_village,
    params,
    django_assert_max_num_queries,
):
    villages = [village, other_village]
    populate(commune, villages, 30)  # page 2 exists from the start
    small = queries(official_client, "/households/", params)
    populate(commune, [*villages, VillageFactory(commune=commune)], 60, start=30)
    large = queries(official_client, "/households/", params)
    assert small == large, f"{small} queries with 30 households, {large} with 90"
    with django_assert_max_num_queries(MAX_LIST):
        official_client.get("/households/", params)


def test_officer_household_list_query_count_does_not_grow(
    officer_client, commune, village, other_village, django_assert_max_num_queries
):
    populate(commune, [village, other_village], 5)
    small = queries(officer_client, "/households/")
    populate(commune, [village, other_village], 60, start=5)
    large = queries(officer_client, "/households/")
    assert small == large
    with django_assert_max_num_queries(MAX_LIST):
        officer_client.get("/households/", {"q": "nguyen"})


def test_household_detail_query_count_does_not_grow(
    official_client, official, commune, village, django_assert_max_num_queries
):
    small_household = populate(commune, [village], 1)[0]
    small = queries(official_client, small_household.get_absolute_url())

    big = populate(commune, [village], 1, start=1)[0]
    for n in range(8):
        MemberFactory(household=big, full_name=f"Thành viên {n}", is_student=True)
    for year in (2022, 2023):
        PovertyReviewFactory(
            household=big,
            year=year,
            status="near_poor",
            proposed_status="poor",
            override_reason="có việc làm",
            deprivations=indicators(
                "latrine", "housing_area", "telecom", "employment", "nutrition"
            ),
        )
    for n in range(10):
        household_update(actor=official, household=big, phone=f"09123456{n:02d}")
    populate(commune, [village], 40, start=2)
    large = queries(official_client, big.get_absolute_url())
    assert small == large, (
        f"{small} queries for a small household, {large} for a big one"
    )
    with django_assert_max_num_queries(MAX_DETAIL):
        official_client.get(big.get_absolute_url())


def test_village_list_query_count_does_not_grow(
    official_client, commune, village, other_village, django_assert_max_num_queries
):
    populate(commune, [village, other_village], 5)
    small = queries(official_client, "/households/villages/")
    more = [VillageFactory(commune=commune) for _ in range(10)]
    populate(commune, [village, other_village, *more], 60, start=5)
    large = queries(official_client, "/households/villages/")
    assert small == large
    with django_assert_max_num_queries(MAX_VILLAGES):
        official_client.get("/households/villages/")


def test_staff_home_query_count_does_not_grow(
    official_client, commune, village, other_village, django_assert_max_num_queries
):
    populate(commune, [village, other_village], 5)
    small = queries(official_client, "/staff/")
    populate(commune, [village, other_village, VillageFactory(commune=commune)], 40, 5)
    large = queries(official_client, "/staff/")
    assert small == large
    with django_assert_max_num_queries(MAX_STAFF_HOME):
        official_client.get("/staff/")
