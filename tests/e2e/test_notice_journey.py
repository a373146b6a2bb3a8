"""A notice from compose to "sent", in real Chromium, in Vietnamese; and the notice pages
on a phone. The dispatcher and the worker's send run in the test process (the groups use
the console channel), as beat and the worker would."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eakutur.accounts.models import Role
from outreach.models import Delivery, DeliveryStatus, GroupChannel, Notice, NoticeStatus
from outreach.services import delivery_send, notice_dispatch_due
from tests.e2e.test_registry_journey import PHONE_WIDTH, log_in, submit, vi
from tests.factories import CommuneFactory, UserFactory, VillageFactory
from tests.factories.outreach import DeliveryFactory, VillageGroupFactory, groups_for


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """The sends run in the test itself: no task goes to the developer's broker."""
    from outreach import tasks

    monkeypatch.setattr(tasks.send_delivery, "delay", lambda *a, **k: None)


@pytest.fixture
def villages():
    commune = CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")
    thon = VillageFactory(commune=commune, code="T02", name="Thôn 2")
    buon = VillageFactory(
        commune=commune,
        code="B05",
        name="Buôn Ea Mar",
        kind="buon",
        is_ethnic_minority=True,
    )
    groups_for([thon, buon], channel=GroupChannel.CONSOLE)
    UserFactory(username="canbo.tb", role=Role.COMMUNE_OFFICIAL, commune=commune)
    return thon, buon


def test_official_composes_schedules_and_sees_it_sent(page, live_server, villages):
    thon, buon = villages
    base = live_server.url
    log_in(page, base, "canbo.tb")
    page.goto(f"{base}/notices/")
    page.get_by_role("link", name=vi("New notice")).first.click()
    page.locator("#id_title").fill("Lịch tiêm chủng tháng 6")
    page.locator("#id_body").fill("Mời các gia đình đưa trẻ đến trạm y tế.")
    for village in (thon, buon):
        page.locator(f"input[name='villages'][value='{village.pk}']").check()
    submit(page, vi("Preview"))
    preview = page.locator("#preview")
    expect(preview.get_by_text("Buôn Ea Mar")).to_be_visible()
    expect(preview.get_by_text("Mời các gia đình").first).to_be_visible()
    submit(page, vi("Save and schedule"))
    notice = Notice.objects.get()
    assert notice.status == NoticeStatus.SCHEDULED
    expect(page).to_have_url(f"{base}/notices/{notice.pk}/")

    # Beat finds it due; the worker sends each delivery through the console channel.
    assert notice_dispatch_due(now=notice.scheduled_at + timedelta(seconds=30)) == 1
    for pk in Delivery.objects.filter(notice=notice).values_list("pk", flat=True):
        assert delivery_send(delivery_id=pk) == "sent"

    page.reload()
    expect(page.locator("#notice-status")).to_have_text(vi("finished"))
    expect(page.locator("[data-count='sent']")).to_have_text("2")
    expect(page.locator(".deliveries .badge", has_text=vi("sent"))).to_have_count(2)
    page.get_by_role("link", name=vi("Outbox")).click()
    expect(page.locator("#outbox article")).to_have_count(2)


def test_notice_pages_fit_a_phone(phone_page, live_server, villages):
    thon, buon = villages
    notice = Notice.objects.create(
        commune=thon.commune,
        title="Thông báo về việc tổ chức họp dân bàn kế hoạch chuyển đổi cây trồng",
        body="Mời bà con " * 60,
        status=NoticeStatus.DONE,
        scheduled_at=timezone.now(),
        approved_by=UserFactory(commune=thon.commune),
        approved_at=timezone.now(),
    )
    DeliveryFactory(
        notice=notice,
        group=VillageGroupFactory(village=buon, external_id="0912345678,0987654321"),
        status=DeliveryStatus.FAILED,
        error="Zalo -230: Quota exhausted for this official account " * 3,
        failed_at=timezone.now(),
        attempts=8,
    )
    page, base = phone_page, live_server.url
    log_in(page, base, "canbo.tb")
    for what, path in [
        ("the notice list", "/notices/"),
        ("the compose form", "/notices/new/"),
        ("a notice", f"/notices/{notice.pk}/"),
        ("the resend page", f"/notices/{notice.pk}/resend/"),
        ("the outbox", "/notices/outbox/"),
        ("the groups", "/notices/groups/"),
    ]:
        page.goto(f"{base}{path}")
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
    page.goto(f"{base}/notices/{notice.pk}/")
    # The official reads what to do; the provider's words open under "Technical details".
    expect(page.locator(".delivery-error").first).to_contain_text("quản trị viên")
    page.locator(".delivery-error summary").first.click()
    expect(page.get_by_text("Zalo -230").first).to_be_visible()
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the open technical details are {width}px wide"
