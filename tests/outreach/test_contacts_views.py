"""The contact screens through the test client: logging a contact (search, prefill,
Vietnamese errors, nothing saved on a refusal), the list and its xlsx export, a contact's
page, the follow-ups and closing one, the household page's panel; each within the user's
villages (another village is a 404); the lists' query counts at two sizes.

"Now" is pinned to 15/06/2025 09:30 in Asia/Ho_Chi_Minh. The lists take 6 queries on
SQLite whatever their size: session, user, count, rows, topics, and the village choices.
"""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from openpyxl import load_workbook

from outreach.models import Contact, ContactTopic
from tests.factories import HouseholdFactory
from tests.factories.outreach import AssistedApplicationFactory, ContactFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 15)
NEW = reverse("contacts:contact_create")
LIST = reverse("contacts:contact_list")
EXPORT = reverse("contacts:contact_export")
FOLLOW_UPS = reverse("contacts:follow_up_list")


@pytest.fixture(autouse=True)
def _now():
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
    return HouseholdFactory(village=other_village, code="B01-0003", head_name="H'Bia")


def form_data(**overrides) -> dict:
    data = {
        "household": "",
        "village": "",
        "channel": "door_to_door",
        "topics": ["loans"],
        "contacted_on": "15/06/2025",
        "outcome": "informed",
        "note": "",
        "people_count": "",
        "follow_up_in": "",
        "follow_up_on": "",
    }
    data.update(overrides)
    return data


def nothing_saved() -> None:
    assert Contact.objects.count() == 0
    assert ContactTopic.objects.count() == 0


# --- Logging a contact -----------------------------------------------------------------------


def test_officer_logs_a_visit_with_a_quick_follow_up(officer_client, officer, mai):
    page = officer_client.get(NEW, {"household": mai.pk})
    assert page.status_code == 200
    assert_shows(
        page, vi("Log a contact"), "T01-0007 – Lê Thị Mai", capfirst(vi("in 3 days"))
    )
    assert f'id="household-{mai.pk}" autocomplete="off" checked' in (text_of(page))
    response = officer_client.post(
        f"{NEW}?household={mai.pk}",
        form_data(
            household=mai.pk,
            topics=["loans", "health_insurance"],
            outcome="interested",
            note="Hẹn mang giấy tờ vay vốn thứ Hai",
            follow_up_in="3",
        ),
        follow=True,
    )
    contact = Contact.objects.get()
    assert contact.household == mai
    assert contact.made_by == officer
    assert contact.follow_up_on == TODAY + timedelta(days=3)
    assert sorted(contact.topics.values_list("topic", flat=True)) == [
        "health_insurance",
        "loans",
    ]
    assert response.redirect_chain[-1][0] == f"{NEW}?saved={contact.pk}"
    assert_shows(
        response,
        vi(
            "Contact with %(who)s logged; follow up on %(date)s.",
            who="T01-0007 – Lê Thị Mai",
            date="18/06/2025",
        ),
        vi("Log the next contact below."),
        vi("Back to the household"),
    )


def test_a_meeting_with_the_whole_village(official_client, village):
    page = official_client.get(NEW, {"village": village.pk})
    assert 'value="meeting" id="channel-meeting" autocomplete="off" checked' in (
        text_of(page)
    )
    official_client.post(
        f"{NEW}?village={village.pk}",
        form_data(village=village.pk, channel="meeting", people_count="45"),
    )
    contact = Contact.objects.get()
    assert contact.household is None
    assert contact.village == village
    assert contact.people_count == 45


def test_the_follow_up_on_a_date(official_client, mai):
    official_client.post(
        NEW,
        form_data(household=mai.pk, follow_up_in="date", follow_up_on="30/06/2025"),
    )
    assert Contact.objects.get().follow_up_on == date(2025, 6, 30)


def test_the_search_offers_the_officers_households_only(officer_client, mai, hbia):
    page = officer_client.get(NEW, {"q": "thi mai"})
    assert_shows(page, "T01-0007 – Lê Thị Mai")
    page = officer_client.get(NEW, {"q": "H'Bia"})
    assert_not_shows(page, "B01-0003")
    assert_shows(page, vi("No household of your villages matches. Check the spelling."))


def test_missing_choices_are_named_in_vietnamese(officer_client):
    response = officer_client.post(
        NEW, form_data(channel="", topics=[], outcome="", contacted_on="31/02/2025")
    )
    assert response.status_code == 200
    assert_shows(
        response,
        vi("Nothing was saved. Correct the fields marked in red."),
        vi("Choose how you reached them."),
        vi("Tick at least one topic."),
        vi("Choose the outcome."),
    )
    nothing_saved()


