"""A relay in real Chromium, in Vietnamese: a notice goes to a village whose Zalo group
the Official Account cannot reach. The village officer, on a phone, opens "Notices to
forward", copies the text, taps "Forwarded"; the commune official sees it sent."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from outreach.models import DeliveryStatus, GroupChannel, NoticeStatus
from outreach.services import notice_dispatch_due
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, vi
from tests.factories import CommuneFactory, UserFactory, VillageFactory
from tests.factories.outreach import NoticeFactory, VillageGroupFactory


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Nothing goes to the developer's broker (a relay sends no task anyway)."""
    from outreach import tasks

    monkeypatch.setattr(tasks.send_delivery, "delay", lambda *a, **k: None)


@pytest.fixture
def relay_notice():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    buon = VillageFactory(
        commune=commune,
        code="B07",
        name="Buôn Ea Bông",
        kind="buon",
        is_ethnic_minority=True,
    )
    VillageGroupFactory(
        village=buon,
        channel=GroupChannel.RELAY,
        external_id="",
        name="Nhóm Zalo bà con buôn Ea Bông",
    )
    official = UserFactory(
        username="canbo.xa", role=Role.COMMUNE_OFFICIAL, commune=commune
    )
    UserFactory(
        username="buon.eabong",
        full_name="H'Hen Niê",
        role=Role.VILLAGE_OFFICER,
        commune=commune,
        villages=[buon],
    )
    notice = NoticeFactory(
        commune=commune,
        title="Lịch tiêm chủng tháng 6",
        body="Mời các gia đình đưa trẻ đến trạm y tế\nlúc 7 giờ 30 sáng thứ Hai.",
        author=official,
        approved_by=official,
        scheduled_at=timezone.now(),
    )
    assert notice_dispatch_due() == 1
    return notice


def test_the_officer_forwards_on_a_phone_and_the_official_sees_it_sent(
    phone_page, page, live_server, relay_notice
):
    base = live_server.url
    relay = relay_notice.deliveries.get()
    assert relay.status == DeliveryStatus.QUEUED

    # The village officer, on a phone: the staff home says a notice waits for them.
    phone = phone_page
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    log_in(phone, base, "buon.eabong")
    phone.locator("#relays-waiting").click()
    expect(phone).to_have_url(f"{base}/notices/relay/")
    card = phone.locator(f"article[data-relay='{relay.pk}']")
    expect(card.get_by_text("Nhóm Zalo bà con buôn Ea Bông")).to_be_visible()
    expect(card.locator(".relay-text")).to_have_text(relay.text)

    copy = card.locator("button.relay-copy")
    expect(copy).to_have_text(vi("Copy text"))
    copy.click()
    expect(copy).to_have_text(vi("Copied"))
    assert phone.evaluate("navigator.clipboard.readText()") == relay.text

    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the relay page is {width}px wide on a phone"
    forwarded = card.get_by_role("button", name=vi("Forwarded"))
    box = forwarded.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE_WIDTH * 0.75
    forwarded.tap()
    expect(phone.locator("#relay-none")).to_be_visible()
    expect(phone.locator("#relay-forwarded")).to_contain_text("Lịch tiêm chủng tháng 6")

    relay.refresh_from_db()
    relay_notice.refresh_from_db()
    assert relay.status == DeliveryStatus.SENT
    assert relay.confirmed_by.username == "buon.eabong"
    assert relay_notice.status == NoticeStatus.DONE

    # The commune official, at the office: the notice is finished, the relay sent.
    log_in(page, base, "canbo.xa")
    page.goto(f"{base}/notices/{relay_notice.pk}/")
    expect(page.locator("#notice-status")).to_have_text(vi("finished"))
    expect(page.locator("[data-count='sent']")).to_have_text("1")
    row = page.locator(f"tr[data-delivery='{relay.pk}']")
    expect(row.locator(".relay-status")).to_contain_text(vi("forwarded"))
    expect(row.locator(".relay-confirmed")).to_contain_text("H'Hen Niê")
