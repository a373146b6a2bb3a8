"""The shape of the demo loan book: the commune's reported figures, how each program
lends (amounts, terms, purposes), and the words officials write on the records.

Plain data only. Amounts are in millions of đồng (the book lends round millions); the
planner multiplies them out. Weights are relative, as ``households.demo.pick`` takes them.
"""

from datetime import date

# --- The figures the demo must reproduce (at households.demo.DEFAULT_HOUSEHOLDS) ------

WINDOW = (date(2025, 1, 1), date(2025, 9, 30))  # the commune's nine-month report
WINDOW_HOUSEHOLDS = 3880  # distinct households with a loan disbursed in the window
WINDOW_AMOUNT = 147_240_000_000  # disbursed in the window: "over 147 billion"
OUTSTANDING_ON = date(2024, 12, 31)
OUTSTANDING = 168_200_000_000  # principal outstanding at the end of 2024
OVERDUE_SHARE = 0.025  # of the disbursed loans: past due with principal left today
PENDING = {"applied": 14, "approved": 9, "rejected": 22}  # at the default size
BOOK_STARTS = date(2019, 1, 1)
MILLION = 1_000_000

# --- Program codes (loans/data/loan_programs.csv) ---------------------------------------

POOR_LOAN = "HO_NGHEO"
NEAR_LOAN = "HO_CAN_NGHEO"
ESCAPED_LOAN = "HO_MOI_THOAT_NGHEO"
AREA_LOAN = "SXKD_VKK"  # production in disadvantaged areas
JOB_LOAN = "VIEC_LAM"
WATER_LOAN = "NUOC_SACH"
STUDENT_LOAN = "HSSV"
HOUSING_LOAN = "ND28_NHA_O"
PROGRAMS = (POOR_LOAN, NEAR_LOAN, ESCAPED_LOAN, AREA_LOAN, JOB_LOAN, WATER_LOAN,
            STUDENT_LOAN, HOUSING_LOAN)  # fmt: skip

# Loans disbursed up to 2022 were smaller: the caps rose in 2023.
_OLD_LIST = {20: 6, 30: 16, 40: 24, 50: 34, 60: 10, 70: 4, 80: 4, 100: 2}
_NEW_LIST = {30: 8, 40: 16, 50: 28, 60: 16, 70: 10, 80: 12, 100: 10}
_TERMS = {24: 8, 36: 30, 48: 20, 60: 42}
_SHORT_TERMS = {36: 45, 48: 20, 60: 35}  # programs that lend for at most 60 months


class Lending:
    """How a program lends: amounts (millions) before and from 2023, terms, and the
    principal: every ``period`` months after ``grace`` months (None: half the term)."""

    def __init__(self, old, new, terms, *, period=12, grace=0, least=10) -> None:
        self.old, self.new, self.terms = old, new, terms
        self.period, self.grace, self.least = period, grace, least

    def amounts(self, year: int) -> dict[int, int]:
        return self.old if year <= 2022 else self.new


LENDING = {
    POOR_LOAN: Lending(_OLD_LIST, _NEW_LIST, _TERMS),
    NEAR_LOAN: Lending(_OLD_LIST, _NEW_LIST, _TERMS),
    ESCAPED_LOAN: Lending(
        {30: 15, 40: 25, 50: 40, 60: 12, 80: 8},
        {30: 10, 40: 20, 50: 35, 60: 15, 80: 12, 100: 8},
        _SHORT_TERMS,
    ),
    AREA_LOAN: Lending(
        {20: 18, 30: 32, 40: 24, 50: 18, 60: 6, 80: 2},
        {20: 30, 30: 38, 40: 20, 50: 8, 60: 3, 80: 1},
        _SHORT_TERMS,
    ),
    JOB_LOAN: Lending(
        {20: 10, 30: 26, 40: 24, 50: 26, 60: 8, 80: 4, 100: 2},
        {20: 26, 30: 36, 40: 22, 50: 12, 60: 3, 80: 1},
        _SHORT_TERMS,
    ),
    WATER_LOAN: Lending(
        {10: 10, 12: 6, 15: 22, 18: 6, 20: 40, 25: 16},
        {10: 6, 12: 4, 15: 16, 18: 6, 20: 38, 25: 30},
        {36: 20, 48: 20, 60: 60},
        least=5,
    ),
    # A year of study at 3-4 million a month; repaid after the course, twice a year.
    STUDENT_LOAN: Lending(
        {20: 20, 30: 35, 40: 35, 50: 10},
        {20: 10, 30: 30, 40: 40, 50: 20},
        {48: 40, 60: 40, 72: 20},
        period=6,
        grace=None,
    ),
    # Decree 28/2022: five years' grace on the principal.
    HOUSING_LOAN: Lending({40: 100}, {30: 30, 40: 70}, {120: 50, 180: 50}, grace=60),
}

