"""What an import writes, in bulk: the records, their history rows, the grants that follow
their assignees; and the rejected rows' workbook (each row as it came, with its errors)."""

from __future__ import annotations

import tempfile

from django.db.models import Model
from django.utils import timezone

from realestate.core.permissions import grants_bulk_assign, grants_bulk_remove

BATCH = 500


def write_rows(table, rows, job) -> int:
    """Write a chunk's new and changed rows; returns how many."""
    model = table.model
    reason = f"Import #{job.pk} ({job.file_name})"
    new = [row.instance for row in rows if row.kind == "new"]
    changed = [row for row in rows if row.kind == "changed"]
    if new:
        model._default_manager.bulk_create(new, batch_size=BATCH)
        _history(model, new, job, reason, update=False)
    if changed:
        names = {name for row in changed for name in _changed_fields(table, row)}
        objects = [row.instance for row in changed]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            now = timezone.now()
            for obj in objects:
                obj.updated_at = now
            names.add("updated_at")
        model._default_manager.bulk_update(objects, sorted(names), batch_size=BATCH)
        _history(model, objects, job, reason, update=True)
    _grants(model, new, changed)
    return len(new) + len(changed)


def _changed_fields(table, row) -> set[str]:
    """Model fields a changed row writes (a coordinate column writes its point field)."""
    fields = set()
    for name, before in row.before.items():
        column = table.column(name)
        if before != table.compare_value(row.instance, column):
            fields.add(column.point or name)
    # The model's clean() may fill a field from another (a unit's project from its building).
    if "building" in fields and hasattr(row.instance, "project_id"):
        fields.add("project")
    return fields


def _history(model, objects, job, reason: str, *, update: bool) -> None:
    manager = getattr(model, "history", None)
    if manager is None:
        return
    manager.bulk_history_create(
        objects,
        batch_size=BATCH,
        update=update,
        default_user=job.user,
        default_change_reason=reason,
    )


def _grants(model, new: list[Model], changed: list) -> None:
    """Grants follow the assignees (``assignment_fields``), as a single save does."""
    for name in getattr(model, "assignment_fields", ()):
        attribute = f"{name}_id"
        added = [(obj.pk, getattr(obj, name)) for obj in new if getattr(obj, attribute)]
        removed = []
        for row in changed:
            old_id = row.before.get(name)
            new_id = getattr(row.instance, attribute)
            if name not in row.before or old_id == new_id:
                continue
            if old_id:
                removed.append((row.instance.pk, old_id))
            if new_id:
                added.append((row.instance.pk, getattr(row.instance, name)))
            row.instance._assigned_before = {
                **getattr(row.instance, "_assigned_before", {}),
                name: new_id,
            }
        if removed:
            grants_bulk_remove(model, removed)
        if added:
            grants_bulk_assign(model, added)


def estimate_rows(handle, file_format: str) -> int:
    """About how many records the file holds, for the progress bar (not a limit)."""
    handle.seek(0)
    if file_format == "csv":
        lines = 0
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
        handle.seek(0)
        return max(lines - 1, 0)
    try:
        from openpyxl import load_workbook

        book = load_workbook(handle, read_only=True)
        rows = (book.active.max_row or 1) - 1
        book.close()
    except Exception:
        rows = 0
    handle.seek(0)
    return max(rows, 0)


class RejectedRows:
    """The invalid rows as an XLSX, in the file's own columns plus one saying what is wrong,
    ready to be fixed and imported again. Built in constant memory."""

    def __init__(self, headers: list[str]):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("Rejected rows")
        self.width = len(headers)
        self.sheet.append(_as_text(self.sheet, [*headers, "Row", "Errors"]))

    def add(self, row) -> None:
        cells = list(row.cells[: self.width]) + [""] * (self.width - len(row.cells))
        errors = "; ".join(
            f"{header}: {message}" if header else message for header, _, message in row.errors
        )
        self.sheet.append(_as_text(self.sheet, [*cells, str(row.number), errors]))

    def file(self):
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the caller closes it)
        self.book.save(handle)
        handle.seek(0)
        return handle


def _as_text(sheet, values):
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # what the clerk typed, even "=…", stays text
        out.append(cell)
    return out