def test_service_refusals_land_on_the_form(officer_client, mai):
    response = officer_client.post(NEW, form_data(channel="phone"))
    assert_shows(
        response,
        vi("A visit or a phone call is with a household: choose the household."),
    )
    response = officer_client.post(
        NEW, form_data(household=mai.pk, contacted_on="16/06/2025")
    )
    assert_shows(response, vi("This date is in the future."))
    response = officer_client.post(
        NEW, form_data(household=mai.pk, follow_up_in="date", follow_up_on="")
    )
    assert_shows(response, vi("Give the follow-up date."))
    nothing_saved()


def test_officer_cannot_log_for_another_village(officer_client, hbia, other_village):
    assert officer_client.get(NEW, {"household": hbia.pk}).status_code == 404
    assert officer_client.get(NEW, {"village": other_village.pk}).status_code == 404
    # A household id typed into the form by hand is not found either.
    response = officer_client.post(NEW, form_data(household=hbia.pk))
    assert_shows(response, vi("This household was not found among your villages."))
    response = officer_client.post(
        NEW, form_data(village=other_village.pk, channel="meeting")
    )
    assert response.status_code == 200
    nothing_saved()


# --- The list, a contact, the export ----------------------------------------------------------


def test_the_list_shows_the_officers_villages_only(officer_client, mai, hbia):
    ContactFactory(household=mai, note="Đã hướng dẫn cài VNeID")
    other = ContactFactory(household=hbia)
    page = officer_client.get(LIST)
    assert_shows(page, "T01-0007 · Lê Thị Mai", vi("preferential loans"))
    assert_not_shows(page, "B01-0003")
    assert (
        officer_client.get(
            reverse("contacts:contact_detail", args=[other.pk])
        ).status_code
        == 404
    )
    # A village filter outside the scope is dropped, never widening it.
    page = officer_client.get(LIST, {"village": hbia.village.pk})
    assert_not_shows(page, "B01-0003")


def test_a_contacts_page(official_client, mai):
    contact = ContactFactory(
        household=mai,
        channel="phone",
        note="Hẹn nộp hồ sơ",
        follow_up_on=TODAY - timedelta(days=1),
        contacted_on=TODAY - timedelta(days=5),
        topics=["land", "jobs"],
    )
    page = official_client.get(reverse("contacts:contact_detail", args=[contact.pk]))
    assert_shows(
        page,
        "Hẹn nộp hồ sơ",
        vi("phone call").capitalize(),
        "tel:0912345678",
        vi("overdue"),
        vi("Mark done"),
    )


def rows_of(response) -> list[tuple]:
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_the_export_has_the_filtered_rows(official_client, mai, hbia, village):
    ContactFactory(
        household=mai,
        contacted_on=date(2025, 6, 10),
        note='=HYPERLINK("http://x")',
        topics=["loans", "land"],
        follow_up_on=date(2025, 6, 20),
    )
    ContactFactory(household=hbia, contacted_on=date(2025, 6, 11))
    ContactFactory(
        household=None,
        village=village,
        channel="meeting",
        people_count=30,
        contacted_on=date(2025, 6, 1),
    )
    rows = rows_of(official_client.get(EXPORT, {"village": village.pk}))
    assert rows[0][:4] == (
        vi("Date"),
        vi("Village"),
        vi("Household code"),
        vi("Head of household"),
    )
    assert len(rows) == 3  # the header, the visit and the meeting of Thôn 1
    visit, meeting = rows[1], rows[2]
    assert visit[0] == datetime(2025, 6, 10)
    assert visit[2:4] == ("T01-0007", "Lê Thị Mai")
    assert visit[5] == f"{vi('preferential loans')}, {vi('land')}"
    assert visit[7] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert visit[11] == datetime(2025, 6, 20)
    assert meeting[2] is None and meeting[8] == 30


def test_the_officers_export_leaves_out_other_villages(officer_client, mai, hbia):
    ContactFactory(household=mai)
    ContactFactory(household=hbia)
    rows = rows_of(officer_client.get(EXPORT))
    assert [r[2] for r in rows[1:]] == ["T01-0007"]


# --- Follow-ups -------------------------------------------------------------------------------


