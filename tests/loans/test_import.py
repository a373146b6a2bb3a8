"""The bank's disbursement list: template, upload and preview with row errors, confirmation
saving every new loan or none, and uploads that repeat or overlap an earlier list."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from eakutur.audit.models import AuditEntry
from households.services import household_archive
from loans.models import DisbursementImport, DisbursementImportStatus, Loan, LoanStatus
from loans.services import disbursements
from loans.services.disbursements import (
    disbursement_import_confirm,
    disbursement_import_upload,
)
from tests.factories import HouseholdFactory, UserFactory
from tests.factories.loans import SavingsGroupFactory, disbursed_loan, program
from tests.households.xlsx_builders import upload, xlsx_bytes
from tests.loans.xlsx_builders import (
    ENGLISH_HEADINGS,
    GROUP,
    disbursement_file,
    disbursement_row,
)

with translation.override("en"):  # the English pages, like the messages checked
    IMPORT_URL = reverse("loans:disbursement_import")
    TEMPLATE_URL = reverse("loans:disbursement_import_template")


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source; the catalogue may reword them."""
    with translation.override("en"):
        yield


@pytest.fixture
def group(village):
    return SavingsGroupFactory(village=village, name=GROUP)


@pytest.fixture
def households(village, group):
    return [HouseholdFactory(village=village, code=f"HK00{n}") for n in (1, 2, 3)]


def three_rows():
    return [
        disbursement_row("HK001", "LD-001"),
        disbursement_row("HK002", "LD-002", amount=30_000_000, purpose="livestock"),
        disbursement_row(
            "HK003", "LD-003", term=24, disbursed=date(2025, 5, 2), due="02/05/2026"
        ),
    ]


def preview(official, rows, **kwargs):
    return disbursement_import_upload(
        actor=official, file=disbursement_file(rows, **kwargs)
    )


def messages_of(batch):
    return [e["message"] for e in batch.summary["errors"]]


# --- Template, round trip, confirmation --------------------------------------------------


def test_the_template_round_trips_into_three_disbursed_loans(
    official_client, households, group
):
    response = official_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, codes = workbook.worksheets[:2]
    listed = {cell for row in codes.iter_rows(values_only=True) for cell in row}
    assert {"HO_NGHEO", "NUOC_SACH", GROUP, "Thôn 1", "coffee"} <= listed
    for index, values in enumerate(three_rows(), start=2):  # over the example row
        for column, value in enumerate(values, start=1):
            sheet.cell(row=index, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = official_client.post(
        IMPORT_URL, {"file": upload(buffer.getvalue(), "mau.xlsx")}
    )
    batch = DisbursementImport.objects.get()
    preview_url = reverse("loans:disbursement_import_preview", args=[batch.pk])
    assert response.status_code == 302 and response["Location"] == preview_url
    page = official_client.get(preview_url).content.decode()
    assert "3 rows: 3 new loans, 0 already recorded, 0 with errors." in page
    assert "130.000.000" in page and "LD-003" in page and "02/05/2026" in page
    assert 'value="confirm"' in page and "disabled" not in page
    assert not Loan.objects.exists()  # nothing before confirmation

    response = official_client.post(preview_url, {"action": "confirm"}, follow=True)
    assert "3 loans recorded as disbursed" in response.content.decode()
    loans = {loan.contract_number: loan for loan in Loan.objects.all()}
    assert set(loans) == {"LD-001", "LD-002", "LD-003"}
    assert all(loan.status == LoanStatus.DISBURSED for loan in loans.values())
    assert loans["LD-001"].due_on == date(2028, 3, 10)  # disbursement + 36 months
    assert loans["LD-003"].due_on == date(2026, 5, 2)  # as written
    assert (
        loans["LD-002"].amount == 30_000_000 and loans["LD-002"].purpose == "livestock"
    )
    assert loans["LD-001"].annual_rate == program("HO_NGHEO").annual_rate
    assert (
        loans["LD-001"].applied_on == loans["LD-001"].approved_on == date(2025, 3, 10)
    )
    assert loans["LD-001"].savings_group == group
    assert (
        loans["LD-001"].eligibility != "qualifies"
    )  # no review: the bank's list is why
    assert loans["LD-001"].override_reason in (
        "Giải ngân theo danh sách của ngân hàng",
        "Disbursed on the bank's list",
    )
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Loan)
    )
    assert entries.count() == 9  # applied, approved, disbursed: each loan
    batch.refresh_from_db()
    assert batch.status == DisbursementImportStatus.APPLIED and batch.applied_at
    assert batch.summary["result"] == {
        "created": 3,
        "skipped": 0,
        "amount": 130_000_000,
    }


