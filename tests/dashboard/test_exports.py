"""The dashboard's XLSX files: one table (``/dashboard/export/<slug>.xlsx``) and the whole
report (``/dashboard/report.xlsx``). The files are opened with openpyxl and read back."""

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from eakutur.dashboard import exports
from eakutur.dashboard.figures import dashboard_blocks
from eakutur.dashboard.periods import nine_months
from eakutur.dashboard.scope import DashboardScope
from eakutur.dashboard.tables import Block, Column, KeyFigure, Kind, Row, Table
from tests.dashboard.test_views import MARKED, sample_blocks
from tests.factories import HouseholdFactory, PovertyReviewFactory
from tests.factories.loans import disbursed_loan

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_URL = "/dashboard/export/status-by-village.xlsx"


@pytest.fixture
def scopes(monkeypatch):
    asked = []

    def fake_blocks(scope):
        asked.append(scope)
        return sample_blocks()

    monkeypatch.setattr("eakutur.dashboard.views.dashboard_blocks", fake_blocks)
    return asked


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def rows(sheet) -> list[list]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# --- One table ----------------------------------------------------------------------------


def test_table_export_has_a_title_row_a_header_typed_cells_and_the_total(
    official_client, village, other_village, scopes
):
    response = official_client.get(TABLE_URL, {"period": "nine_months", "year": "2025"})
    assert response["Content-Disposition"] == (
        'attachment; filename="status-by-village-20250101-20250930.xlsx"'
    )
    assert scopes[0].period == nine_months(2025)
    sheet = workbook(response).active
    assert sheet.title == "Hộ theo tình trạng và thôn"
    lines = rows(sheet)
    assert (
        lines[0][0] == "Hộ theo tình trạng và thôn · Xã Ea Ktur · 9 tháng đầu năm 2025"
    )
    assert lines[1] == ["Thôn/buôn", "Hộ nghèo", "Số tiền (đồng)", "Tỷ lệ hộ nghèo"]
    assert lines[2] == ["Thôn 1", 1234, 147_000_000_000, 12.3]
    assert lines[4] == ["Tổng cộng", 1239, 147_002_500_000, 10.0]
    assert sheet["A5"].font.bold and sheet["D5"].font.bold
    assert sheet["B3"].number_format == "#,##0"
    assert sheet["C3"].number_format == "#,##0"
    assert sheet["D3"].number_format == '0.0"%"'
    assert sheet["B3"].data_type == "n" and sheet["D3"].data_type == "n"
    texts = [line[0] for line in lines[5:] if line[0]]
    assert f"{MARKED}: =1+1" in [t.lstrip("'") for t in texts]
    assert "Hộ đang hoạt động, theo lần rà soát gần nhất." in texts


def test_formula_like_text_stays_text(official_client, village, scopes):
    sheet = workbook(official_client.get(TABLE_URL)).active
    cell = sheet["A4"]
    assert cell.value == "'=1+1"
    assert cell.data_type == "s"
    assert sheet["B4"].value == 5


def test_table_export_follows_the_filters_and_the_officers_scope(
    officer_client, village, other_village, scopes
):
    response = officer_client.get(
        TABLE_URL,
        {"period": "month", "year": "2025", "month": "9", "village": other_village.pk},
    )
    assert scopes[0].village_ids == (village.pk,)
    title = rows(workbook(response).active)[0][0]
    assert title == "Hộ theo tình trạng và thôn · Thôn 1 · Tháng 9/2025"


def test_table_export_in_english_keeps_the_numbers(client, official, village, scopes):
    client.force_login(official)
    sheet = workbook(client.get(f"/en{TABLE_URL}", {"year": "2024"})).active
    assert rows(sheet)[0][0].endswith("· Xã Ea Ktur · Year 2024")
    assert rows(sheet)[2][1:] == [1234, 147_000_000_000, 12.3]


def test_unknown_table_is_404(official_client, village, scopes):
    assert official_client.get("/dashboard/export/unknown.xlsx").status_code == 404


