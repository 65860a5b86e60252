"""Reading an uploaded spreadsheet without trusting it.

Only CSV (UTF-8, UTF-8 with a byte-order mark, Windows-1252) and XLSX are read. Every limit is
checked before the expensive step it protects: the upload's size before anything is read, an
XLSX's declared expanded size before openpyxl opens it (Python's zip reader never inflates a
member past its declared size, so the declaration is a bound, not a hint), a CSV line's length
while it is read. Rows are yielded one at a time, so memory does not grow with the file.

Row numbers are the spreadsheet's: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

CSV = "csv"
XLSX = "xlsx"
FORMATS = {CSV: "CSV", XLSX: "Excel (XLSX)"}

AUTO = "auto"
ENCODINGS = {
    AUTO: "Detect",
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "cp1252": "Windows-1252",
}

#: A cell that a spreadsheet would run as a formula (see ``exporting``); written out with a
#: leading apostrophe, which the importer takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file cannot be read at all: its message is shown to the clerk as it is."""


def limit(name: str) -> int:
    return int(getattr(settings, name))


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None = None


def format_of(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ImportFileError(
            f"“{filename}” is not a CSV or XLSX file: only those two formats are imported."
        )
    return extension


def check_size(size: int) -> None:
    max_mb = limit("IMPORT_MAX_MB")
    if size > max_mb * 1024 * 1024:
        raise ImportFileError(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is {max_mb} MB. "
            "Split it into smaller files."
        )


def open_sheet(fileobj, fmt: str, encoding: str = AUTO) -> Sheet:
    """The header and a stream of rows of a binary, seekable file object."""
    if fmt == CSV:
        return _csv_sheet(fileobj, encoding)
    if fmt == XLSX:
        return _xlsx_sheet(fileobj)
    raise ImportFileError(f"Unknown format “{fmt}”: only CSV and XLSX are imported.")


def unescape(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def _limits() -> tuple[int, int, int]:
    """(columns, characters in a cell, characters in a row): read once per sheet."""
    return (
        limit("IMPORT_MAX_COLUMNS"),
        limit("IMPORT_MAX_CELL_CHARS"),
        limit("IMPORT_MAX_ROW_CHARS"),
    )


def _check_row(number: int, cells: list[str], limits=None) -> list[str]:
    max_columns, max_cell, max_row = limits or _limits()
    if len(cells) > max_columns:
        raise ImportFileError(
            f"Row {number} has {len(cells)} columns; at most {max_columns} are read."
        )
    total = sum(map(len, cells))
    if total > max_cell:  # only then can one cell be longer than a cell may be
        for index, cell in enumerate(cells):
            if len(cell) > max_cell:
                raise ImportFileError(
                    f"Row {number}, column {index + 1}: the cell holds {len(cell):,} "
                    f"characters; at most {max_cell:,} are allowed."
                )
    if total > max_row:
        raise ImportFileError(
            f"Row {number} holds {total:,} characters; at most {max_row:,} are allowed in one row."
        )
    return [unescape(cell) if cell[:1] == "'" else cell for cell in map(str.strip, cells)]


# --- CSV ----------------------------------------------------------------------------------


def detect_encoding(fileobj) -> str:
    """UTF-8 with or without BOM when every byte decodes as such, else Windows-1252."""
    fileobj.seek(0)
    head = fileobj.read(3)
    if head == codecs.BOM_UTF8:
        fileobj.seek(0)
        return "utf-8-sig"
    fileobj.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := fileobj.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8"
    except UnicodeDecodeError:
        encoding = "cp1252"
    fileobj.seek(0)
    return encoding


class _RowTooLong(Exception):
    pass


def _limited_lines(text, max_chars: int):
    while True:
        line = text.readline(max_chars + 1)
        if not line:
            return
        if len(line) > max_chars:
            raise _RowTooLong
        yield line


def _csv_sheet(fileobj, encoding: str) -> Sheet:
    if encoding == AUTO:
        encoding = detect_encoding(fileobj)
    elif encoding not in ENCODINGS:
        raise ImportFileError(f"Unknown encoding “{encoding}”.")
    fileobj.seek(0)
    # Undecodable bytes become stand-ins, found row by row below: the error names its row.
    text = io.TextIOWrapper(fileobj, encoding=encoding, errors="surrogateescape", newline="")
    max_row = limit("IMPORT_MAX_ROW_CHARS")
    reader = csv.reader(_limited_lines(text, max_row))
    state = {"number": 1}

    def read():
        try:
            return next(reader, None)
        except _RowTooLong:
            raise ImportFileError(
                f"Row {state['number']} is longer than {max_row:,} characters: "
                "it is not read (is it a CSV file with one record per line?)."
            ) from None
        except csv.Error as error:
            raise ImportFileError(f"Row {state['number']} cannot be read: {error}.") from None

    def decoded(number: int, cells: list[str]) -> list[str]:
        try:
            "".join(cells).encode("utf-8")
        except UnicodeEncodeError:
            raise ImportFileError(
                f"Row {number} is not valid {ENCODINGS[encoding]} text: save the "
                "file as UTF-8, or choose the encoding it was saved in."
            ) from None
        return cells

    header = read()
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError("The file is empty: the first row must name the columns.")
    headers = _check_row(1, decoded(1, header))

    limits = _limits()

    def rows():
        while True:
            state["number"] += 1
            cells = read()
            if cells is None:
                return
            if not "".join(cells).strip():
                continue
            number = state["number"]
            yield number, _check_row(number, decoded(number, cells), limits)

    return Sheet(headers=headers, rows=rows(), encoding=encoding)


# --- XLSX ---------------------------------------------------------------------------------


def check_xlsx(fileobj) -> None:
    """Refuse an XLSX by its zip directory alone: bad, too many parts, or expanding too far."""
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError):
        raise ImportFileError("The file is not a readable XLSX workbook.") from None
    with archive:
        members = archive.infolist()
        if len(members) > limit("IMPORT_XLSX_MAX_PARTS"):
            raise ImportFileError(f"The workbook has {len(members):,} parts: refused.")
        if "xl/workbook.xml" not in {member.filename for member in members}:
            raise ImportFileError("The file is not an XLSX workbook (no xl/workbook.xml).")
        expanded = sum(member.file_size for member in members)
        max_expanded = limit("IMPORT_XLSX_MAX_EXPANDED_MB") * 1024 * 1024
        if expanded > max_expanded:
            raise ImportFileError(
                f"The workbook expands to {expanded / 1024 / 1024:,.0f} MB when opened; at "
                f"most {max_expanded // 1024 // 1024} MB are read. Save it as CSV, or split it."
            )
        max_ratio = limit("IMPORT_XLSX_MAX_RATIO")
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > max_ratio:
                raise ImportFileError(
                    f"Part {member.filename} of the workbook expands {ratio:,.0f} times: "
                    "refused as a compression bomb."
                )
    fileobj.seek(0)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _xlsx_sheet(fileobj) -> Sheet:
    import openpyxl

    check_xlsx(fileobj)
    try:
        book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
        values = book.active.iter_rows(values_only=True)
        header = next(values, None)
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError("The file is not a readable XLSX workbook.") from None
    if not header or not any(cell not in (None, "") for cell in header):
        raise ImportFileError("The sheet is empty: the first row must name the columns.")
    max_columns = limit("IMPORT_MAX_COLUMNS")
    headers = _check_row(1, [cell_text(cell) for cell in header[: max_columns + 1]])
    while headers and not headers[-1]:
        headers.pop()

    limits = _limits()

    def rows():
        number = 1
        try:
            for raw in values:
                number += 1
                cells = [cell_text(cell) for cell in raw[: max_columns + 1]]
                while cells and not cells[-1]:
                    cells.pop()
                if not cells:
                    continue
                yield number, _check_row(number, cells, limits)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(f"Row {number} of the workbook cannot be read.") from None
        finally:
            book.close()

    return Sheet(headers=headers, rows=rows())
