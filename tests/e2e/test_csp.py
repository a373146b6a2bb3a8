"""The Content-Security-Policy in real Chromium: the pages of a commune administrator, a
village officer and a resident, the Django admin among them, run under the enforced
policy without a single violation, and the dashboard's charts still draw.

A page breaks the policy the moment it holds an inline script or style, a style=""
attribute, an event-handler attribute or a file from another origin; Chromium then
refuses it, fires a ``securitypolicyviolation`` event and logs an error to the console.
The watcher below records both, page by page, on the demo commune at 200 households.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from households.models import Household, Village
from loans.models import Loan
from outreach.models import GroupChannel, Notice, NoticeStatus, VillageGroup
from tests.e2e.test_dashboard_journey import log_in
from tests.e2e.test_registry_journey import vi
from tests.factories.outreach import (
    DeliveryFactory,
    NoticeFactory,
    VillageGroupFactory,
)
from trainings.models import Course

ADMIN, OFFICER = "quantri", "thonbuontieu"  # the demo logins (households.demo)
OFFICER_VILLAGE = "B01"  # Buôn Tiêu, the demo village officer's

# Runs in every page before its own scripts: keeps each violation the page reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "page"}:${event.lineNumber}) ${event.sample || ""}`
  );
}, true);
"""


class PolicyWatch:
    """The violations a tab reported, and the script errors it raised, per page."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self._note(f"script error: {error}"))

    def _note(self, problem: str) -> None:
        self.problems.append(f"{self.page.url}: {problem}")

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self._note(f"console: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        self.check_enforced(response)
        self.collect()

    def check_enforced(self, response) -> None:
        """A page without the policy would show no violation: it must carry it."""
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"{response.url} has no policy"
        assert "content-security-policy-report-only" not in response.headers

    def collect(self) -> None:
        self.page.wait_for_load_state("load")
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self._note(violation)


@pytest.fixture
def watched(page):
    return PolicyWatch(page)


@pytest.fixture
def demo_commune():
    call_command("seed_demo", "--households", "200", stdout=StringIO())
    village = Village.objects.get(code=OFFICER_VILLAGE)
    # A notice waiting for the officer to forward by hand, so the relay page shows one.
    DeliveryFactory(
        notice=NoticeFactory(
            commune=village.commune,
            status=NoticeStatus.DISPATCHED,
            title="Họp buôn tháng 12",
        ),
        group=VillageGroup.objects.filter(
            village=village, channel=GroupChannel.RELAY
        ).first()
        or VillageGroupFactory(
            village=village, channel=GroupChannel.RELAY, external_id=""
        ),
        text="Mời bà con họp buôn\nlúc 7 giờ 30 sáng thứ Hai.",
    )
    return village


def canvases_drawn(page) -> list[bool]:
    """For each chart on the page: did Chart.js paint anything on its canvas?"""
    return page.evaluate(
        """() => [...document.querySelectorAll("[data-chart]:not([hidden]) canvas")]
        .map((canvas) => {
          const { width, height } = canvas;
          if (!width || !height || !Chart.getChart(canvas)) { return false; }
          const pixels = canvas.getContext("2d").getImageData(0, 0, width, height);
          return pixels.data.some((value) => value !== 0);
        })"""
    )


def test_the_watcher_sees_what_the_policy_refuses(watched, live_server):
    """The tests below can fail: an inline style and an inline script are refused and
    reported."""
    page = watched.page
    watched.visit(f"{live_server.url}{reverse('login')}")
    page.evaluate(
        """() => {
          document.body.setAttribute("style", "background: red");
          const script = document.createElement("script");
          script.textContent = "window.inlineRan = true;";
          document.body.append(script);
        }"""
    )
    watched.collect()

    assert page.evaluate("window.inlineRan") is None
    assert any("style-src" in p for p in watched.problems), watched.problems
    assert any("script-src" in p for p in watched.problems), watched.problems


def test_commune_administrator_pages_run_under_the_policy(
    watched, live_server, demo_commune
):
    base, page = live_server.url, watched.page
    log_in(page, base, ADMIN)
    household = Household.objects.filter(village=demo_commune).first()
    loan = Loan.objects.order_by("pk").first()
    course = Course.objects.order_by("pk").first()
    notice = Notice.objects.order_by("pk").first()
    pages = [
        reverse("staff_home"),
        reverse("households:household_list"),
        household.get_absolute_url(),
        reverse("households:household_update", args=[household.pk]),
        reverse("loans:loan_list"),
        reverse("loans:loan_detail", args=[loan.pk]),
        reverse("loans:loan_apply", args=[household.pk]),
        reverse("outreach:notice_detail", args=[notice.pk]),
        reverse("outreach:relay_list"),
        reverse("trainings:calendar"),
        reverse("trainings:course_detail", args=[course.pk]),
        reverse("dashboard:report"),
        reverse("admin:index"),
        reverse("admin:households_village_changelist"),
        reverse("admin:households_village_change", args=[demo_commune.pk]),
        reverse("admin:loans_loan_change", args=[loan.pk]),
    ]
    for path in pages:
        watched.visit(f"{base}{path}")
    watched.visit(f"{base}{reverse('outreach:outbox')}")
    expect(page.locator("#outbox .text-as-written").first).to_be_visible()

    # The notice form and its preview (the text each village will get).
    watched.visit(f"{base}{reverse('outreach:notice_create')}")
    page.locator("#id_title").fill("Họp dân buôn Tiêu")
    page.locator("#id_body").fill("Mời bà con đến nhà văn hoá\nlúc 8 giờ sáng.")
    page.locator(f"input[name='villages'][value='{demo_commune.pk}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Preview"), exact=True).click()
    expect(page.locator("#preview .text-as-written").first).to_be_visible()
    watched.collect()

    # The dashboard: Chart.js from static reads the json_script data and draws.
    watched.visit(f"{base}{reverse('dashboard:home')}")
    page.wait_for_function("() => typeof Chart !== 'undefined'")
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-chart] canvas")]
        .some((canvas) => Chart.getChart(canvas))"""
    )
    drawn = canvases_drawn(page)
    assert len(drawn) >= 4, drawn
    assert all(drawn), drawn
    watched.collect()

    assert not watched.problems, "\n".join(watched.problems)


