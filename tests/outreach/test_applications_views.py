"""The assisted application screens through the test client: the filtered list and its
export, recording (household search or ``?household=``), the application's page with
its status change and history, corrections; each within the user's villages."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from outreach.models import ApplicationStatus, AssistedApplication, PublicService
from tests.factories import HouseholdFactory
from tests.factories.outreach import (
    AssistedApplicationFactory,
    DigitalTeamFactory,
    TeamMemberFactory,
)
from tests.pages import assert_not_shows, assert_shows, text_of, vi

pytestmark = pytest.mark.django_db

S = ApplicationStatus
NOW = datetime(2025, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
LIST = "contacts:application_list"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


@pytest.fixture
def household(village):
    return HouseholdFactory(
        village=village, code="T01-001", head_name="Nguyễn Văn An", phone="0912345678"
    )


@pytest.fixture
def helper(village):
    return TeamMemberFactory(
        team=DigitalTeamFactory(village=village), full_name="Hoàng Thị Mai"
    )


@pytest.fixture
def stranger(other_village):
    """An application of Buôn Tiêu, which the village officer of Thôn 1 may not see."""
    return AssistedApplicationFactory(
        household=HouseholdFactory(village=other_village, head_name="H'Hen Niê"),
        reference_number="B-REF-1",
    )


def detail_url(application, name="contacts:application_detail") -> str:
    return reverse(name, args=[application.pk])


def form_data(**overrides) -> dict:
    data = {
        "service": PublicService.HEALTH_INSURANCE,
        "service_detail": "",
        "filed_on": "14/06/2025",
        "reference_number": "G22.99-250614-0007",
        "helped_by": "",
        "follow_up_on": "20/06/2025",
        "note": "",
    }
    data.update(overrides)
    return data


# --- The list and its export ------------------------------------------------------------


def test_the_list_shows_the_users_applications(officer_client, household, stranger):
    AssistedApplicationFactory(
        household=household, status=S.NEEDS_MORE, follow_up_on=date(2025, 6, 14)
    )
    response = officer_client.get(reverse(LIST))
    assert response.status_code == 200
    assert_shows(
        response,
        "T01-001 · Nguyễn Văn An",
        vi_label(S.NEEDS_MORE),
        "14/06/2025",
        vi_label(PublicService.HEALTH_INSURANCE).capitalize(),
    )
    assert_not_shows(response, "H'Hen Niê", "B-REF-1")
    assert response.context["follow_up_count"] == 1


def test_filters_and_pagination(official_client, household):
    AssistedApplicationFactory.create_batch(
        30, household=household, service=PublicService.VNEID
    )
    AssistedApplicationFactory(household=household, service=PublicService.LAND)
    response = official_client.get(reverse(LIST))
    assert response.context["paginator"].count == 31
    assert len(response.context["applications"]) == 25
    second = official_client.get(reverse(LIST), {"page": 2})
    assert len(second.context["applications"]) == 6
    land = official_client.get(reverse(LIST), {"service": PublicService.LAND})
    assert land.context["paginator"].count == 1
    assert_shows(land, "service=land")


def test_a_filter_outside_the_scope_is_dropped_with_a_word(
    officer_client, household, other_village
):
    AssistedApplicationFactory(household=household)
    response = officer_client.get(reverse(LIST), {"village": other_village.pk})
    assert response.status_code == 200
    assert response.context["paginator"].count == 1
    assert_shows(
        response,
        vi(
            "Some filters could not be read and were left out. Correct the fields "
            "marked in red."
        ),
    )


@pytest.mark.parametrize("count", [3, 20])
def test_the_list_takes_the_same_queries_at_any_size(
    official_client, village, count, django_assert_max_num_queries
):
    for n in range(count):
        AssistedApplicationFactory(
            household=HouseholdFactory(village=village, code=f"Q{n:03d}")
        )
    with django_assert_max_num_queries(8):
        response = official_client.get(reverse(LIST))
    assert len(response.context["applications"]) == count


def test_the_export_has_the_filtered_rows_and_no_formulas(
    officer_client, household, helper, stranger
):
    AssistedApplicationFactory(
        household=household,
        helped_by=helper,
        reference_number="G22-1",
        note='=HYPERLINK("http://x")',
        filed_on=date(2025, 6, 2),
    )
    AssistedApplicationFactory(
        household=household,
        service=PublicService.LAND,
        reference_number="G22-2",
        helped_by=None,
    )
    response = officer_client.get(
        reverse("contacts:application_export"),
        {"service": PublicService.HEALTH_INSURANCE},
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        vi("Filed on"),
        vi("Household code"),
        vi("Head of household"),
        vi("Village"),
        vi("Service"),
        vi("Reference number"),
    )
    assert len(rows) == 2  # the heading and Thôn 1's health insurance application
    row = rows[1]
    assert row[0].date() == date(2025, 6, 2)
    assert row[1:4] == ("T01-001", "Nguyễn Văn An", "Thôn 1")
    assert row[5] == "G22-1"
    assert row[7] == "Hoàng Thị Mai"
    assert row[10] == '\'=HYPERLINK("http://x")'


# --- Recording --------------------------------------------------------------------------


def test_the_household_search_stays_in_the_users_villages(
    officer_client, household, stranger
):
    url = reverse("contacts:application_create")
    response = officer_client.get(url, {"q": "nguyen an"})
    assert_shows(response, "T01-001 · Nguyễn Văn An", f"?household={household.pk}")
    response = officer_client.get(url, {"q": "h'hen"})
    assert_shows(
        response,
        vi(
            "No household of your villages matches. Check the spelling, or search by "
            "the household code."
        ),
    )


def test_a_household_of_another_village_is_a_404(officer_client, other_village):
    other = HouseholdFactory(village=other_village)
    url = reverse("contacts:application_create") + f"?household={other.pk}"
    assert officer_client.get(url).status_code == 404
    assert officer_client.post(url, form_data()).status_code == 404
    assert not AssistedApplication.objects.exists()


def test_an_officer_records_an_application_from_the_household(
    officer_client, officer, household, helper
):
    url = reverse("contacts:application_create") + f"?household={household.pk}"
    page = officer_client.get(url)
    assert_shows(page, "T01-001 · Nguyễn Văn An", "Hoàng Thị Mai")
    response = officer_client.post(url, form_data(helped_by=helper.pk))
    application = AssistedApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(application)
    assert (application.household, application.helped_by, application.recorded_by) == (
        household,
        helper,
        officer,
    )
    assert application.filed_on == date(2025, 6, 14)


def test_refusals_are_shown_in_vietnamese(officer_client, household, other_village):
    outsider = TeamMemberFactory(team=DigitalTeamFactory(village=other_village))
    url = reverse("contacts:application_create") + f"?household={household.pk}"
    response = officer_client.post(
        url, form_data(filed_on="16/06/2025", service=PublicService.OTHER)
    )
    assert_shows(
        response,
        vi("This date is in the future."),
        vi("Say which service it is."),
        vi("Nothing was saved. Correct the fields marked in red."),
    )
    # A helper of another village is not even a choice on this form.
    response = officer_client.post(url, form_data(helped_by=outsider.pk))
    assert response.status_code == 200
    assert "helped_by" in response.context["form"].errors
    AssistedApplicationFactory(household=household, reference_number="G22-DUP")
    response = officer_client.post(url, form_data(reference_number="g22-dup"))
    assert_shows(
        response, vi("An application with this reference number is already recorded.")
    )
    assert AssistedApplication.objects.count() == 1


# --- The application's page -------------------------------------------------------------


def test_another_villages_application_is_a_404_everywhere(officer_client, stranger):
    for name in (
        "contacts:application_detail",
        "contacts:application_status",
        "contacts:application_update",
    ):
        url = detail_url(stranger, name)
        assert officer_client.get(url).status_code == 404, name
        assert officer_client.post(url, {"status": S.PROCESSING}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == S.FILED


def test_status_changes_show_in_the_history(officer_client, household, helper):
    application = AssistedApplicationFactory(household=household, helped_by=helper)
    page = officer_client.get(detail_url(application))
    assert_shows(page, vi("Change the status"), vi_label(S.PROCESSING))
    response = officer_client.post(
        detail_url(application, "contacts:application_status"),
        {"status": S.PROCESSING, "follow_up_on": "25/06/2025", "note": "Đã tiếp nhận"},
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == S.PROCESSING
    assert application.follow_up_on == date(2025, 6, 25)
    assert_shows(
        response,
        vi(
            "Saved: the application is now %(status)s.",
            status=vi_label(S.PROCESSING),
        ),
        "Đã tiếp nhận",
        "25/06/2025",
    )
    history = text_of(response).split('id="history"')[1]
    assert vi_label(S.FILED) in history
    assert vi_label(S.PROCESSING) in history


def test_a_step_off_the_walk_is_refused_in_vietnamese(officer_client, household):
    application = AssistedApplicationFactory(household=household, status=S.NEEDS_MORE)
    response = officer_client.post(
        detail_url(application, "contacts:application_status"), {"status": S.DONE}
    )
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == S.NEEDS_MORE


def test_a_final_application_offers_no_status_change(officer_client, household):
    application = AssistedApplicationFactory(household=household, status=S.REJECTED)
    page = officer_client.get(detail_url(application))
    assert page.context["status_form"] is None
    assert_shows(
        page,
        vi(
            "This application is final (%(status)s); its status cannot change.",
            status=vi_label(S.REJECTED),
        ),
    )
    response = officer_client.post(
        detail_url(application, "contacts:application_status"),
        {"status": S.REJECTED, "follow_up_on": "20/06/2025"},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.follow_up_on is None


def test_a_correction_keeps_the_status(officer_client, household):
    application = AssistedApplicationFactory(
        household=household, status=S.PROCESSING, reference_number=""
    )
    url = detail_url(application, "contacts:application_update")
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url,
        form_data(filed_on="02/06/2025", reference_number="G22-LATE", follow_up_on=""),
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.reference_number, application.status) == (
        "G22-LATE",
        S.PROCESSING,
    )