def test_english_headings_numbers_and_names_are_read(official, households):
    row = disbursement_row(
        "hk001",  # codes are matched in upper case too
        "LD-9",
        program="Loans to poor households",
        amount=45_000_000,
        purpose="Coffee",
        term="36 tháng",
        disbursed="2025-03-10",
    )
    batch = preview(official, [row], headings=ENGLISH_HEADINGS)
    [parsed] = batch.rows
    assert batch.summary["new"] == 1 and parsed["household_code"] == "HK001"
    assert (parsed["program_code"], parsed["amount"]) == ("HO_NGHEO", 45_000_000)
    assert (parsed["purpose"], parsed["term_months"]) == ("coffee", 36)


# --- Row errors -------------------------------------------------------------------------


@pytest.fixture
def elsewhere(other_village, foreign_village):
    SavingsGroupFactory(village=other_village, name="Tổ buôn Tiêu")
    HouseholdFactory(village=foreign_village, code="HK900")  # another commune
    HouseholdFactory(village=other_village, code="HK800")
    program_ = program("NUOC_SACH")
    program_.is_active = False
    program_.save()
    disbursed_loan(
        household=HouseholdFactory(village=other_village, code="HK700"),
        contract_number="LD-OLD",
    )


ERROR_CASES = {
    "unknown code": ({"code": "KHONGCO"}, "Mã hộ", "unknown household code “KHONGCO”"),
    "other commune": ({"code": "HK900"}, "Mã hộ", "unknown household code “HK900”"),
    "missing code": ({"code": None}, "Mã hộ", "the household code is missing"),
    "unknown program": ({"program": "XYZ"}, "Mã chương trình", "unknown program"),
    "retired program": ({"program": "NUOC_SACH"}, "Mã chương trình", "is retired"),
    "group elsewhere": (
        {"group": "Tổ buôn Tiêu"},
        "Tổ TK&VV",
        "is not a savings group of Thôn 1",
    ),
    "not an amount": ({"amount": "năm mươi triệu"}, "Số tiền", "not a whole amount"),
    "fraction": ({"amount": 1_500_000.5}, "Số tiền", "not a whole amount"),
    "zero": ({"amount": 0}, "Số tiền", "must be more than zero"),
    "over cap": ({"amount": 150_000_000}, "Số tiền", "above the maximum"),
    "long term": ({"term": 121}, "Thời hạn (tháng)", "at most 120 months"),
    "bad date": ({"disbursed": "31/02/2025"}, "Ngày giải ngân", "is not a date"),
    "future date": ({"disbursed": "01/01/2099"}, "Ngày giải ngân", "in the future"),
    "due first": ({"due": "01/01/2025"}, "Ngày đến hạn", "must come after"),
    "due past term": ({"due": "10/03/2035"}, "Ngày đến hạn", "more than the term"),
    "last century": (
        {"disbursed": "10/03/1900"},
        "Ngày giải ngân",
        "before 01/01/2000",
    ),
    "absurd amount": (
        {"amount": "99.999.999.999.999.999.999"},
        "Số tiền",
        "too large",
    ),
    "bad purpose": ({"purpose": "du lịch"}, "Mục đích", "is not a purpose"),
    "no contract": ({"contract": " "}, "Số hợp đồng", "contract number is missing"),
    "twice": ({"contract": "LD-001"}, "Số hợp đồng", "appears again (first on row 2)"),
    "recorded differently": (
        {"contract": "LD-OLD"},
        "Số hợp đồng",
        "contract LD-OLD is already recorded for household HK700 with different",
    ),
}


