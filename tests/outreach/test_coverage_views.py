"""The coverage page, its xlsx export and the households behind each figure, through the
test client: the village officer sees only their villages (another village is a 404),
each count links to its list, the period is 30, 90 or 180 days; query counts at two sizes.

Today is 15/06/2025. Measured on SQLite for a signed-in official (2 queries load the
session and the user): the coverage page 5 (villages, households by village, village-wide
contacts by village), the households behind a figure 4 (count and rows).
"""

import io
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from households.models import Household
from tests.factories import HouseholdFactory, VillageFactory, ede
from tests.factories.outreach import ContactFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

COVERAGE = reverse("contacts:coverage")
EXPORT = reverse("contacts:coverage_export")
HOUSEHOLDS = reverse("contacts:coverage_households")


@pytest.fixture(autouse=True)
def _now():
    moment = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def world(village, other_village):
    """Thôn 1: a poor household reached on 01/06, a poor Ê Đê household never reached,
    a near-poor one reached 100 days ago, a meeting of 35 people. Buôn Tiêu: one poor
    household never reached."""
    reached = HouseholdFactory(village=village, code="A1", current_status="poor")
    ContactFactory(household=reached, contacted_on=date(2025, 6, 1))
    HouseholdFactory(
        village=village,
        code="A2",
        head_name="H'Nga Êban",
        current_status="poor",
        ethnic_group=ede(),
        phone="0987654321",
    )
    old = HouseholdFactory(village=village, code="A3", current_status="near_poor")
    ContactFactory(household=old, contacted_on=date(2025, 3, 7))
    ContactFactory(
        household=None,
        village=village,
        channel="meeting",
        people_count=35,
        contacted_on=date(2025, 6, 5),
    )
    HouseholdFactory(
        village=other_village, code="B1", head_name="Y Moan", current_status="poor"
    )


def cell(page: str, village_pk, name: str) -> str:
    """The text of a coverage cell's link."""
    start = page.index(f'data-village="{village_pk}"')
    at = page.index(f'data-cell="{name}"', start)
    return page[page.index(">", at) + 1 : page.index("<", at)].strip()


def test_the_officer_sees_their_village_with_links(officer_client, world, village):
    response = officer_client.get(COVERAGE)
    assert_shows(response, vi("Coverage per village"), "Thôn 1")
    assert_not_shows(response, "Buôn Tiêu")
    page = text_of(response)
    assert cell(page, village.pk, "households") == "3"
    assert cell(page, village.pk, "reached") == "1"
    assert cell(page, village.pk, "poor") == "1"
    assert cell(page, village.pk, "near_poor") == "1"
    assert cell(page, village.pk, "meetings") == "1"
    assert "(35)" in page
    to_do = (
        f"{HOUSEHOLDS}?{urlencode({'days': 90, 'show': 'poor', 'village': village.pk})}"
    )
    assert to_do.replace("&", "&amp;") in response.content.decode()
    assert f"{reverse('contacts:contact_create')}?village={village.pk}" in page


def test_the_period_changes_the_figures(official_client, world, village):
    page = text_of(official_client.get(COVERAGE, {"days": 180}))
    assert cell(page, village.pk, "reached") == "2"  # 07/03 is within 180 days
    assert 'aria-current="page" href="/outreach/coverage/?days=180"' in page
    # Any other period falls back to 90 days.
    page = text_of(official_client.get(COVERAGE, {"days": 7}))
    assert cell(page, village.pk, "reached") == "1"


def test_the_commune_total(official_client, world):
    page = text_of(official_client.get(COVERAGE))
    assert cell(page, "total", "households") == "4"
    assert cell(page, "total", "poor") == "2"  # A2 and B1


def test_the_officers_to_do_list(officer_client, world, village):
    response = officer_client.get(HOUSEHOLDS, {"village": village.pk})
    assert_shows(
        response,
        vi(
            "Poor and near-poor households not reached in the last %(days)s days",
            days=90,
        ),
        "A2 – H'Nga Êban",
        "tel:0987654321",
        vi("never contacted"),
    )
    page = text_of(response)
    assert page.index("A2 –") < page.index("A3 –")  # poor before near-poor
    assert "A1 –" not in page
    new = Household.objects.get(code="A2").pk
    assert f"{reverse('contacts:contact_create')}?household={new}" in page


def test_another_villages_households_are_a_404(officer_client, world, other_village):
    response = officer_client.get(HOUSEHOLDS, {"village": other_village.pk})
    assert response.status_code == 404
    # Without a village the officer gets their own villages only.
    assert_not_shows(officer_client.get(HOUSEHOLDS), "Y Moan")


def test_the_export(official_client, world, village, other_village):
    response = official_client.get(EXPORT, {"days": 90})
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = list(
        load_workbook(io.BytesIO(response.content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert rows[0][0] == vi(
        "Households reached in the last %(days)s days (%(start)s – %(end)s)",
        days=90,
        start="18/03/2025",
        end="15/06/2025",
    )
    assert rows[1][:3] == (vi("Village"), vi("Households"), vi("Households reached"))
    thon, buon, total = rows[2], rows[3], rows[4]
    assert thon == ("Thôn 1", 3, 1, 33.3, 2, 1, 1, 1, 1, 0, 1, 35, 0)
    assert buon == ("Buôn Tiêu", 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0)
    assert total[:3] == (vi("Total"), 4, 1)
    assert len(rows) == 5


def test_the_officers_export_has_their_village_only(officer_client, world):
    rows = list(
        load_workbook(io.BytesIO(officer_client.get(EXPORT).content))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    assert [r[0] for r in rows[2:]] == ["Thôn 1", vi("Total")]


# --- Query counts --------------------------------------------------------------------------------


def populate(commune, villages: int, households: int, start: int = 0) -> None:
    for v in range(start, start + villages):
        village = VillageFactory(commune=commune, code=f"Q{v:03d}")
        for n in range(households):
            household = HouseholdFactory(
                village=village, code=f"Q{v:03d}-{n}", current_status="poor"
            )
            if n % 2:
                ContactFactory(household=household, contacted_on=date(2025, 6, 1))


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [COVERAGE, HOUSEHOLDS, f"{HOUSEHOLDS}?show=reached"])
def test_the_pages_take_the_same_queries_at_two_sizes(
    official_client, commune, url, django_assert_max_num_queries
):
    populate(commune, villages=2, households=2)
    small = queries(official_client, url)
    populate(commune, villages=5, households=6, start=2)
    with django_assert_max_num_queries(small):
        official_client.get(url)
    # The coverage page: session, user, then the selector's four queries.
    assert queries(official_client, url) == small <= 6, small