def test_follow_ups_overdue_first_with_a_tel_link(officer_client, mai, village):
    later = ContactFactory(household=mai, follow_up_on=date(2025, 6, 20))
    overdue = ContactFactory(
        household=mai,
        note="Mang sổ hộ khẩu",
        contacted_on=date(2025, 6, 1),
        follow_up_on=date(2025, 6, 10),
    )
    page = text_of(officer_client.get(FOLLOW_UPS))
    assert page.index(f'data-follow-up="{overdue.pk}" data-overdue="1"') < page.index(
        f'data-follow-up="{later.pk}"'
    )
    assert 'href="tel:0912345678"' in page
    assert "Mang sổ hộ khẩu" in page


def test_marking_a_follow_up_done_from_the_list(officer_client, officer, mai):
    contact = ContactFactory(
        household=mai, contacted_on=date(2025, 6, 1), follow_up_on=date(2025, 6, 10)
    )
    done = reverse("contacts:follow_up_done", args=[contact.pk])
    response = officer_client.post(
        done, {"note": "Đã nộp hồ sơ", "next": f"{FOLLOW_UPS}?mine=on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{FOLLOW_UPS}?mine=on"
    assert_shows(
        response,
        vi("Follow-up with %(who)s marked done.", who="T01-0007 – Lê Thị Mai"),
        vi("No follow-up is waiting."),
    )
    contact.refresh_from_db()
    assert contact.follow_up_done_by == officer
    assert contact.follow_up_note == "Đã nộp hồ sơ"
    # Pressing "done" again says it is already done, and changes nothing.
    response = officer_client.post(done, {"note": "lần hai"})
    assert response.status_code == 200
    assert vi(
        "This follow-up was already marked done on %(date)s by %(name)s.",
        date="15/06/2025",
        name=officer.get_full_name(),
    ) in text_of(response)
    contact.refresh_from_db()
    assert contact.follow_up_note == "Đã nộp hồ sơ"


def test_a_next_address_elsewhere_is_ignored(officer_client, mai):
    contact = ContactFactory(
        household=mai, contacted_on=date(2025, 6, 1), follow_up_on=date(2025, 6, 10)
    )
    response = officer_client.post(
        reverse("contacts:follow_up_done", args=[contact.pk]),
        {"next": "https://example.com/"},
    )
    assert response.url == FOLLOW_UPS


def test_officer_cannot_close_another_villages_follow_up(officer_client, hbia):
    contact = ContactFactory(
        household=hbia, contacted_on=date(2025, 6, 1), follow_up_on=date(2025, 6, 10)
    )
    done = reverse("contacts:follow_up_done", args=[contact.pk])
    assert officer_client.get(done).status_code == 404
    assert officer_client.post(done, {"note": ""}).status_code == 404
    contact.refresh_from_db()
    assert contact.follow_up_done_at is None


# --- The household page -----------------------------------------------------------------------


def test_the_household_page_shows_contacts_follow_ups_and_applications(
    officer_client, mai
):
    ContactFactory(
        household=mai,
        note="Hẹn quay lại",
        contacted_on=date(2025, 6, 2),
        follow_up_on=date(2025, 6, 12),
    )
    AssistedApplicationFactory(
        household=mai, reference_number="G22.99-250602-0042", status="processing"
    )
    page = officer_client.get(mai.get_absolute_url())
    assert_shows(
        page,
        vi("Outreach"),
        f"{NEW}?household={mai.pk}",
        vi("Open follow-ups"),
        "12/06/2025",
        "Hẹn quay lại",
        vi("health insurance card").capitalize(),
        "G22.99-250602-0042",
        vi("being processed"),
    )


def test_english_pages(official_client, mai):
    ContactFactory(household=mai)
    page = official_client.get(f"/en{LIST}")
    assert_shows(page, "Contacts", "Log a contact", "preferential loans")


# --- Query counts -----------------------------------------------------------------------------


def populate(village, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        household = HouseholdFactory(village=village, code=f"Q{n:04d}")
        ContactFactory(
            household=household,
            topics=["loans", "jobs"],
            follow_up_on=TODAY + timedelta(days=n % 5),
        )


def queries(client, url) -> int:
    client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [LIST, FOLLOW_UPS, f"{LIST}?topic=loans&q=q"])
def test_list_pages_take_the_same_queries_at_two_sizes(
    official_client, village, url, django_assert_max_num_queries
):
    populate(village, 3)
    small = queries(official_client, url)
    populate(village, 30, start=3)
    with django_assert_max_num_queries(small):
        official_client.get(url)
    assert queries(official_client, url) == small <= 6, small
