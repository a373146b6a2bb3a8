"""The household export and the safety of every cell written."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from households.models import EthnicGroup
from households.selectors import HouseholdFilters, household_list_for
from households.services import household_create
from households.spreadsheets import households_xlsx, neutralise, review_template_xlsx
from tests.factories import HouseholdFactory

HEADINGS = [
    "Household code",
    "Village",
    "Head of household",
    "National ID number",
    "Phone",
    "Address",
    "Ethnic group",
    "Poverty status",
    "Review year",
    "Farmed area (ha)",
    "Uses a smartphone",
    "Uses Zalo",
    "Consents to be contacted",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def export_for(user) -> list[list]:
    return read(
        households_xlsx(
            households=household_list_for(user=user, filters=HouseholdFilters())
        )
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\rcmd", "'\rcmd"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("H'Hen Niê", "H'Hen Niê"),
        ("", ""),
        (-2, -2),
        (1.5, 1.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_export_has_the_headings_and_one_row_per_household(official, village):
    household_create(
        actor=official,
        village=village,
        code="HK001",
        head_name="Nguyễn Văn An",
        ethnic_group=EthnicGroup.objects.get(code="01"),
        head_national_id="066085001234",
        phone="0912345678",
        address="Thôn 1, Ea Ktur",
        farmed_area_ha=1.5,
        uses_zalo=True,
    )
    HouseholdFactory.create_batch(3, village=village)

    rows = export_for(official)

    assert rows[0] == HEADINGS
    assert len(rows) == 1 + 4
    an = next(dict(zip(HEADINGS, r, strict=True)) for r in rows if r[0] == "HK001")
    assert an["Household code"] == "HK001"
    assert an["Village"] == "Thôn 1"
    assert an["National ID number"] == "•••••••••234"
    assert an["Ethnic group"] == "Kinh"
    assert an["Farmed area (ha)"] == 1.5
    assert (an["Uses a smartphone"], an["Uses Zalo"]) == ("No", "Yes")
    everything = " ".join(str(v) for row in rows for v in row)
    assert "066085001234" not in everything


def test_export_header_is_bold_and_frozen(official, village):
    HouseholdFactory(village=village)
    qs = household_list_for(user=official, filters=HouseholdFilters())
    sheet = load_workbook(io.BytesIO(households_xlsx(households=qs))).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.column_dimensions["C"].width >= 20


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", " =1+2"]
)
def test_a_name_that_looks_like_a_formula_comes_back_as_text(official, village, name):
    household_create(
        actor=official,
        village=village,
        code="HK666",
        head_name=name,
        ethnic_group=EthnicGroup.objects.get(code="01"),
        head_sex="male",
        head_birth_year=1980,
        address=name,
    )
    content = households_xlsx(
        households=household_list_for(user=official, filters=HouseholdFilters())
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]

    for cell in (sheet["C2"], sheet["F2"]):  # head of household, address
        assert cell.data_type == "s"
        assert cell.value == "'" + name


def test_officer_export_holds_only_their_village(
    officer, official, village, other_village
):
    HouseholdFactory(village=village, code="HK-T1")
    HouseholdFactory(village=other_village, code="HK-B1")

    assert [row[0] for row in export_for(officer)[1:]] == ["HK-T1"]
    assert sorted(row[0] for row in export_for(official)[1:]) == ["HK-B1", "HK-T1"]


def test_export_queries_do_not_grow_with_the_households(
    official, village, other_village, django_assert_max_num_queries
):
    def export():
        qs = household_list_for(user=official, filters=HouseholdFilters())
        return households_xlsx(households=qs)

    HouseholdFactory.create_batch(2, village=village)
    with django_assert_max_num_queries(2):
        export()
    HouseholdFactory.create_batch(30, village=other_village)
    with django_assert_max_num_queries(2):
        rows = read(export())
    assert len(rows) == 1 + 32


def test_export_accepts_a_plain_list(official, village):
    households = list(HouseholdFactory.create_batch(2, village=village))
    assert len(read(households_xlsx(households=households))) == 3


def test_template_has_headings_example_and_instructions(db):
    from households.imports import CODE, INCOME, YEAR

    with translation.override("vi"):
        content = review_template_xlsx(year=2025)
    workbook = load_workbook(io.BytesIO(content))
    sheet, instructions = workbook.worksheets
    headings = [c.value for c in sheet[1]]
    assert headings[:4] == [CODE.vi, "Chủ hộ", YEAR.vi, INCOME.vi]
    assert "Nhà tiêu hợp vệ sinh" in headings and "Lý do điều chỉnh" in headings
    assert len(headings) == 4 + 12 + 3
    example = [c.value for c in sheet[2]]
    assert example[2] == 2025 and example.count("x") == 3
    assert sheet.max_row == 2
    text = " ".join(
        str(c.value) for row in instructions.iter_rows() for c in row if c.value
    )
    assert "Nhà tiêu hợp vệ sinh" in text and "1.500.000 ₫" in text
