"""The columns of the review list and how the file's headings are matched to them.

``Column`` fixes the headings of the template (Vietnamese and English) and the aliases
officials write instead. Headings are compared after ``_norm`` (folded diacritics, no
punctuation, single spaces), with or without a trailing "(unit)". ``_Layout`` records
where each known column and indicator sits in the file; ``_status_table`` maps every
way of writing a poverty status to its value.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import translation

from ..models import PovertyStatus
from ..text import english_active, fold


@dataclass(frozen=True)
class Column:
    """A column of the review list. ``vi`` and ``en`` are the headings of the template;
    both are fixed here rather than taken from the catalogue, so a re-worded translation
    can never stop a filled-in template from importing."""

    key: str
    vi: str
    en: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def title(self) -> str:
        return self.en if english_active() else self.vi


CODE = Column("code", "Mã hộ", "Household code", True, ("Mã hộ gia đình", "Code"))
HEAD = Column("head_name", "Chủ hộ", "Head of household", False, ("Họ tên chủ hộ",))
YEAR = Column("year", "Năm", "Year", True, ("Năm rà soát", "Review year"))
INCOME = Column(
    "income",
    "Thu nhập bình quân/người/tháng",
    "Income per person per month (VND)",
    True,
    ("Thu nhập bình quân", "Thu nhập", "Income per person", "Income"),
)
STATUS = Column("status", "Tình trạng", "Status", False, ("Poverty status",))
REASON = Column(
    "override_reason", "Lý do điều chỉnh", "Override reason", False, ("Lý do",)
)
NOTES = Column("notes", "Ghi chú", "Notes", False, ("Note",))
COLUMNS = (CODE, HEAD, YEAR, INCOME, STATUS, REASON, NOTES)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


# The statuses as officials write them, whatever the catalogue says.
STATUS_ALIASES = {
    PovertyStatus.POOR: ("nghèo", "hộ nghèo"),
    PovertyStatus.NEAR_POOR: ("cận nghèo", "hộ cận nghèo"),
    PovertyStatus.ESCAPED_POOR: ("thoát nghèo", "hộ thoát nghèo"),
    PovertyStatus.ESCAPED_NEAR_POOR: ("thoát cận nghèo", "hộ thoát cận nghèo"),
    PovertyStatus.AVERAGE: (
        "mức sống trung bình",
        "hộ có mức sống trung bình",
        "hộ mức sống trung bình",
    ),
    PovertyStatus.NONE: ("không nghèo", "hộ không nghèo"),
}


def _norm(text) -> str:
    text = fold(str(text)).replace("_", " ").replace("-", " ").replace("*", "")
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip(" :")


def _keys(text) -> set[str]:
    """A heading and the same heading without a trailing "(unit)"."""
    return {_norm(text), _norm(re.sub(r"\([^)]*\)\s*$", "", str(text)))} - {""}


def _status_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for value in PovertyStatus.values:
        table.setdefault(_norm(value), value)
    for value, aliases in STATUS_ALIASES.items():
        for alias in aliases:
            table.setdefault(_norm(alias), value)
    for language in ("vi", "en", translation.get_language() or "vi"):
        with translation.override(language):
            for value, label in PovertyStatus.choices:
                table.setdefault(_norm(label), value)
    return table


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _display(value) -> str:
    """A cell value quoted back in an error message."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return _text(value)[:50]


@dataclass
class _Layout:
    header_row: int = 1
    width: int = 0
    columns: dict[str, int] = field(default_factory=dict)  # column key -> index
    indicators: dict[str, int] = field(default_factory=dict)  # indicator code -> index
    titles: dict[int, str] = field(default_factory=dict)  # index -> heading as written
    duplicate: tuple[str, int, int] | None = (
        None  # (heading, first index, second index)
    )

    @property
    def size(self) -> int:
        return len(self.columns) + len(self.indicators)

    def title(self, key: str) -> str:
        """The heading of a column as the file writes it, for error messages."""
        index = self.columns.get(key, self.indicators.get(key))
        if index is not None:
            return self.titles[index]
        return COLUMNS_BY_KEY[key].title() if key in COLUMNS_BY_KEY else key


def _heading_lookup(indicators) -> dict[str, tuple[str, str]]:
    """Folded heading -> ("column", key) or ("indicator", code)."""
    lookup: dict[str, tuple[str, str]] = {}
    for column in COLUMNS:
        for text in (column.vi, column.en, *column.aliases):
            for key in _keys(text):
                lookup.setdefault(key, ("column", column.key))
    for indicator in indicators:
        for text in (indicator.name_vi, indicator.name_en, indicator.code):
            for key in _keys(text):
                lookup.setdefault(key, ("indicator", indicator.code))
    return lookup


def _layout_of(cells, number: int, lookup) -> _Layout:
    layout = _Layout(header_row=number)
    found: dict[tuple[str, str], int] = {}
    for index, cell in enumerate(cells):
        heading = _text(getattr(cell, "value", None))
        target = next((lookup[k] for k in _keys(heading) if k in lookup), None)
        if target is None:
            continue
        if target in found:
            layout.duplicate = layout.duplicate or (heading, found[target], index)
            continue
        found[target] = index
        layout.titles[index] = heading
        kind, key = target
        (layout.columns if kind == "column" else layout.indicators)[key] = index
    layout.width = max(found.values(), default=-1) + 1
    return layout
