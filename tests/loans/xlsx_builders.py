"""Disbursement-list files built in memory for the import tests."""

from tests.households.xlsx_builders import upload, xlsx_bytes

HEADINGS = [
    "Mã hộ",
    "Mã chương trình",
    "Tổ TK&VV",
    "Số hợp đồng",
    "Số tiền giải ngân (đồng)",
    "Mục đích",
    "Thời hạn (tháng)",
    "Ngày giải ngân",
    "Ngày đến hạn",
]
ENGLISH_HEADINGS = [
    "Household code",
    "Program code",
    "Savings group",
    "Contract number",
    "Amount disbursed (VND)",
    "Purpose",
    "Term (months)",
    "Disbursement date",
    "Due date",
]
GROUP = "Tổ phụ nữ thôn 1"


def disbursement_row(
    code,
    contract,
    *,
    program="HO_NGHEO",
    group=GROUP,
    amount="50.000.000",
    purpose="cà phê",
    term=36,
    disbursed="10/03/2025",
    due=None,
):
    """The cells of one row, in the order of ``HEADINGS``."""
    return [code, program, group, contract, amount, purpose, term, disbursed, due]


def disbursement_file(rows, *, headings=None, name="giai-ngan-2025.xlsx"):
    """An upload with the template's headings and these rows."""
    return upload(xlsx_bytes([headings or HEADINGS, *rows], title="Giải ngân"), name)