@pytest.mark.parametrize("case", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_each_row_error_names_the_row_and_column_and_blocks_confirmation(
    official, households, elsewhere, case
):
    changes, column, fragment = case
    values = {"code": "HK002", "contract": "LD-002", **changes}
    bad = disbursement_row(values.pop("code"), values.pop("contract"), **values)
    batch = preview(official, [disbursement_row("HK001", "LD-001"), bad])

    assert batch.summary["new"] == 1 and batch.summary["error_rows"] == 1
    [message] = messages_of(batch)
    assert message.startswith(f"Row 3, column “{column}")
    assert fragment in message
    with pytest.raises(ValidationError, match="rows with errors"):
        disbursement_import_confirm(actor=official, batch=batch)
    assert Loan.objects.count() == 1  # LD-OLD only
    batch.refresh_from_db()
    assert batch.status == DisbursementImportStatus.PREVIEWED


def test_a_preview_with_errors_has_no_active_confirm_button(
    official_client, households
):
    rows = [
        disbursement_row("HK001", "LD-001"),
        disbursement_row("KHONGCO", "LD-2", amount="abc"),
    ]
    response = official_client.post(IMPORT_URL, {"file": disbursement_file(rows)})
    page = official_client.get(response["Location"]).content.decode()
    assert "Row 3, column “Mã hộ”: unknown household code “KHONGCO”." in page
    assert page.index("KHONGCO") < page.index("“abc” is not a whole amount")
    assert page.index("KHONGCO") < page.index("To be saved")  # errors come first
    assert "disabled" in page
    official_client.post(response["Location"], {"action": "confirm"})
    assert not Loan.objects.exists()


def test_a_formula_is_read_as_text_and_shown_escaped(official_client, households):
    formula = '=HYPERLINK("http://evil.example","HK001")'
    rows = [disbursement_row(formula, "LD-001")]
    response = official_client.post(IMPORT_URL, {"file": disbursement_file(rows)})
    batch = DisbursementImport.objects.get()
    assert "unknown household code “=HYPERLINK(" in messages_of(batch)[0]
    page = official_client.get(response["Location"]).content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in page
    assert '<a href="http://evil.example"' not in page


# --- Repeats, double submits, all or nothing ---------------------------------------------


def test_the_same_list_twice_records_nothing_twice(official, households):
    first = preview(official, three_rows())
    disbursement_import_confirm(actor=official, batch=first)
    assert Loan.objects.count() == 3

    again = preview(official, three_rows())
    assert (again.summary["new"], again.summary["recorded"]) == (0, 3)
    assert again.summary["errors"] == []
    again = disbursement_import_confirm(actor=official, batch=again)
    assert again.status == DisbursementImportStatus.APPLIED
    assert again.summary["result"]["created"] == 0 and Loan.objects.count() == 3

    overlapping = [*three_rows()[1:], disbursement_row("HK001", "LD-004", term=12)]
    batch = disbursement_import_confirm(
        actor=official, batch=preview(official, overlapping)
    )
    assert batch.summary["result"] == {"created": 1, "skipped": 2, "amount": 50_000_000}
    assert Loan.objects.count() == 4


def test_two_previews_of_one_list_confirmed_in_turn_save_once(official, households):
    first, second = preview(official, three_rows()), preview(official, three_rows())
    disbursement_import_confirm(actor=official, batch=first)
    second = disbursement_import_confirm(actor=official, batch=second)
    assert second.status == DisbursementImportStatus.APPLIED
    assert second.summary["result"]["skipped"] == 3 and Loan.objects.count() == 3


def test_a_double_submitted_confirmation_saves_once(official_client, households):
    response = official_client.post(
        IMPORT_URL, {"file": disbursement_file(three_rows())}
    )
    url = response["Location"]
    official_client.post(url, {"action": "confirm"})
    saved = DisbursementImport.objects.get()
    second = official_client.post(url, {"action": "confirm"}, follow=True)
    assert second.status_code == 200
    assert Loan.objects.count() == 3
    batch = DisbursementImport.objects.get()
    assert batch.applied_at == saved.applied_at  # the second submit changed nothing
    assert batch.summary["result"]["created"] == 3
    assert "3 loans recorded as disbursed (130.000.000" in second.content.decode()


def test_a_household_archived_after_the_preview_saves_nothing(
    official_client, official, households
):
    response = official_client.post(
        IMPORT_URL, {"file": disbursement_file(three_rows())}
    )
    household_archive(actor=official, household=households[1], reason="Chuyển đi")
    page = official_client.post(
        response["Location"], {"action": "confirm"}, follow=True
    ).content.decode()
    assert not Loan.objects.exists()
    batch = DisbursementImport.objects.get()
    assert batch.status == DisbursementImportStatus.FAILED
    assert batch.summary["apply_errors"] == [
        "Row 3, column “Household code”: household HK002 is archived."
    ]
    assert "Nothing was saved" in page and "household HK002 is archived." in page


def test_a_row_the_services_refuse_rolls_back_the_rows_before_it(
    official, households, monkeypatch
):
    batch = preview(official, three_rows())
    real = disbursements.loan_disburse

    def refuse_the_third(*, loan, **kwargs):
        if loan.contract_number == "LD-003":
            raise ValidationError("Ngân hàng chưa giải ngân.")
        return real(loan=loan, **kwargs)

    monkeypatch.setattr(disbursements, "loan_disburse", refuse_the_third)
    batch = disbursement_import_confirm(actor=official, batch=batch)
    assert batch.status == DisbursementImportStatus.FAILED
    assert batch.summary["apply_errors"] == ["Row 4: Ngân hàng chưa giải ngân."]
    assert not Loan.objects.exists()
    assert not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Loan)
    ).exists()
    with pytest.raises(ValidationError, match="no longer waiting"):
        disbursement_import_confirm(actor=official, batch=batch)


