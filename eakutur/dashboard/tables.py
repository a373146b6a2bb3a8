"""The one shape every dashboard block returns.

A ``Table`` is what the page shows beside a chart (accessible, exportable); its
optional ``Chart`` says how to draw it; each row may carry a ``link`` (the filtered
list behind a bar) per series. Views render any table the same way and export any
table to XLSX the same way, so a new block needs no view code.
"""

from dataclasses import dataclass, field
from typing import Any


class Kind:
    TEXT = "text"
    COUNT = "count"
    VND = "vnd"
    PERCENT = "percent"  # a number 0-100, shown with one decimal


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = Kind.COUNT


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar", "stacked" (stacked bars) or "line"
    label_key: str  # the column naming each bar or point
    series: tuple[str, ...]  # the columns drawn
    horizontal: bool = False


@dataclass(frozen=True)
class Row:
    values: dict[str, Any]
    links: dict[str, str] = field(default_factory=dict)  # column key -> URL
    marked: bool = False  # e.g. an ethnic-minority hamlet, drawn differently


@dataclass(frozen=True)
class Table:
    slug: str  # unique on the page: the anchor and the export's file name
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row | None = None
    chart: Chart | None = None
    note: str = ""  # how the figures are counted, in a sentence
    marked_label: str = ""  # what a marked row means ("ethnic-minority hamlet")


@dataclass(frozen=True)
class KeyFigure:
    slug: str
    label: str
    value: int | float | None
    kind: str = Kind.COUNT
    detail: str = ""  # e.g. "+12 since the 2024 review"
    link: str = ""  # the list behind the figure


@dataclass(frozen=True)
class Block:
    slug: str
    title: str
    figures: tuple[KeyFigure, ...] = ()
    tables: tuple[Table, ...] = ()
