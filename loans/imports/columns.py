"""The columns of the bank's disbursement list and how a file's headings are matched.

The headings of the template are fixed here in Vietnamese and English (not taken from the
catalogue, so a re-worded translation never stops a filled-in template from importing),
with the aliases officials and the bank write instead. Headings are compared folded
(``households.imports.columns._norm``: no diacritics, no punctuation, single spaces), with
or without a trailing "(unit)". ``_purpose_table`` maps every way of writing a purpose to
its ``Purpose`` value.
"""

from dataclasses import dataclass, field

from django.utils import translation

from households.imports.columns import Column, _keys, _norm, _text

from ..models import Purpose

CODE = Column("household_code", "Mã hộ", "Household code", True, ("Mã hộ gia đình",))
PROGRAM = Column(
    "program",
    "Mã chương trình",
    "Program code",
    True,
    ("Chương trình", "Chương trình vay", "Program", "Loan program"),
)
GROUP = Column(
    "group",
    "Tổ TK&VV",
    "Savings group",
    True,
    (
        "Tổ tiết kiệm và vay vốn",
        "Tổ TKVV",
        "Tên tổ",
        "Tổ",
        "Savings group name",
        "Savings and loan group",
    ),
)
CONTRACT = Column(
    "contract_number",
    "Số hợp đồng",
    "Contract number",
    True,
    ("Số HĐ", "Số khế ước", "Số hợp đồng tín dụng", "Contract no", "Contract"),
)
AMOUNT = Column(
    "amount",
    "Số tiền giải ngân (đồng)",
    "Amount disbursed (VND)",
    True,
    ("Số tiền giải ngân", "Số tiền", "Số tiền vay", "Amount", "Amount disbursed"),
)
PURPOSE = Column(
    "purpose",
    "Mục đích",
    "Purpose",
    True,
    ("Mục đích vay", "Mục đích sử dụng vốn", "Loan purpose"),
)
TERM = Column(
    "term_months",
    "Thời hạn (tháng)",
    "Term (months)",
    True,
    ("Thời hạn", "Thời hạn vay", "Số tháng", "Term"),
)
DISBURSED = Column(
    "disbursed_on",
    "Ngày giải ngân",
    "Disbursement date",
    True,
    ("Ngày GN", "Disbursed on", "Date disbursed"),
)
DUE = Column(
    "due_on",
    "Ngày đến hạn",
    "Due date",
    False,
    ("Hạn trả", "Ngày đáo hạn", "Ngày hết hạn", "Due on"),
)
COLUMNS = (CODE, PROGRAM, GROUP, CONTRACT, AMOUNT, PURPOSE, TERM, DISBURSED, DUE)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}

# The purposes as officials and the bank write them, whatever the catalogue says.
PURPOSE_ALIASES = {
    Purpose.COFFEE: ("cà phê", "trồng cà phê", "chăm sóc cà phê"),
    Purpose.PEPPER: ("hồ tiêu", "tiêu", "trồng tiêu"),
    Purpose.DURIAN: ("sầu riêng", "trồng sầu riêng"),
    Purpose.OTHER_CROPS: ("cây trồng khác", "trồng trọt"),
    Purpose.LIVESTOCK: ("chăn nuôi", "nuôi bò", "nuôi heo", "nuôi lợn"),
    Purpose.WATER_SANITATION: (
        "nước sạch",
        "nhà tiêu",
        "nước sạch và vệ sinh môi trường",
        "nước sạch hoặc nhà tiêu",
    ),
    Purpose.HOUSING: ("nhà ở", "làm nhà", "sửa nhà"),
    Purpose.LAND: ("đất ở",),
    Purpose.STUDY: ("học tập", "học phí"),
    Purpose.TRADE: ("kinh doanh", "buôn bán", "thương mại dịch vụ", "dịch vụ"),
    Purpose.JOB: ("việc làm", "tạo việc làm"),
    Purpose.OTHER: ("khác",),
}


def _purpose_table() -> dict[str, str]:
    """Folded code, label (Vietnamese, English, the active language) or alias -> value."""
    table: dict[str, str] = {}
    for value in Purpose.values:
        table.setdefault(_norm(value), value)
    for value, aliases in PURPOSE_ALIASES.items():
        for alias in aliases:
            table.setdefault(_norm(alias), value)
    for language in ("vi", "en", translation.get_language() or "vi"):
        with translation.override(language):
            for value, label in Purpose.choices:
                table.setdefault(_norm(label), value)
    return table


def _purpose_label_vi(value: str) -> str:
    with translation.override("vi"):
        return str(Purpose(value).label)


@dataclass
class _Layout:
    """Where each known column sits in the file: ``columns`` key -> index, ``titles``
    index -> heading as the file writes it (quoted back in messages)."""

    header_row: int = 1
    width: int = 0
    columns: dict[str, int] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    duplicate: tuple[str, int, int] | None = None  # (heading, first, second index)

    def title(self, key: str) -> str:
        index = self.columns.get(key)
        if index is not None:
            return self.titles[index]
        return COLUMNS_BY_KEY[key].title()


def _heading_lookup() -> dict[str, str]:
    """Folded heading -> column key."""
    lookup: dict[str, str] = {}
    for column in COLUMNS:
        for text in (column.vi, column.en, *column.aliases):
            for key in _keys(text):
                lookup.setdefault(key, column.key)
    return lookup


def _layout_of(cells, number: int, lookup: dict[str, str]) -> _Layout:
    layout = _Layout(header_row=number)
    for index, cell in enumerate(cells):
        heading = _text(getattr(cell, "value", None))
        key = next((lookup[k] for k in _keys(heading) if k in lookup), None)
        if key is None:
            continue
        if key in layout.columns:
            first = layout.columns[key]
            layout.duplicate = layout.duplicate or (heading, first, index)
            continue
        layout.columns[key] = index
        layout.titles[index] = heading
    layout.width = max(layout.columns.values(), default=-1) + 1
    return layout
