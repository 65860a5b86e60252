"""The XLSX template of an import: its headers, one example row, a drop-down list for each
column with choices, and a note on each header saying what the column takes."""

from __future__ import annotations

import tempfile

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

#: Rows of the sheet the drop-down lists cover.
VALIDATED_ROWS = 10_000


def template_file(table):
    """A temporary file (rewound) holding the template workbook of ``table``."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(table.verbose_name_plural).capitalize()[:31]
    lists = book.create_sheet("Lists")
    columns = table.importable()
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = Font(bold=True)
        note = column.note + (" Required." if column.required else "")
        if column.choices:
            note += " One of: " + ", ".join(label for _, label in column.choices) + "."
        header.comment = Comment(note.strip(), "Import template")
        example = sheet.cell(row=2, column=index, value=column.example or None)
        example.data_type = "s"
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 4)
        if column.choices:
            for row, (_, label) in enumerate(column.choices, start=1):
                lists.cell(row=row, column=index, value=label)
            validation = DataValidation(
                type="list",
                formula1=f"=Lists!${letter}$1:${letter}${len(column.choices)}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=column.header,
                error=note.strip(),
            )
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"
    sheet.freeze_panes = "A2"
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the response closes it)
    book.save(handle)
    handle.seek(0)
    return handle
