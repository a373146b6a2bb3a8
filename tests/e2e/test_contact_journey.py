"""A village officer on a phone, in real Chromium and in Vietnamese: logs a door-to-door
visit with a follow-up in a few taps, finds it in the follow-up list and marks it done;
and the outreach pages fit a phone's width."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from outreach.models import Contact
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, vi
from tests.factories import (
    CommuneFactory,
    HouseholdFactory,
    UserFactory,
    VillageFactory,
)
from tests.factories.outreach import ContactFactory

NOTE = "Hẹn mang giấy tờ vay vốn lên xã thứ Hai"


@pytest.fixture
def buon():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    buon = VillageFactory(
        commune=commune,
        code="B05",
        name="Buôn Ea Mar",
        kind="buon",
        is_ethnic_minority=True,
    )
    other = VillageFactory(commune=commune, code="T02", name="Thôn 2")
    UserFactory(
        username="thon.eamar",
        full_name="Y Bhin Niê",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[buon],
    )
    HouseholdFactory(
        village=buon,
        code="B05-0012",
        head_name="H'Hoa Niê",
        phone="0912345678",
        current_status="poor",
    )
    HouseholdFactory(village=buon, code="B05-0013", head_name="Y Duôn Mlô")
    HouseholdFactory(village=other, code="T02-0001", head_name="H'Hoa Êban")
    return buon


def tap_label(scope, text: str) -> None:
    """Tap one of the form's big buttons (a label over a hidden radio or checkbox)."""
    scope.locator("label.btn", has_text=text).first.tap()


def assert_fits(page, what: str) -> None:
    content, inner, layout = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth,"
        " document.documentElement.clientWidth]"
    )
    assert content <= layout, f"{what} is {content}px wide on a {layout}px screen"
    assert inner == PHONE_WIDTH, f"{what} was zoomed out to {inner}px"
    hidden = page.evaluate(
        "Array.from(document.querySelectorAll('.table-responsive'))"
        ".map(e => e.scrollWidth - e.clientWidth).filter(d => d > 0)"
    )
    assert not hidden, f"a table on {what} scrolls sideways by {hidden}px"


def test_officer_logs_a_visit_and_closes_its_follow_up(phone_page, live_server, buon):
    page, base = phone_page, live_server.url
    log_in(page, base, "thon.eamar")

    # Outreach is in the menu behind the toggler.
    nav = page.get_by_role("navigation").first
    nav.get_by_role("button", name=vi("Menu")).tap()
    nav.get_by_role("link", name=vi("Outreach"), exact=True).tap()
    expect(page).to_have_url(f"{base}/outreach/")
    page.get_by_role("link", name=vi("Log a contact")).first.tap()
    expect(page).to_have_url(f"{base}/outreach/new/")
    assert_fits(page, "the log form")

    # Find the household: its neighbour in another village is not offered.
    page.get_by_label(vi("Find the household")).fill("hoa")
    page.get_by_role("button", name=vi("Search"), exact=True).tap()
    households = page.locator("#households")
    expect(households.locator("label.btn", has_text="B05-0012")).to_be_visible()
    expect(households.get_by_text("T02-0001")).to_have_count(0)

    # The taps: household, channel, two topics, outcome, a note, follow-up in 3 days.
    tap_label(households, "B05-0012 – H'Hoa Niê")
    tap_label(page, capfirst(vi("door to door")))
    tap_label(page, capfirst(vi("preferential loans")))
    tap_label(page, capfirst(vi("health insurance")))
    tap_label(page, capfirst(vi("interested, needs help")))
    page.get_by_label(vi("Note: what was said or promised")).fill(NOTE)
    tap_label(page, capfirst(vi("in 3 days")))
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Save the contact")).tap()

    follow_up_on = timezone.localdate() + timedelta(days=3)
    expect(page.get_by_role("status").first).to_have_text(
        vi(
            "Contact with %(who)s logged; follow up on %(date)s.",
            who="B05-0012 – H'Hoa Niê",
            date=f"{follow_up_on:%d/%m/%Y}",
        )
    )
    expect(page.locator("#saved")).to_be_visible()  # and a blank form for the next one
    contact = Contact.objects.get()
    assert contact.channel == "door_to_door"
    assert sorted(contact.topics.values_list("topic", flat=True)) == [
        "health_insurance",
        "loans",
    ]

    # The follow-up list: the household, what was promised, the date, a call button.
    page.get_by_role("link", name=vi("Follow-ups"), exact=True).first.tap()
    expect(page).to_have_url(f"{base}/outreach/follow-ups/")
    card = page.locator(f"[data-follow-up='{contact.pk}']")
    expect(card).to_contain_text("B05-0012 – H'Hoa Niê")
    expect(card).to_contain_text(NOTE)
    expect(card).to_contain_text(f"{follow_up_on:%d/%m/%Y}")
    expect(card.get_by_role("link", name=f"{vi('Call')} 0912345678")).to_have_attribute(
        "href", "tel:0912345678"
    )
    assert_fits(page, "the follow-up list")

    # Done, with what came of it.
    card.get_by_placeholder(vi("What came of it (optional)")).fill("Đã nộp hồ sơ vay")
    with page.expect_navigation():
        card.get_by_role("button", name=vi("Done")).tap()
    expect(page.get_by_role("status").first).to_have_text(
        vi("Follow-up with %(who)s marked done.", who="B05-0012 – H'Hoa Niê")
    )
    expect(page.locator("#no-follow-ups")).to_be_visible()
    contact.refresh_from_db()
    assert contact.follow_up_done_at is not None
    assert contact.follow_up_note == "Đã nộp hồ sơ vay"


def test_outreach_pages_fit_a_phone(phone_page, live_server, buon):
    household = buon.households.get(code="B05-0012")
    ContactFactory(
        household=household,
        note="Ghi chú rất dài " * 20,
        follow_up_on=timezone.localdate(),
        topics=["loans", "land", "trainings", "vocational", "jobs"],
    )
    ContactFactory(household=None, village=buon, channel="meeting", people_count=60)
    page, base = phone_page, live_server.url
    log_in(page, base, "thon.eamar")
    for what, path in [
        ("the contact list", "/outreach/"),
        ("the coverage", "/outreach/coverage/"),
        ("the to-do list", "/outreach/coverage/households/"),
        ("the follow-ups", "/outreach/follow-ups/"),
        ("the household page", f"/households/{household.pk}/"),
    ]:
        page.goto(f"{base}{path}")
        assert_fits(page, what)
    expect(page.locator("#outreach")).to_contain_text(vi("Open follow-ups"))
