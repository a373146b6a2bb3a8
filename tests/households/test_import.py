"""The yearly review import: preview, confirmation, and files that must be refused."""

import io
import os
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from eakutur.audit.models import AuditEntry
from households.imports import review_import_apply, review_import_upload
from households.models import (
    DeprivationIndicator,
    EthnicGroup,
    Household,
    PovertyReview,
    PovertyStatus,
    ReviewImport,
    ReviewImportStatus,
)
from households.services import household_create, poverty_review_record
from households.spreadsheets import review_template_xlsx
from tests.factories import UserFactory
from tests.households.xlsx_builders import (
    indicator_headings,
    review_file,
    review_headings,
    review_row,
    upload,
    with_dimension,
    with_extra_member,
    xlsx_bytes,
)

YEAR = timezone.localdate().year - 1
POOR_THREE = ("employment", "health_insurance", "latrine")  # 3 deprivations: poor


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source; the catalogue may reword them."""
    with translation.override("en"):
        yield


@pytest.fixture
def households(official, village, other_village):
    kinh = EthnicGroup.objects.get(code="01")
    ede = EthnicGroup.objects.get(code="12")
    return {
        "an": household_create(
            actor=official,
            village=village,
            code="HK001",
            head_name="Nguyễn Văn An",
            ethnic_group=kinh,
            head_national_id="066085001234",
        ),
        "hen": household_create(
            actor=official,
            village=village,
            code="HK002",
            head_name="H'Hen Niê",
            ethnic_group=ede,
            head_sex="female",
            head_birth_year=1980,
        ),
        "bhin": household_create(
            actor=official,
            village=other_village,
            code="HK003",
            head_name="Y Bhin Êban",
            ethnic_group=ede,
            head_sex="male",
            head_birth_year=1970,
        ),
    }


def good_rows():
    return [
        review_row("HK001", YEAR, 1_200_000, POOR_THREE, head="Nguyen Van An"),
        review_row("HK002", YEAR, "1.400.000", ["latrine"], head="h'hen nie"),
        review_row(
            "HK003",
            YEAR,
            2_000_000,
            status="hộ nghèo",
            reason="Ốm đau kéo dài, họp thôn thống nhất",
            notes="Họp thôn 12/3",
        ),
    ]


def messages(batch):
    return [e["message"] for e in batch.summary["errors"]]


# --- A good file ------------------------------------------------------------------------


def test_good_file_previews_then_records_the_proposed_statuses(official, households):
    batch = review_import_upload(actor=official, uploaded_file=review_file(good_rows()))

    assert batch.status == ReviewImportStatus.PREVIEWED
    assert batch.commune == official.commune and batch.uploaded_by == official
    assert batch.file_name == "ra-soat-2025.xlsx" and len(batch.file_sha256) == 64
    assert batch.summary == {
        "total": 3,
        "create": 3,
        "unchanged": 0,
        "error_rows": 0,
        "errors": [],
    }
    an, hen, bhin = batch.rows
    assert (an["row"], an["household_id"], an["outcome"]) == (
        2,
        households["an"].pk,
        "create",
    )
    assert an["proposed_status"] == an["final_status"] == PovertyStatus.POOR
    assert sorted(an["deprivations"]) == sorted(POOR_THREE)
    assert hen["income_per_person"] == 1_400_000
    assert hen["proposed_status"] == PovertyStatus.NEAR_POOR and hen["status"] == ""
    assert bhin["proposed_status"] == PovertyStatus.AVERAGE
    assert bhin["final_status"] == PovertyStatus.POOR
    assert bhin["proposed_label"] == "average living standard"
    assert PovertyReview.objects.count() == 0  # nothing recorded before confirmation

    result = review_import_apply(actor=official, batch=batch)

    assert result == {"created": 3, "unchanged": 0}
    batch.refresh_from_db()
    assert batch.status == ReviewImportStatus.APPLIED and batch.applied_at
    statuses = dict(
        Household.objects.values_list("code", "current_status").order_by("code")
    )
    assert statuses == {
        "HK001": PovertyStatus.POOR,
        "HK002": PovertyStatus.NEAR_POOR,
        "HK003": PovertyStatus.POOR,
    }
    review = PovertyReview.objects.get(household=households["bhin"], year=YEAR)
    assert review.proposed_status == PovertyStatus.AVERAGE
    assert review.override_reason == "Ốm đau kéo dài, họp thôn thống nhất"
    assert review.notes == "Họp thôn 12/3"
    assert set(
        PovertyReview.objects.get(household=households["an"]).deprivations.values_list(
            "code", flat=True
        )
    ) == set(POOR_THREE)
    assert AuditEntry.objects.filter(note="import: ra-soat-2025.xlsx").count() == 3


def test_importing_the_same_file_again_changes_nothing(official, households):
    first = review_import_upload(actor=official, uploaded_file=review_file(good_rows()))
    review_import_apply(actor=official, batch=first)
    audit_entries = AuditEntry.objects.count()

    again = review_import_upload(actor=official, uploaded_file=review_file(good_rows()))

    assert again.summary["unchanged"] == 3 and again.summary["create"] == 0
    assert {r["outcome"] for r in again.rows} == {"unchanged"}
    assert review_import_apply(actor=official, batch=again) == {
        "created": 0,
        "unchanged": 3,
    }
    assert PovertyReview.objects.count() == 3
    assert AuditEntry.objects.count() == audit_entries


def test_headings_and_values_are_read_leniently(official, households):
    indicators = list(
        DeprivationIndicator.objects.order_by("sort_order").values_list("code", "code")
    )
    headings = [
        "MA HO",
        "chu ho",
        "Year",
        "Thu nhap binh quan / nguoi / thang (dong)",
        *(code for code, _ in indicators),
        "Status",
        "Override reason",
        "Notes",
    ]
    none = [None] * 9  # the other indicators
    rows = [
        ["HK001", "", str(YEAR), "1,200,000", "có", "yes", True, *none, "poor"],
        ["HK002", "", float(YEAR), 1_400_000.4, "X", "0", "không", *none, "near_poor"],
    ]
    batch = review_import_upload(
        actor=official, uploaded_file=review_file(rows, headings=headings)
    )

    assert messages(batch) == []
    an, hen = batch.rows
    assert (an["income_per_person"], an["status"]) == (1_200_000, "poor")
    assert an["deprivations"] == ["employment", "dependants", "nutrition"]
    assert (hen["year"], hen["income_per_person"]) == (YEAR, 1_400_000)
    assert hen["deprivations"] == ["employment"] and hen["status"] == "near_poor"


def test_the_headings_may_sit_under_a_title_row(official, households):
    data = xlsx_bytes(
        [
            ["DANH SÁCH RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO"],
            [],
            review_headings(),
            review_row("HK001", YEAR, 1_200_000, POOR_THREE),
        ]
    )
    batch = review_import_upload(actor=official, uploaded_file=upload(data))
    assert batch.rows[0]["row"] == 4 and batch.rows[0]["outcome"] == "create"


def test_two_years_of_one_household_follow_each_other(official, households):
    rows = [  # the later year first: the import must still judge the earlier one first
        review_row("HK001", YEAR, 1_800_000),
        review_row("HK001", YEAR - 1, 1_200_000, POOR_THREE),
    ]
    batch = review_import_upload(actor=official, uploaded_file=review_file(rows))

    later, earlier = batch.rows
    assert earlier["final_status"] == PovertyStatus.POOR
    assert later["proposed_status"] == PovertyStatus.ESCAPED_POOR
    assert review_import_apply(actor=official, batch=batch)["created"] == 2
    households["an"].refresh_from_db()
    assert households["an"].current_status == PovertyStatus.ESCAPED_POOR
    assert households["an"].current_review_year == YEAR


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_template_imports_once_filled_in(official, households, language):
    from openpyxl import load_workbook

    with translation.override(language):
        content = review_template_xlsx(year=YEAR)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    headings = [c.value for c in sheet[1]]
    assert len(workbook.worksheets) == 2
    instructions = " ".join(
        str(c.value)
        for row in workbook.worksheets[1].iter_rows()
        for c in row
        if c.value
    )
    assert ("Hygienic latrine" if language == "en" else "Nhà tiêu hợp vệ sinh") in (
        instructions
    )
    if language == "en":
        assert workbook.sheetnames == [f"Reviews {YEAR}", "Instructions"]
    sheet.delete_rows(2)  # the example row
    sheet.append(review_row("HK001", YEAR, 1_200_000, POOR_THREE, head="Nguyễn Văn An"))
    buffer = io.BytesIO()
    workbook.save(buffer)

    batch = review_import_upload(
        actor=official, uploaded_file=upload(buffer.getvalue())
    )

    assert headings[:4] == (
        ["Mã hộ", "Chủ hộ", "Năm", "Thu nhập bình quân/người/tháng"]
        if language == "vi"
        else [
            "Household code",
            "Head of household",
            "Year",
            "Income per person per month (VND)",
        ]
    )
    assert messages(batch) == []
    assert batch.rows[0]["final_status"] == PovertyStatus.POOR


# --- Rows with problems -----------------------------------------------------------------


def test_bad_rows_are_reported_and_the_batch_cannot_be_applied(official, households):
    rows = [
        review_row("HK001", YEAR, 1_200_000, POOR_THREE),  # row 2: fine
        review_row("HK999", YEAR, 1_000_000),  # row 3: unknown code
        review_row("HK002", YEAR, -5),  # row 4: negative income
        review_row("HK003", YEAR + 2, 1_000_000),  # row 5: future year
        ["HK003", "", YEAR, 1_000_000, "có thể", *([None] * 14)],  # row 6: bad mark
        review_row("HK002", YEAR - 1, 1_000_000, status="poor"),  # row 7: no reason
        review_row("HK001", YEAR, 1_200_000, POOR_THREE),  # row 8: duplicate
        review_row("HK003", YEAR - 1, 1_000_000, head="Trần Thị Bình"),  # row 9: name
        review_row("HK003", "năm nay", "nhiều"),  # row 10: wrong types
        review_row("HK002", YEAR - 2, 1_000_000, status="giàu"),  # row 11: bad status
    ]
    batch = review_import_upload(actor=official, uploaded_file=review_file(rows))

    errors = {(e["row"], e["column"]): e["message"] for e in batch.summary["errors"]}
    assert errors == {
        (3, "Mã hộ"): "Row 3: unknown household code “HK999”.",
        (4, "Thu nhập bình quân/người/tháng"): (
            "Row 4: the income per person cannot be negative."
        ),
        (5, "Năm"): f"Row 5: {YEAR + 2} is in the future.",
        (6, "Việc làm"): (
            "Row 6: “có thể” in the column “Việc làm” is not a mark; write x for a "
            "deprivation and leave the cell empty otherwise."
        ),
        (7, "Lý do điều chỉnh"): (
            "Row 7: the portal proposes “near-poor”; give a reason in the column "
            "“Lý do điều chỉnh” for recording “poor”."
        ),
        (
            8,
            "Mã hộ",
        ): f"Row 8: household HK001 appears again for {YEAR} (first on row 2).",
        (9, "Chủ hộ"): (
            "Row 9: the head of household HK003 is “Y Bhin Êban” in the registry, "
            "not “Trần Thị Bình”."
        ),
        (10, "Năm"): "Row 10: “năm nay” is not a year.",
        (10, "Thu nhập bình quân/người/tháng"): (
            "Row 10: “nhiều” is not an amount in đồng."
        ),
        (11, "Tình trạng"): (
            "Row 11: “giàu” is not a status; use one of: “poor”, “near-poor”, "
            "“escaped poverty”, “escaped near-poverty”, “average living standard”, "
            "“not poor”."
        ),
    }
    assert batch.summary["create"] == 1 and batch.summary["error_rows"] == 9
    assert [r["outcome"] for r in batch.rows] == ["create"] + ["error"] * 9

    with pytest.raises(ValidationError, match="rows with errors"):
        review_import_apply(actor=official, batch=batch)
    assert PovertyReview.objects.count() == 0
    batch.refresh_from_db()
    assert batch.status == ReviewImportStatus.PREVIEWED


def test_a_year_without_a_standard_is_a_row_error(official, households):
    batch = review_import_upload(
        actor=official, uploaded_file=review_file([review_row("HK001", 2015, 900_000)])
    )
    assert messages(batch) == ["Row 2: no poverty standard covers 2015."]


def test_a_different_review_for_the_same_year_is_not_overwritten(official, households):
    poverty_review_record(
        actor=official,
        household=households["an"],
        year=YEAR,
        income_per_person=1_000_000,
        deprivations=[],
    )
    batch = review_import_upload(
        actor=official,
        uploaded_file=review_file([review_row("HK001", YEAR, 1_200_000, POOR_THREE)]),
    )
    assert messages(batch) == [
        f"Row 2: household HK001 already has a different review for {YEAR}; "
        "change it on the household page."
    ]


def test_village_officer_cannot_import_another_villages_household(officer, households):
    rows = [
        review_row("HK001", YEAR, 1_200_000, POOR_THREE),
        review_row("HK003", YEAR, 1_200_000, POOR_THREE),  # in the other village
    ]
    batch = review_import_upload(actor=officer, uploaded_file=review_file(rows))

    assert messages(batch) == ["Row 3: unknown household code “HK003”."]
    assert batch.rows[1]["household_id"] is None
    assert batch.rows[1]["household_head_name"] == ""  # nothing about it is shown


def test_archived_household_is_a_row_error(official, households):
    from households.services import household_archive

    household_archive(actor=official, household=households["hen"], reason="Chuyển đi")
    batch = review_import_upload(
        actor=official,
        uploaded_file=review_file([review_row("HK002", YEAR, 1_000_000)]),
    )
    assert messages(batch) == ["Row 2: household HK002 is archived."]


# --- Files refused as a whole -------------------------------------------------------------


def refused(official, uploaded_file) -> str:
    with pytest.raises(ValidationError) as caught:
        review_import_upload(actor=official, uploaded_file=uploaded_file)
    assert ReviewImport.objects.count() == 0
    return " ".join(caught.value.messages)


def test_plain_text_and_random_bytes_are_refused(official, households):
    text = upload(b"Ma ho,Nam,Thu nhap\nHK001,2025,1200000\n", "ra-soat.xlsx")
    noise = upload(os.urandom(4096), "ra-soat.xlsx")
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("hello.txt", "xin chào")

    for uploaded_file in (text, noise, upload(not_a_workbook.getvalue())):
        assert "not an Excel workbook (.xlsx)" in refused(official, uploaded_file)


def test_an_old_xls_file_is_refused_with_advice(official, households):
    old = upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), "ra-soat.xls")
    assert "save it as an Excel workbook (.xlsx)" in refused(official, old)


def test_a_missing_column_is_named(official, households):
    headings = [h for h in review_headings() if h != "Thu nhập bình quân/người/tháng"]
    message = refused(official, review_file([["HK001", "", YEAR]], headings=headings))
    assert message == (
        "The file is missing the columns: “Income per person per month (VND)”. "
        "Download the template to see the expected headings."
    )


def test_a_missing_indicator_column_is_named(official, households):
    headings = review_headings()
    row = review_row("HK001", YEAR, 1_000_000)
    latrine = headings.index("Nhà tiêu hợp vệ sinh")
    del headings[latrine], row[latrine]
    message = refused(official, review_file([row], headings=headings))
    assert message == (
        f"The file has no column for these indicators of the {YEAR} standard: "
        "“Nhà tiêu hợp vệ sinh”."
    )


def test_a_column_given_twice_is_refused(official, households):
    headings = [*review_headings(), "Household code"]
    message = refused(
        official, review_file([review_row("HK001", YEAR, 1)], headings=headings)
    )
    assert message.startswith("The column “Household code” appears twice")


def test_a_formula_is_refused_naming_the_cell(official, households):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(review_headings())
    sheet.append(review_row("HK001", YEAR, 1_200_000))
    sheet.append(review_row("HK002", YEAR, None))
    sheet["D3"] = "=1000*1400"
    buffer = io.BytesIO()
    workbook.save(buffer)

    message = refused(official, upload(buffer.getvalue()))
    assert message.startswith("Cell D3 contains a formula.")


def test_a_formula_right_of_the_headings_is_refused_too(official, households):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(review_headings())
    sheet.append(review_row("HK001", YEAR, 1_200_000))
    sheet["AB2"] = '=HYPERLINK("http://x")'
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert refused(official, upload(buffer.getvalue())).startswith(
        "Cell AB2 contains a formula."
    )


def test_rows_reaching_far_right_are_refused_quickly(official, households):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(review_headings())
    for number in range(2, 200):
        sheet.cell(row=number, column=1, value="HK001")
        sheet.cell(row=number, column=16384, value="x")  # column XFD, Excel's last
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert refused(official, upload(buffer.getvalue())) == (
        "The sheet has cells beyond column CV; delete the extra columns and upload "
        "the file again."
    )


@pytest.mark.parametrize("declared", ["A1:XFD1048576", "A1:A1"])
def test_the_declared_sheet_size_is_not_trusted(
    official, households, settings, declared
):
    settings.IMPORT_MAX_ROWS = 50
    rows = [review_row(f"HK{n:05d}", YEAR, 1_000_000) for n in range(51)]
    data = xlsx_bytes([review_headings(), *rows])
    assert "more than 50 rows" in refused(
        official, upload(with_dimension(data, declared))
    )

    small = with_dimension(
        xlsx_bytes([review_headings(), review_row("HK001", YEAR, 1_200_000)]), declared
    )
    batch = review_import_upload(actor=official, uploaded_file=upload(small))
    assert batch.summary["total"] == 1 and batch.summary["create"] == 1


def test_a_zip_bomb_is_refused(official, households, settings):
    settings.IMPORT_MAX_FILE_BYTES = 200_000  # expands to 16 MB at most
    data = xlsx_bytes([review_headings(), review_row("HK001", YEAR, 1_200_000)])
    bomb = with_extra_member(data, "xl/media/image1.png", 40 * 1024 * 1024)
    assert len(bomb) < 200_000
    assert "could not be read" in refused(official, upload(bomb))


def test_a_forgotten_example_row_is_not_recorded(official, households):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(review_template_xlsx(year=YEAR)))
    workbook.worksheets[0].append(review_row("HK001", YEAR, 1_200_000))
    buffer = io.BytesIO()
    workbook.save(buffer)

    batch = review_import_upload(
        actor=official, uploaded_file=upload(buffer.getvalue())
    )
    assert messages(batch) == ["Row 2: unknown household code “VD-001”."]


def test_more_rows_than_allowed_are_refused(official, households, settings):
    settings.IMPORT_MAX_ROWS = 50
    rows = [review_row(f"HK{n:05d}", YEAR, 1_000_000) for n in range(51)]
    assert "more than 50 rows" in refused(official, review_file(rows))

    batch = review_import_upload(actor=official, uploaded_file=review_file(rows[:50]))
    assert batch.summary["total"] == 50  # exactly the limit is fine


def test_empty_rows_do_not_count_but_cannot_go_on_forever(
    official, households, settings
):
    settings.IMPORT_MAX_ROWS = 5
    rows = [review_row("HK001", YEAR, 1_200_000), *([[" ", None, " "]] * 1200)]
    assert "more than 1000 empty rows" in refused(official, review_file(rows))


def test_a_file_larger_than_allowed_is_refused(official, households, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000
    message = refused(official, review_file(good_rows()))
    assert "files up to 1000" in message


def test_a_file_with_only_headings_is_refused(official, households):
    assert "no review rows" in refused(official, review_file([]))


def test_a_huge_file_is_refused_without_reading_it_all(official, households, settings):
    settings.IMPORT_MAX_ROWS = 10_000
    indicators = indicator_headings()
    rows = (
        review_row(f"HK{n:05d}", YEAR, 1_000_000 + n, indicators=indicators)
        for n in range(20_000)
    )
    data = xlsx_bytes([review_headings(), *rows], write_only=True)
    uploaded_file = upload(data)

    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ValidationError, match="more than 10000 rows"):
            review_import_upload(actor=official, uploaded_file=uploaded_file)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started

    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert ReviewImport.objects.count() == 0
    print(f"refused 20,000 rows in {elapsed:.2f} s, peak {peak / 1e6:.1f} MB")


# --- Confirmation -------------------------------------------------------------------------


def test_apply_is_all_or_nothing_when_the_registry_changed(official, households):
    rows = [
        review_row("HK001", YEAR, 1_200_000, POOR_THREE),
        review_row("HK002", YEAR, 1_400_000),
    ]
    batch = review_import_upload(actor=official, uploaded_file=review_file(rows))
    assert batch.summary["create"] == 2
    # Someone records HK002's review on the household page before the confirmation.
    poverty_review_record(
        actor=official,
        household=households["hen"],
        year=YEAR,
        income_per_person=2_000_000,
        deprivations=[],
    )

    with pytest.raises(ValidationError) as caught:
        review_import_apply(actor=official, batch=batch)

    assert caught.value.messages == [
        f"Row 3: household HK002 already has a different review for {YEAR}; "
        "change it on the household page."
    ]
    assert not PovertyReview.objects.filter(household=households["an"]).exists()
    households["an"].refresh_from_db()
    assert households["an"].current_status == ""
    batch.refresh_from_db()
    assert batch.status == ReviewImportStatus.PREVIEWED


def test_a_failure_while_writing_rolls_back_the_rows_already_written(
    official, households, monkeypatch
):
    import households.imports as imports

    batch = review_import_upload(actor=official, uploaded_file=review_file(good_rows()))
    real = imports.poverty_review_record
    calls = []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["household"].code)
        if len(calls) == 3:
            raise ValidationError("Lỗi giả lập")
        return real(**kwargs)

    monkeypatch.setattr(imports, "poverty_review_record", failing_on_the_third)

    with pytest.raises(ValidationError, match="Lỗi giả lập"):
        review_import_apply(actor=official, batch=batch)
    assert len(calls) == 3
    assert PovertyReview.objects.count() == 0
    assert set(Household.objects.values_list("current_status", flat=True)) == {""}


def test_apply_changed_proposal_is_refused(official, households):
    """A review of the previous year recorded after the preview changes the proposal."""
    batch = review_import_upload(
        actor=official,
        uploaded_file=review_file([review_row("HK002", YEAR, 1_800_000)]),
    )
    assert batch.rows[0]["proposed_status"] == PovertyStatus.AVERAGE
    poverty_review_record(
        actor=official,
        household=households["hen"],
        year=YEAR - 1,
        income_per_person=1_000_000,
        deprivations=[],
    )
    with pytest.raises(ValidationError, match="changed since the preview"):
        review_import_apply(actor=official, batch=batch)
    assert PovertyReview.objects.filter(year=YEAR).count() == 0


def test_only_the_uploader_applies_and_only_once(official, households, commune):
    batch = review_import_upload(actor=official, uploaded_file=review_file(good_rows()))
    colleague = UserFactory(username="canbo2", commune=commune)

    with pytest.raises(ValidationError, match="another user"):
        review_import_apply(actor=colleague, batch=batch)
    assert PovertyReview.objects.count() == 0

    review_import_apply(actor=official, batch=batch)
    with pytest.raises(ValidationError, match="no longer waiting"):
        review_import_apply(actor=official, batch=batch)
    assert PovertyReview.objects.count() == 3
