"""The production smoke: what officials, the administrator and residents do on the first
day, in real Chromium, against gunicorn + a Celery worker + beat on PostgreSQL and Redis
with production settings and the demo commune (``conftest.py``).

Each journey reads the demo data through the stack's facts and leaves the data usable
for the others: they run in any order.
"""

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from households.demo import DEMO_PASSWORD
from tests.e2e.test_registry_journey import submit, vi
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH
from tests.prodstack import ZALO_GROUP_ID

pytestmark = pytest.mark.e2e

COMMUNE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
# Beat looks for due notices every 60 s; the worker then sends at once.
DELIVERY_DEADLINE = 150.0
# WhiteNoise's header for a file whose name carries its hash (ten years, immutable).
FOREVER = "max-age=315360000"


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(vi("Username")).fill(username)
    page.get_by_label(vi("Password"), exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Log in")).click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def choose(page, name: str, value: str) -> None:
    """Tick a radio or checkbox by its value, through its label (the portal's big
    buttons hide the input itself)."""
    box = page.locator(f"input[name='{name}'][value='{value}']")
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def village(facts: dict, code: str) -> dict:
    return next(v for v in facts["villages"] if v["code"] == code)


def test_plain_http_is_sent_to_https(stack):
    """Without nginx's X-Forwarded-Proto the request came over plain HTTP: production
    redirects it (and /healthz, for the balancer, answers as it is)."""
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{stack.url}/programs/", timeout=10)
    assert answer.value.code == 301
    assert answer.value.headers["Location"].startswith("https://127.0.0.1:")
    assert stack.health()["status"] == "ok"


def test_static_files_are_compressed_and_cached_for_ever(page, browser_errors):
    static = []
    page.on(
        "response",
        lambda response: (
            static.append(response) if "/static/" in response.url else None
        ),
    )
    for path in ("/", "/accounts/login/"):  # the residents' pages, the staff's
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")

    kinds = {response.url.rsplit(".", 1)[-1] for response in static}
    assert {"css", "js"} <= kinds, [r.url for r in static]
    for response in static:
        headers = response.all_headers()
        assert response.status == 200, response.url
        # The manifest's hashed names, so a new release is a new URL.
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", response.url), response.url
        assert FOREVER in headers.get("cache-control", ""), (response.url, headers)
        if response.url.endswith((".css", ".js")):
            assert headers.get("content-encoding") in ("gzip", "br"), response.url
    # The styles applied: Bootstrap's container is centred, not the browser's default.
    margin = page.locator("main").evaluate("m => getComputedStyle(m).marginLeft")
    assert margin != "0px"
    assert browser_errors == []


def test_official_finds_a_household_and_logs_a_contact(page, facts):
    home = facts["households"][len(facts["households"]) // 2]
    label = f"{home['code']} – {home['head_name']}"
    sign_in(page, "canbo")

    page.get_by_role("navigation").get_by_role(
        "link", name=vi("Households"), exact=True
    ).first.click()
    search = page.locator("form[role=search]")
    search.locator("#id_q").fill(home["code"].lower())
    with page.expect_navigation():
        search.get_by_role("button", name=vi("Search")).click()
    results = page.locator("table tbody")
    expect(results.get_by_role("row")).to_have_count(1)
    results.get_by_role("link", name=home["head_name"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(home["head_name"])

    page.get_by_role("link", name=vi("Log a contact")).first.click()
    expect(page.locator("#households")).to_contain_text(home["code"])
    choose(page, "channel", "phone")
    choose(page, "topics", "loans")
    choose(page, "outcome", "interested")
    page.get_by_label(vi("Note: what was said or promised")).fill(
        "Hẹn mang giấy tờ vay vốn lên xã thứ Hai (kiểm thử sản xuất)"
    )
    submit(page, vi("Save the contact"))
    expect(page.get_by_role("status").first).to_have_text(
        vi("Contact with %(who)s logged.", who=label)
    )


def test_admin_sends_a_notice_that_reaches_the_village_zalo_group_once(
    page, stack, facts
):
    thon = village(facts, "T02")  # a thôn without a relay group: everything is sent
    group_name = "Nhóm Zalo thôn 2 (kiểm thử)"
    title = f"Lịch họp dân {time.monotonic_ns()}"
    sign_in(page, "quantri")

    # The village's Zalo group, with the id the fake Zalo knows.
    page.goto("/notices/groups/new/")
    page.locator("#id_village").select_option(str(thon["pk"]))
    page.locator("#id_name").fill(group_name)
    choose(page, "channel", "zalo")
    page.locator("#id_external_id").fill(ZALO_GROUP_ID)
    submit(page, vi("Save"))

    # A notice to that village, due now: beat finds it, the worker sends it.
    page.goto("/notices/new/")
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("Mời bà con dự họp tại nhà văn hoá lúc 19 giờ.")
    page.locator(f"input[name='villages'][value='{thon['pk']}']").check()
    now = datetime.now(COMMUNE_TIME)
    page.locator("#id_send_on").fill(f"{now:%d/%m/%Y}")
    page.locator("#id_send_time").fill(f"{now:%H:%M}")
    submit(page, vi("Preview"))
    submit(page, vi("Save and schedule"))
    expect(page).to_have_url(re.compile(r"/notices/\d+/$"))

    zalo_row = page.locator(".deliveries tr", has_text=group_name)
    deadline = time.monotonic() + DELIVERY_DEADLINE
    while page.locator("#notice-status").inner_text() != vi("finished"):
        assert time.monotonic() < deadline, (
            f"not delivered within {DELIVERY_DEADLINE:g} s: "
            f"{page.locator('.deliveries').inner_text()}"
        )
        time.sleep(3)
        page.reload()
    expect(zalo_row.locator(".badge")).to_have_text(vi("sent"))

    # Zalo was called once for this notice, and the group shows it.
    calls = [
        call
        for call in stack.fake_zalo.calls(GROUP_MESSAGE_PATH)
        if title in call.json()["message"]["text"]
    ]
    assert len(calls) == 1, calls
    assert calls[0].json()["recipient"]["group_id"] == ZALO_GROUP_ID
    assert stack.fake_zalo.messages_to(ZALO_GROUP_ID)

    # The village's console group got it too: the outbox shows it sent.
    page.get_by_role("link", name=vi("Outbox")).click()
    article = page.locator("#outbox article", has_text=title)
    expect(article).to_have_count(1)
    expect(article.locator(".badge")).to_have_text(vi("sent"))


def test_resident_checks_eligibility_and_looks_up_the_household_on_a_phone(
    phone_page, facts
):
    page = phone_page
    home = facts["households"][0]
    thon = village(facts, "B01")
    page.goto("/")
    page.get_by_label(vi("Your village")).select_option(label=thon["name"])
    page.get_by_role("button", name=vi("Choose")).click()
    page.get_by_role("link", name=vi("Check policies")).click()
    page.get_by_role("button", name=vi("Start")).click()

    expect(
        page.get_by_label(vi("Which village or hamlet do you live in?"))
    ).to_have_value(str(thon["pk"]))
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("Poor household"), exact=True).check()
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("Yes"), exact=True).check()
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("How many people live in your household?")).fill("5")
    page.get_by_role("button", name=vi("Next question")).click()
    page.get_by_label(vi("Yes"), exact=True).check()
    page.get_by_label(vi("Clean water")).check()
    page.get_by_role("button", name=vi("See the result")).click()
    expect(
        page.get_by_role("heading", name=vi("qualifies"), exact=False).first
    ).to_be_visible()
    expect(
        page.get_by_text(vi("No safe water source: the loan can build one."))
    ).to_be_visible()

    # Wrong digits: the form again, nothing shown; the right ones: the household's page.
    page.goto("/my-household/")
    code_box = page.get_by_label(vi("Household code"))
    digits_box = page.get_by_label(
        vi("Last 4 digits of the head's phone or national ID number")
    )
    code_box.fill(home["code"].lower())
    digits_box.fill("0000" if home["digits"] != "0000" else "1111")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Look up")).click()
    expect(page).to_have_url(re.compile(r"/my-household/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        vi("No household found with this code and these 4 digits.")
    )
    code_box.fill(home["code"].lower())
    digits_box.fill(home["digits"])
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Look up")).click()
    expect(page).to_have_url(re.compile(r"/my-household/view/$"))
    expect(page.get_by_role("heading", name=vi("My household"))).to_be_visible()
    assert home["head_name"] not in page.content()


def test_dashboard_draws_its_charts(page, browser_errors):
    sign_in(page, "quantri")
    page.goto("/dashboard/?period=year&year=2025")
    expect(page.locator("#dashboard-title")).to_contain_text("Xã Ea Ktur")
    charts = page.locator("[data-chart]:visible canvas")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 4
    # Chart.js drew into each (the CSP allowed the scripts): a chart object per canvas.
    drawn = charts.evaluate_all("cs => cs.filter(c => Chart.getChart(c)).length")
    assert drawn == charts.count()
    assert browser_errors == []


def test_english_switch(page):
    page.goto("/programs/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/programs/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # And back: the switch offers Vietnamese now.
    expect(page.locator("button[name=language]")).to_have_attribute("value", "vi")


def test_not_found_and_csrf_failure_are_the_portal_pages_not_debug(page, stack):
    answer = page.goto("/khong-co-trang-nay/")
    assert answer.status == 404
    expect(page.get_by_role("heading", name=vi("Page not found"))).to_be_visible()
    body = page.content()
    assert "Traceback" not in body and "URLconf" not in body  # no debug page

    # A form posted without its CSRF token (an expired page, a forged request).
    refused = page.request.post(
        f"{stack.url}/accounts/login/",
        form={"username": "canbo", "password": DEMO_PASSWORD},
        headers={"Origin": stack.url},
    )
    assert refused.status == 403
    text = refused.text()
    assert vi("The form expired") in text
    assert (
        vi("Nothing was saved. Go back, reload the page and submit the form again.")
        in text
    )
    assert "CSRF verification failed" not in text  # Django's debug/English page