def test_discard_changes_nothing(official_client, households):
    response = official_client.post(
        IMPORT_URL, {"file": disbursement_file(three_rows())}
    )
    official_client.post(response["Location"], {"action": "discard"})
    assert DisbursementImport.objects.get().status == DisbursementImportStatus.DISCARDED
    official_client.post(response["Location"], {"action": "confirm"})
    assert not Loan.objects.exists()


# --- Files refused as a whole ------------------------------------------------------------


def test_files_that_cannot_be_trusted_are_refused_on_the_form(
    official_client, households, settings
):
    def refused(file):
        response = official_client.post(IMPORT_URL, {"file": file})
        assert response.status_code == 200
        return " ".join(response.context["form"].non_field_errors())

    bogus = SimpleUploadedFile("giai-ngan.xlsx", b"not a spreadsheet at all")
    assert "not an Excel workbook (.xlsx)" in refused(bogus)
    no_contract = xlsx_bytes([["Mã hộ", "Mã chương trình"], ["HK001", "X"]])
    message = refused(upload(no_contract))
    assert "missing the columns" in message and "“Contract number”" in message
    settings.DISBURSEMENT_IMPORT_MAX_ROWS = 2
    assert "more than 2 rows" in refused(disbursement_file(three_rows()))
    settings.IMPORT_MAX_FILE_BYTES = 1000
    assert "files up to 1000" in refused(disbursement_file(three_rows()))
    assert not DisbursementImport.objects.exists()


# --- Who may import -----------------------------------------------------------------------


def test_a_village_officer_gets_403_on_every_import_url(
    officer_client, official, households
):
    batch = preview(official, three_rows())
    url = reverse("loans:disbursement_import_preview", args=[batch.pk])
    assert officer_client.get(IMPORT_URL).status_code == 403
    assert officer_client.get(TEMPLATE_URL).status_code == 403
    assert officer_client.get(url).status_code == 403
    file = disbursement_file(three_rows())
    assert officer_client.post(IMPORT_URL, {"file": file}).status_code == 403
    assert officer_client.post(url, {"action": "confirm"}).status_code == 403
    assert not Loan.objects.exists() and DisbursementImport.objects.count() == 1


def test_only_the_uploader_sees_and_confirms_a_batch(
    client_for, official, commune, households
):
    batch = preview(official, three_rows(), name="cua-toi.xlsx")
    colleague = client_for(UserFactory(username="dongnghiep", commune=commune))
    url = reverse("loans:disbursement_import_preview", args=[batch.pk])
    assert colleague.get(url).status_code == 404
    assert colleague.post(url, {"action": "confirm"}).status_code == 404
    assert "cua-toi.xlsx" not in colleague.get(IMPORT_URL).content.decode()
    assert "cua-toi.xlsx" in client_for(official).get(IMPORT_URL).content.decode()
    assert not Loan.objects.exists()


@pytest.mark.parametrize("size", [3, 30])
def test_upload_and_preview_cost_the_same_queries_at_any_size(
    official_client, village, group, size, django_assert_max_num_queries
):
    for n in range(size):
        HouseholdFactory(village=village, code=f"HK{n:03d}")
    rows = [disbursement_row(f"HK{n:03d}", f"LD-{n}") for n in range(size)]
    with django_assert_max_num_queries(9):
        response = official_client.post(IMPORT_URL, {"file": disbursement_file(rows)})
    with django_assert_max_num_queries(3):
        page = official_client.get(response["Location"]).content.decode()
    assert f"{size} rows: {size} new loans" in page