# --- What the money is for ------------------------------------------------------------

# households.models.Crop -> loans.models.Purpose
CROP_PURPOSE = {"coffee": "coffee", "pepper": "pepper", "durian": "durian",
                "livestock": "livestock", "rice": "crops", "maize": "crops",
                "cassava": "crops", "fruit": "crops", "other": "crops"}  # fmt: skip
PROGRAM_PURPOSE = {
    JOB_LOAN: {"job": 45, "trade": 25, "livestock": 20, "other": 10},
    WATER_LOAN: {"water": 1},
    STUDENT_LOAN: {"study": 1},
    HOUSING_LOAN: {"housing": 1},
}
# Poor families raise cows, pigs and chickens first; some open a small shop.
EXTRA_PURPOSE = {POOR_LOAN: {"livestock": 3, "trade": 1},
                 NEAR_LOAN: {"livestock": 2, "trade": 1}}  # fmt: skip

# --- Disbursement calendar ------------------------------------------------------------

# Most money goes out before the coffee and pepper fertilising of the rainy season.
WINDOW_MONTHS = {1: 8, 2: 10, 3: 14, 4: 13, 5: 12, 6: 11, 7: 11, 8: 10, 9: 11}
OLDER_YEARS = {2019: 6, 2020: 12, 2021: 20, 2022: 26, 2023: 22, 2024: 14}
RUNNING_YEARS = {2021: 10, 2022: 26, 2023: 38, 2024: 26}  # loans still open in 2025
# A household borrowing in 2025 often repaid a loan that fell due shortly before.
ROLLOVER_SHARE = 0.65
RUNNING_SHARE = 0.45  # ... or has a loan of another program running through 2025
ROLLOVER_TERMS = {24: 10, 36: 45, 48: 15, 60: 30}
BULLET_SHARE = 0.2  # loans of up to 36 months repaid in one go at the end

# --- Savings groups --------------------------------------------------------------------

ORGANISATIONS = {"womens_union": 40, "farmers": 34, "veterans": 14, "youth_union": 12}
ORGANISATION_SHORT = {
    "womens_union": "Hội Phụ nữ",
    "farmers": "Hội Nông dân",
    "veterans": "Hội Cựu chiến binh",
    "youth_union": "Đoàn Thanh niên",
}
SAVERS_SHARE = 0.25  # households that save in a group without borrowing

# --- Words on the records (Vietnamese: they are part of the record) ---------------------

OVERRIDES = {
    "paper": "Nhập lại từ sổ vay giấy: hộ có tên trong danh sách của xã năm %(year)s, "
    "Ngân hàng CSXH đã xét duyệt theo hồ sơ.",
    "escaped": "Hộ mới thoát nghèo theo quyết định công nhận của UBND xã (hồ sơ lưu "
    "tại xã); Ngân hàng CSXH xét duyệt theo hồ sơ.",
    AREA_LOAN: "Thôn thuộc danh sách thôn khó khăn của tỉnh; Ngân hàng CSXH xét duyệt "
    "theo hồ sơ.",
    JOB_LOAN: "Phương án tạo việc làm đã được Ngân hàng CSXH thẩm định.",
    WATER_LOAN: "Tổ TK&VV đã kiểm tra thực tế: hộ xây mới công trình nước sạch, nhà "
    "tiêu hợp vệ sinh.",
    STUDENT_LOAN: "Hộ gặp khó khăn đột xuất về tài chính, có xác nhận của UBND xã.",
    "more": "Vay bổ sung trong mức cho vay tối đa của chương trình.",
    "overdue": "Tổ TK&VV và Ngân hàng CSXH đã xem xét khoản nợ quá hạn của hộ.",
    "other": "Ngân hàng CSXH xét duyệt theo hồ sơ.",
}
REJECTIONS = {
    "not_eligible": "Hộ không thuộc đối tượng thụ hưởng của chương trình.",
    "overdue": "Hộ đang còn nợ quá hạn tại Ngân hàng CSXH.",
    "other": (
        "Phương án sử dụng vốn chưa khả thi, tổ đề nghị bổ sung.",
        "Hộ rút hồ sơ, không còn nhu cầu vay vốn.",
        "Nguồn vốn của chương trình trong năm đã hết, chuyển sang đợt sau.",
        "Hộ chưa tham gia sinh hoạt tổ TK&VV đủ thời gian theo quy định.",
    ),
}
ROLLOVER_NOTE = "Vay mới sau khi tất toán khoản vay %(contract)s."
REVERSAL_REASON = "Ghi trùng phiếu thu ngày %(day)s."
