"""On a phone, in real Chromium and in Vietnamese: a village officer opens a household,
records the online application a member of the village's digital team helped it file,
and follows it to "result received". The team pages fit the phone too."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from outreach.models import ApplicationStatus, AssistedApplication, PublicService
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, submit, vi
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.outreach import DigitalTeamFactory, TeamMemberFactory


def vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


@pytest.fixture
def buon():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    village = VillageFactory(
        commune=commune,
        code="B05",
        name="Buôn Ea Mar",
        kind="buon",
        is_ethnic_minority=True,
    )
    team = DigitalTeamFactory(village=village, decision_number="218/QĐ-UBND")
    TeamMemberFactory(team=team, full_name="Y Bhin Niê", role="leader")
    TeamMemberFactory(team=team, full_name="H'Mai Êban", is_youth_union=True)
    UserFactory(
        username="buoneamar",
        full_name="Y Kông Mlô",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[village],
    )
    household = HouseholdFactory(village=village, code="B05-017", head_name="H'Lan Niê")
    return village, team, household


def fits_the_phone(page, what: str) -> None:
    content, inner, layout = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth,"
        " document.documentElement.clientWidth]"
    )
    assert content <= layout, f"{what} is {content}px wide on a {layout}px screen"
    assert inner == PHONE_WIDTH, f"{what} was zoomed out to {inner}px"


def choose_status(page, status: ApplicationStatus) -> None:
    page.get_by_label(vi_label(status), exact=True).check()
    submit(page, vi("Save the status"))
    expect(page.locator("#application-status")).to_have_text(vi_label(status))


def test_an_officer_records_an_application_and_follows_it_to_the_result(
    phone_page, live_server, buon
):
    _village, team, household = buon
    page, base = phone_page, live_server.url
    log_in(page, base, "buoneamar")

    # From the household's page: the outreach section offers to record one.
    page.goto(f"{base}/households/{household.pk}/")
    page.get_by_role("link", name=vi("Record an application")).click()
    expect(page.locator("#household")).to_contain_text("B05-017 · H'Lan Niê")
    fits_the_phone(page, "the application form")
    page.get_by_label(vi("service").capitalize()).select_option(
        PublicService.HEALTH_INSURANCE
    )
    page.get_by_label(vi("reference number").capitalize()).fill("g22.99-250614-0007")
    page.get_by_label(vi("helped by").capitalize()).select_option(label="H'Mai Êban")
    today = timezone.localdate()
    page.get_by_label(vi("follow up on").capitalize()).fill(today.strftime("%d/%m/%Y"))
    submit(page, vi("Save"))

    application = AssistedApplication.objects.get()
    assert application.helped_by.full_name == "H'Mai Êban"
    expect(page.get_by_text(vi("The application is recorded."))).to_be_visible()
    expect(page.locator("#application-status")).to_have_text(
        vi_label(ApplicationStatus.FILED)
    )
    expect(page.locator("#application-facts")).to_contain_text("G22.99-250614-0007")
    fits_the_phone(page, "the application's page")

    # The portal took it up, then the result came: two steps of the walk.
    choose_status(page, ApplicationStatus.PROCESSING)
    choose_status(page, ApplicationStatus.DONE)
    expect(page.locator("#status-final")).to_be_visible()
    expect(page.locator("#follow-up-on")).to_have_text("—")
    expect(page.locator("#history > li")).to_have_count(3)
    application.refresh_from_db()
    assert (application.status, application.follow_up_on) == (
        ApplicationStatus.DONE,
        None,
    )

    # The list shows it with its result; the team's pages fit the phone too.
    page.goto(f"{base}/outreach/applications/")
    row = page.locator(f"tr[data-application='{application.pk}']")
    expect(row).to_contain_text(vi_label(ApplicationStatus.DONE))
    fits_the_phone(page, "the applications list")
    for what, path in [
        ("the teams list", "/outreach/teams/"),
        ("the team's page", f"/outreach/teams/{team.pk}/"),
        ("the member form", f"/outreach/teams/{team.pk}/members/new/"),
    ]:
        page.goto(f"{base}{path}")
        fits_the_phone(page, what)
    expect(page.get_by_role("radio", name=vi("team leader"))).to_be_visible()
