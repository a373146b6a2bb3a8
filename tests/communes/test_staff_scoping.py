"""The officials of one commune see nothing of another on the same deployment: not in
a list, an export, the dashboard or the Django admin. (That another commune's object
answers 404 by its URL is tests/security's.)"""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import HouseholdFactory
from tests.factories.loans import disbursed_loan
from tests.factories.outreach import ContactFactory
from tests.factories.trainings import SessionFactory, in_days
from tests.pages import text_of

from .conftest import MARK_B

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Every staff list and export, with whether Ea Ktur's own records show on it (so that
# "nothing of Ea Kmát" is not true merely of an empty page).
STAFF_PAGES = [
    ("households:household_list", True),
    ("households:household_export", True),
    ("households:village_list", True),
    ("loans:loan_list", True),
    ("loans:loan_export", True),
    ("loans:group_list", True),
    ("loans:program_list", False),
    ("loans:overdue_list", False),
    ("loans:overdue_export", False),
    ("loans:period_report", False),
    ("loans:period_report_export", False),
    ("contacts:contact_list", True),
    ("contacts:contact_export", True),
    ("contacts:follow_up_list", False),
    ("contacts:coverage", True),
    ("contacts:coverage_export", True),
    ("contacts:coverage_households", False),
    ("contacts:team_list", True),
    ("contacts:application_list", True),
    ("contacts:application_export", True),
    ("outreach:notice_list", True),
    ("outreach:outbox", False),
    ("outreach:group_list", True),
    ("outreach:relay_list", False),
    ("trainings:session_list", True),
    ("trainings:session_export", True),
    ("trainings:calendar", True),
    ("trainings:course_list", True),
    ("trainings:course_export", True),
    ("trainings:walk_in_list", False),
    ("dashboard:home", True),
    ("dashboard:report", True),
    ("dashboard:report_xlsx", True),
    ("staff_home", False),
]

ADMIN_CHANGELISTS = [
    "accounts/user",
    "households/commune",
    "households/village",
    "households/household",
    "households/member",
    "households/povertyreview",
    "loans/savingsgroup",
    "loans/loan",
    "loans/repayment",
    "outreach/villagegroup",
    "outreach/notice",
    "outreach/delivery",
    "outreach/digitalteam",
    "outreach/assistedapplication",
    "trainings/course",
    "trainings/session",
    "trainings/enrolment",
    "audit/auditentry",
    "residents/publicattempt",
]


def shown(response) -> str:
    """What the user reads: the page's text, or every cell of a spreadsheet."""
    if response["Content-Type"].startswith(XLSX):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return text_of(response)


@pytest.mark.parametrize(("name", "shows_own"), STAFF_PAGES)
@pytest.mark.parametrize("role", ["official", "admin"])
def test_staff_lists_and_exports_show_nothing_of_the_other_commune(
    signed_in, two_communes, name, shows_own, role
):
    ktur, _kmat = two_communes
    response = signed_in(getattr(ktur, role)).get(reverse(name))

    assert response.status_code == 200
    text = shown(response)
    assert MARK_B not in text
    assert "EAKMAT" not in text
    if shows_own:
        assert "Ktur" in text


def _dashboard_figures(client) -> str:
    """The report page's text without what changes from one request to the next."""
    text = text_of(client.get(reverse("dashboard:report")))
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def test_the_other_communes_growth_changes_no_figure_of_the_dashboard(
    signed_in, two_communes
):
    ktur, kmat = two_communes
    client = signed_in(ktur.official)
    before = _dashboard_figures(client)

    for n in range(3):
        household = HouseholdFactory(village=kmat.village, code=f"EK-10{n}")
        disbursed_loan(household=household, amount=40_000_000)
        ContactFactory(household=household)
    SessionFactory(course=kmat.course, village=kmat.village, starts_at=in_days(-2))

    assert _dashboard_figures(client) == before


@pytest.mark.parametrize("changelist", ADMIN_CHANGELISTS)
def test_admin_changelists_show_nothing_of_the_other_commune(
    signed_in, two_communes, changelist
):
    ktur, _kmat = two_communes
    response = signed_in(ktur.admin).get(f"/admin/{changelist}/")

    assert response.status_code == 200
    page = text_of(response)
    assert MARK_B not in page
    assert "canbo-eakmat" not in page and "quantri-eakmat" not in page
