"""Review-list files built in memory for the import tests."""

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from households.models import DeprivationIndicator

HEADINGS = [
    "Mã hộ",
    "Chủ hộ",
    "Năm",
    "Thu nhập bình quân/người/tháng",
    # one column per indicator goes here
    "Tình trạng",
    "Lý do điều chỉnh",
    "Ghi chú",
]


def indicator_headings() -> list[tuple[str, str]]:
    """(code, Vietnamese name) of every indicator, in the order of the standard."""
    return list(
        DeprivationIndicator.objects.order_by("sort_order").values_list(
            "code", "name_vi"
        )
    )


def review_row(
    code,
    year,
    income,
    deprivations=(),
    *,
    head="",
    status="",
    reason="",
    notes="",
    indicators=None,
):
    indicators = indicators if indicators is not None else indicator_headings()
    marks = ["x" if c in deprivations else None for c, _name in indicators]
    return [code, head, year, income, *marks, status, reason, notes]


def review_headings(indicators=None) -> list[str]:
    indicators = indicators if indicators is not None else indicator_headings()
    return [*HEADINGS[:4], *(name for _c, name in indicators), *HEADINGS[4:]]


def xlsx_bytes(rows, *, write_only: bool = False, title: str = "Rà soát") -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet(title) if write_only else workbook.active
    if not write_only:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "ra-soat-2025.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def review_file(rows, *, headings=None, name="ra-soat-2025.xlsx") -> SimpleUploadedFile:
    """An upload with the template's headings and these rows (see ``review_row``)."""
    return upload(xlsx_bytes([headings or review_headings(), *rows]), name)


def with_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook, its first sheet declaring the size ``ref`` (files can lie)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"\s*/>',
                    f'<dimension ref="{ref}"/>'.encode(),
                    content,
                )
                assert f'<dimension ref="{ref}"/>'.encode() in content
            target.writestr(item, content)
    return buffer.getvalue()


def with_extra_member(data: bytes, name: str, size: int) -> bytes:
    """The same workbook with a highly compressible extra file inside the zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, bytes(size))
    return buffer.getvalue()
