"""Residents on a phone, in real Chromium and in Vietnamese: the eligibility check with
its reasons; the household lookup, then a request that lands in the village officer's
follow-up list; 50 wrong lookups from one address throttled; and every public page's
weight as the browser transfers it with a cold cache."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from eakutur.residents.models import AttemptOutcome, PublicAttempt
from outreach.models import Contact, ContactChannel
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, vi
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    PovertyReviewFactory,
    UserFactory,
    VillageFactory,
    ede,
    indicators,
)
from tests.factories.loans import disbursed_loan
from tests.factories.outreach import DigitalTeamFactory, TeamMemberFactory
from tests.residents.page_set import LIMIT, busy_commune

YEAR = timezone.localdate().year
CODE, PHONE = "BEM-0042", "0905123456"


@pytest.fixture
def buon():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    buon = VillageFactory(
        commune=commune, code="B05", name="Buôn Ea Mar", kind="buon",
        is_ethnic_minority=True,
    )  # fmt: skip
    VillageFactory(commune=commune, code="T02", name="Thôn 2")
    team = DigitalTeamFactory(village=buon)
    TeamMemberFactory(
        team=team, full_name="Y Bhin Niê", phone="0987000111", role="leader"
    )
    UserFactory(
        username="thon.eamar", full_name="Y Bhin Niê", role=Role.VILLAGE_OFFICER,
        commune=commune, villages=[buon],
    )  # fmt: skip
    return buon


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways ({width}px)"


def test_resident_checks_eligibility_on_a_phone_and_reads_the_reasons(
    phone_page, live_server, buon
):
    page = phone_page
    page.goto(f"{live_server.url}/")
    page.get_by_label(vi("Your village")).select_option(label="Buôn Ea Mar")
    page.get_by_role("button", name=vi("Choose")).click()
    expect(page.get_by_text("Buôn Ea Mar").first).to_be_visible()
    page.get_by_role("link", name=vi("Check policies")).click()
    page.get_by_role("button", name=vi("Start")).click()

    # One question per screen; the village is the one chosen on the home page.
    expect(
        page.get_by_label(vi("Which village or hamlet do you live in?"))
    ).to_have_value(str(buon.pk))
    no_sideways_scroll(page)
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("Poor household"), exact=True).check()
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("Yes"), exact=True).check()
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("How many people live in your household?")).fill("5")
    page.get_by_label(
        vi("How many study at a vocational school, college or university?")
    ).fill("1")
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("Yes"), exact=True).check()
    page.get_by_label(vi("Clean water")).check()
    page.get_by_role("button", name=vi("See the result")).click()

    # The verdicts with the rules' own reasons, in Vietnamese.
    expect(
        page.get_by_role("heading", name=vi("qualifies"), exact=False).first
    ).to_be_visible()
    expect(
        page.get_by_text(
            vi(
                "Poor household in the %(year)s review → qualifies for the poor "
                "household loan.",
                year=YEAR,
            )
        )
    ).to_be_visible()
    expect(
        page.get_by_text(vi("No safe water source: the loan can build one."))
    ).to_be_visible()
    expect(page.get_by_text("Y Bhin Niê")).to_be_visible()
    expect(page.get_by_role("link", name="0987000111")).to_be_visible()
    no_sideways_scroll(page)
    assert "Ea%20Mar" not in page.url and "poor" not in page.url


def test_resident_looks_up_the_household_and_the_request_reaches_the_officer(
    phone_page, page, live_server, buon
):
    household = HouseholdFactory(
        village=buon, commune=buon.commune, code=CODE, phone=PHONE,
        ethnic_group=ede(), head_name="H'Hen Niê",
    )  # fmt: skip
    PovertyReviewFactory(
        household=household, year=YEAR, status="poor",
        deprivations=indicators("latrine", "water_source", "housing_quality"),
    )  # fmt: skip
    disbursed_loan(household=household, amount=30_000_000)

    resident = phone_page
    resident.goto(f"{live_server.url}/my-household/")
    resident.get_by_label(vi("Household code")).fill("bem-0042")
    resident.get_by_label(
        vi("Last 4 digits of the head's phone or national ID number")
    ).fill("3456")
    resident.get_by_role("button", name=vi("Look up")).click()

    expect(resident.get_by_role("heading", name=vi("My household"))).to_be_visible()
    loans = resident.get_by_role("region", name=vi("Loans"))
    expect(loans.get_by_text("30.000.000").first).to_be_visible()
    # That household's facts and nothing else: no names, no phone, no code in the URL.
    body = resident.content()
    assert "H'Hen" not in body and PHONE not in body
    assert CODE.lower() not in resident.url.lower()
    no_sideways_scroll(resident)

    resident.goto(f"{live_server.url}/request/?topic=loans")
    resident.get_by_label(vi("Your name")).fill("H'Hen Niê")
    resident.get_by_label(vi("Your phone number")).fill("0905 123 456")
    resident.get_by_label(vi("A short note (optional)")).fill("Muốn vay thêm làm giếng")
    resident.get_by_label(
        vi("I agree that the village officer may call me about this")
    ).check()
    resident.get_by_role("button", name=vi("Send my request")).click()
    expect(
        resident.get_by_role("heading", name=vi("Your request was sent"))
    ).to_be_visible()

    request = Contact.objects.get(channel=ContactChannel.RESIDENT_REQUEST)
    assert request.household == household
    assert request.follow_up_on == timezone.localdate()

    officer = page
    log_in(officer, live_server.url, "thon.eamar")
    officer.goto(f"{live_server.url}/outreach/follow-ups/")
    row = officer.get_by_text("Muốn vay thêm làm giếng")
    expect(row).to_be_visible()
    expect(officer.get_by_text("H'Hen Niê").first).to_be_visible()
    expect(officer.locator('a[href="tel:0905123456"]').first).to_be_visible()


def test_fifty_wrong_lookups_from_one_address_are_throttled(
    phone_page, live_server, buon
):
    HouseholdFactory(village=buon, commune=buon.commune, code=CODE, phone=PHONE)
    page = phone_page
    page.goto(f"{live_server.url}/my-household/")
    statuses = []
    for n in range(50):
        page.get_by_label(vi("Household code")).fill(CODE)
        page.get_by_label(
            vi("Last 4 digits of the head's phone or national ID number")
        ).fill(f"{n:04d}")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=vi("Look up")).click()
        statuses.append(navigation.value.status)
        if navigation.value.status == 429:
            expect(
                page.get_by_role("heading", name=vi("Too many tries"))
            ).to_be_visible()
            page.goto(f"{live_server.url}/my-household/")
    assert statuses.count(200) <= 5, "at most 5 failures per code are checked"
    assert statuses.count(429) >= 45
    # Even the right digits are refused now, and every attempt is in the log.
    page.get_by_label(vi("Household code")).fill(CODE)
    page.get_by_label(
        vi("Last 4 digits of the head's phone or national ID number")
    ).fill("3456")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=vi("Look up")).click()
    assert navigation.value.status == 429
    assert PublicAttempt.objects.count() == 51
    assert PublicAttempt.objects.filter(outcome=AttemptOutcome.FOUND).count() == 0


def test_every_public_page_transfers_under_150_kb_with_a_cold_cache(
    browser, live_server
):
    _commune, village, _household = busy_commune()
    pages = [
        "/", "/programs/", "/programs/HO_NGHEO/", "/check/", "/my-household/",
        f"/calendar/?village={village.pk}", f"/news/?village={village.pk}",
        "/request/?topic=trainings", "/village/",
    ]  # fmt: skip
    weights = {}
    for path in pages:
        # A new context per page: nothing cached, as for a first visit.
        context = browser.new_context(
            locale="vi-VN", viewport={"width": 390, "height": 844}
        )
        page = context.new_page()
        page.goto(f"{live_server.url}{path}", wait_until="load")
        weights[path] = page.evaluate(
            """() => performance.getEntries()
                .filter(e => 'transferSize' in e)
                .reduce((sum, e) => sum + (e.transferSize || e.encodedBodySize || 0), 0)"""
        )
        context.close()
    for path, weight in sorted(weights.items(), key=lambda kv: -kv[1]):
        print(f"{weight / 1024:7.1f} KB transferred  {path}")
    assert all(weight > 0 for weight in weights.values()), weights
    assert {p: w for p, w in weights.items() if w >= LIMIT} == {}