# --- The report ------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_report_workbook_is_a_summary_and_one_sheet_per_table(
    client, official, village, scopes, prefix
):
    client.force_login(official)
    response = client.get(
        f"{prefix}/dashboard/report.xlsx", {"period": "nine_months", "year": "2025"}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-giam-ngheo-20250101-20250930.xlsx"'
    )
    book = workbook(response)
    assert book.sheetnames == ["Tổng hợp", "Hộ theo tình trạng và thôn"]
    summary = rows(book["Tổng hợp"])
    assert summary[0][0] == "Báo cáo kết quả giảm nghèo"
    assert summary[1][0] == "Xã Ea Ktur · 9 tháng đầu năm 2025"
    assert summary[2][0] == "Ngày lập báo cáo"
    assert summary[2][1].date() == timezone.localdate()
    assert ["Hộ gia đình và giảm nghèo", None, None] in summary
    # A text starting with "+" gets the apostrophe of every export of the portal.
    assert ["Hộ nghèo", 1234, "'+12 so với năm 2024"] in summary
    assert ["Tổng số tiền", 147_385_000_000, None] in summary
    assert ["Tỷ lệ hộ nghèo", 12.3, None] in summary
    assert "Khối trống" not in [line[0] for line in summary]  # no figures, no heading
    table = rows(book["Hộ theo tình trạng và thôn"])
    assert table[2] == ["Thôn 1", 1234, 147_000_000_000, 12.3]


def test_report_workbook_needs_a_login(client, scopes):
    assert client.get("/dashboard/report.xlsx").status_code == 302


# --- The module on its own -------------------------------------------------------------------


def test_sheet_titles_are_unique_and_acceptable_to_excel():
    long = "Tỷ lệ hộ nghèo theo thôn/buôn [2025]: tất cả các năm rà soát"
    table = Table("a", long, (Column("x", "X", Kind.TEXT),), ())
    blocks = [Block("b", "B", tables=(table, Table("c", long, table.columns, ())))]
    book = load_workbook(
        io.BytesIO(exports.report_xlsx(blocks, heading="h", today=date(2025, 10, 1)))
    )
    names = book.sheetnames[1:]
    assert len(names) == 2 and len(set(names)) == 2
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_empty_values_and_a_missing_total_label():
    table = Table(
        "t",
        "Bảng",
        (
            Column("name", "Tên", Kind.TEXT),
            Column("n", "Số"),
            Column("money", "Tiền", Kind.VND),
        ),
        (Row({"name": "+84 912", "n": None}),),
        total=Row({"n": 3, "money": 0}),
    )
    sheet = load_workbook(io.BytesIO(exports.table_xlsx(table, heading="h"))).active
    assert rows(sheet)[2] == ["'+84 912", None, None]
    assert rows(sheet)[3] == ["Tổng cộng", 3, 0]


def test_figures_in_the_summary_are_typed():
    block = Block(
        "b",
        "Khối",
        figures=(
            KeyFigure("a", '=HYPERLINK("x")', 3),
            KeyFigure("b", "Tiền", 5_000_000, kind=Kind.VND),
        ),
    )
    book = load_workbook(
        io.BytesIO(exports.report_xlsx([block], heading="h", today=date(2025, 10, 1)))
    )
    sheet = book.active
    assert sheet["A6"].value == '\'=HYPERLINK("x")'
    assert sheet["B6"].value == 3 and sheet["B7"].value == 5_000_000
    assert sheet["B7"].number_format == "#,##0"


# --- With the real blocks ---------------------------------------------------------------------


def test_every_table_of_the_real_blocks_exports(official_client, village):
    household = HouseholdFactory(village=village)
    PovertyReviewFactory(household=household, year=2025)
    disbursed_loan(
        household=household, amount=40_000_000, disbursed_on=date(2025, 3, 10)
    )
    scope = DashboardScope(nine_months(2025), date(2025, 12, 1), (village.pk,), True)
    slugs = [t.slug for b in dashboard_blocks(scope) for t in b.tables]
    assert slugs
    query = {"period": "nine_months", "year": "2025"}
    for slug in slugs:
        book = workbook(official_client.get(f"/dashboard/export/{slug}.xlsx", query))
        lines = rows(book.active)
        assert lines[0][0].endswith("Xã Ea Ktur · 9 tháng đầu năm 2025"), slug
    book = workbook(official_client.get("/dashboard/report.xlsx", query))
    assert len(book.sheetnames) == 1 + len(slugs)
    loans = rows(book["Tổng hợp"])
    assert any(line[1] == 40_000_000 for line in loans)
