"""Writing rows to CSV and XLSX so that a spreadsheet opens them as data, never as formulas.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run
as a formula by Excel or LibreOffice (CSV injection): in CSV it is written with a leading
apostrophe (which the importer takes off again), in XLSX as a string cell. Plain numbers
(``-12.50``) are numbers, not formulas, and are written as they are.

Both writers take the rows as an iterator and keep constant memory: CSV is streamed as it is
written, XLSX is built by openpyxl's write-only workbook in a temporary file.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import timezone

from realestate.core.importing.files import FORMULA_STARTS

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_formula_like(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_STARTS and not _NUMBER.match(text)


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="seconds")
    text = str(value)
    return "'" + text if is_formula_like(text) else text


class _Echo:
    def write(self, value):
        return value


def csv_stream(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text, line by line, with a byte-order mark so Excel reads it as UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def _xlsx_value(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return "" if value is None else str(value)


def xlsx_file(headers: list[str], rows: Iterable[list], title: str = "Export"):
    """A temporary file holding the workbook (rewound), built in constant memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])

    def cells(values):
        out = []
        for raw in values:
            value = _xlsx_value(raw)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # openpyxl would take "=…" for a formula
                out.append(cell)
            else:
                out.append(value)
        return out

    sheet.append(cells(headers))
    for row in rows:
        sheet.append(cells(row))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the caller closes it)
    book.save(handle)
    handle.seek(0)
    return handle
