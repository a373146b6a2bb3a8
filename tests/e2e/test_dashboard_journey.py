"""The issue's acceptance, in real Chromium on the demo commune: the commune administrator
opens the dashboard, changes the period to the first nine months of 2025, sees 3,880
households and over 147 billion đồng lent, clicks a bar, reads the report and downloads
the XLSX files; then the same page on a 390 px phone.

``seed_demo`` writes the whole demo commune (8,500 households, 13,800 loans) inside the
test: about a minute on SQLite.
"""

import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from households.demo import DEMO_PASSWORD
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_registry_journey import PHONE_WIDTH, vi

ADMIN = "quantri"  # the demo commune administrator
BILLION = 1_000_000_000


@pytest.fixture
def demo_commune():
    call_command("seed_demo", stdout=StringIO())


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(vi("Username")).fill(username)
    page.get_by_label(vi("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=vi("Log in")).click()
    expect(page).to_have_url(f"{base}/staff/")


def digits(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def downloaded_workbook(page, link):
    with page.expect_download() as download:
        link.click()
    content = Path(download.value.path()).read_bytes()
    return download.value.suggested_filename, load_workbook(io.BytesIO(content))


def total_row(sheet) -> list:
    total = vi("Total")
    return next(r for r in sheet.iter_rows(values_only=True) if r[0] == total)


def test_admin_reads_the_first_nine_months_of_2025_and_downloads_them(
    page, phone_page, live_server, demo_commune
):
    base = live_server.url
    log_in(page, base, ADMIN)

    # From the menu to the dashboard: this year, the whole commune, charts drawn.
    page.get_by_role("navigation").first.get_by_role(
        "link", name=vi("Dashboard"), exact=True
    ).click()
    expect(page).to_have_url(f"{base}/dashboard/")
    expect(page.locator("#dashboard-title")).to_contain_text("Xã Ea Ktur · Năm ")

    # The period: the first nine months of 2025 (the month and dates fields are hidden).
    page.locator("#id_period").select_option("nine_months")
    expect(page.locator("#id_month")).to_be_hidden()
    page.locator("#id_year").select_option("2025")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Show"), exact=True).click()
    assert "period=nine_months" in page.url and "year=2025" in page.url
    title = page.locator("#dashboard-title")
    expect(title).to_have_text("Xã Ea Ktur · 9 tháng đầu năm 2025")

    # 3,880 households, over 147 billion đồng.
    households = page.locator("#figure-loan_households .figure-value")
    expect(households).to_have_text("3.880")
    amount = page.locator("#figure-amount_disbursed")
    expect(amount).to_contain_text("147,")
    expect(amount).to_contain_text("tỷ đồng")
    exact = amount.locator(".figure-value + div").inner_text()
    assert digits(exact) > 147 * BILLION, exact

    # Every chart with something to draw is drawn, beside its table.
    expect(page.locator("[data-chart='chart-data-loans-by-month']")).to_be_visible()
    assert page.locator("[data-chart]:visible canvas").count() >= 4

    # The table of loans by village, as XLSX: the same 3,880 households in its total.
    village_table = page.locator("#loans-by-village")
    link = village_table.get_by_role("link", name=vi("Download XLSX"))
    name, book = downloaded_workbook(page, link)
    assert name == "loans-by-village-20250101-20250930.xlsx"
    sheet = book.active
    assert sheet["A1"].value.endswith("Xã Ea Ktur · 9 tháng đầu năm 2025")
    total = total_row(sheet)
    assert total[1] == 3880
    assert total[3] > 147 * BILLION

    # A bar opens the list behind it: January's loans.
    canvas = page.locator("[data-chart='chart-data-loans-by-month'] canvas")
    canvas.scroll_into_view_if_needed()
    x, y = canvas.evaluate(
        "c => { const bar = Chart.getChart(c).getDatasetMeta(0).data[0];"
        " return [bar.x, (bar.y + bar.base) / 2]; }"
    )
    with page.expect_navigation():
        canvas.click(position={"x": x, "y": y})
    assert "/loans/" in page.url
    assert "disbursed_from=01%2F01%2F2025" in page.url
    assert "disbursed_to=31%2F01%2F2025" in page.url
    page.go_back()

    # The periodic report, in Vietnamese, and its workbook.
    page.get_by_role("link", name=vi("Periodic report")).click()
    expect(page.locator("#report-title")).to_have_text(
        "Kết quả giảm nghèo 9 tháng đầu năm 2025"
    )
    expect(page.locator("#report-loans")).to_contain_text("Cho vay 3.880 hộ")
    expect(page.get_by_role("button", name=vi("Print"), exact=True)).to_be_visible()
    name, book = downloaded_workbook(page, page.locator("#report-xlsx"))
    assert name == "bao-cao-giam-ngheo-20250101-20250930.xlsx"
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    figures = [line[1] for line in summary]
    assert 3880 in figures
    assert any(
        isinstance(v, int) and 147 * BILLION < v < 148 * BILLION for v in figures
    )

    # The same dashboard on a phone: nothing wider than the screen.
    phone = phone_page
    log_in(phone, base, ADMIN)
    phone.goto(f"{base}/dashboard/?period=nine_months&year=2025")
    expect(phone.locator("#figure-loan_households .figure-value")).to_have_text("3.880")
    content, inner, layout = phone.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth,"
        " document.documentElement.clientWidth]"
    )
    assert content <= layout, (
        f"the dashboard is {content}px wide on a {layout}px screen"
    )
    assert inner == PHONE_WIDTH
    hidden = phone.evaluate(
        "Array.from(document.querySelectorAll('.table-responsive'))"
        ".map(e => e.scrollWidth - e.clientWidth).filter(d => d > 0)"
    )
    assert not hidden, f"a table scrolls sideways by {hidden}px"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"))
    page.goto(f"{base}/dashboard/?period=nine_months&year=2025")
    page.screenshot(path=str(ARTIFACTS / "dashboard-desktop.png"))