def test_village_officer_pages_run_under_the_policy(watched, live_server, demo_commune):
    base, page = live_server.url, watched.page
    log_in(page, base, OFFICER)
    household = Household.objects.filter(village=demo_commune).first()
    for path in (
        reverse("staff_home"),
        reverse("households:household_list"),
        household.get_absolute_url(),
        reverse("households:household_update", args=[household.pk]),
        reverse("outreach:relay_list"),
        reverse("outreach:notice_create"),
        reverse("trainings:calendar"),
    ):
        watched.visit(f"{base}{path}")

    # The relay page's script offers to copy the waiting text.
    watched.visit(f"{base}{reverse('outreach:relay_list')}")
    expect(page.locator(".relay-text.text-as-written")).to_have_count(1)
    expect(page.locator(".relay-copy")).to_be_visible()

    assert not watched.problems, "\n".join(watched.problems)


def answer_every_question(watched, base: str) -> None:
    """The eligibility check, each question answered with its first choice."""
    page = watched.page
    watched.visit(f"{base}{reverse('residents:check_start')}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    for _ in range(10):
        watched.collect()
        if "/check/result/" in page.url:
            return
        form = page.locator("main form")
        for fieldset in form.locator("fieldset:has(input[type=radio])").all():
            fieldset.locator("input[type=radio]").first.check()
        for field in form.locator("input[type=number], input[inputmode]").all():
            field.fill("1")
        for select in form.locator("select").all():
            if not select.input_value():
                select.select_option(index=1)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    raise AssertionError(f"the check never reached its result: {page.url}")


def test_resident_pages_run_under_the_policy(watched, live_server, demo_commune):
    base, page = live_server.url, watched.page
    watched.visit(f"{base}{reverse('residents:home')}")
    page.get_by_label(vi("Your village")).select_option(label=demo_commune.name)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Choose")).click()
    watched.collect()
    for path in (
        reverse("residents:program_list"),
        reverse("residents:program_detail", args=["HO_NGHEO"]),
        reverse("residents:calendar"),
        reverse("residents:notice_list"),
    ):
        watched.visit(f"{base}{path}")

    answer_every_question(watched, base)
    expect(
        page.get_by_role("heading", name=vi("qualifies"), exact=False).first
    ).to_be_visible()

    # The lookup, then the household's own page.
    household = Household.objects.filter(village=demo_commune).exclude(phone="").first()
    watched.visit(f"{base}{reverse('residents:lookup')}")
    page.get_by_label(vi("Household code")).fill(household.code)
    page.get_by_label(
        vi("Last 4 digits of the head's phone or national ID number")
    ).fill(household.phone[-4:])
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Look up")).click()
    expect(page.get_by_role("heading", name=vi("My household"))).to_be_visible()
    watched.collect()

    assert not watched.problems, "\n".join(watched.problems)
