"""Tables whose rows are records made by a workflow (leases, opening balances, payments):
each row is checked and written by its app's services, the calls the admin makes, so that a
rule written once holds here too.

The check (the preview) runs each new or changed row's services in a transaction that is
rolled back: whatever the services would refuse is refused, with the column it concerns. The
import runs them again, for real, each row in a savepoint: a row the services refuse then
(its unit let meanwhile) is rejected (valid rows mode) or rolls the whole file back (all or
nothing). A row whose key exists already is compared with the stored record: equal, it is
*unchanged* and nothing is written; different, the table says what may change
(``compare_existing``), and what may not is an error naming the column.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction

from realestate.core.importing.engine import CHANGED, INVALID, NEW, UNCHANGED
from realestate.core.importing.files import ImportFileError
from realestate.core.importing.tables import CellError, Column, ImportTable


class _DryRun(Exception):
    """Rolls a checked row's writes back."""


class ServiceTable(ImportTable):
    through_services = True
    #: Permissions the importing user needs besides adding the model (checked on every
    #: pass, also by the job worker, not only by the admin's buttons).
    permissions: tuple[str, ...] = ()
    #: Error codes of the services, and the column their message is shown under.
    error_columns: dict[str, str] = {}
    #: The column of an error the services raise without a field or a known code.
    error_column: str | None = None

    # --- parsing --------------------------------------------------------------------------

    def _parser(self, column: Column):
        if column.model_field is None and not (column.ref or column.point):
            return lambda text: text  # a column that is no field of the model: the table reads it
        if isinstance(column.model_field, models.DecimalField):
            return self._money(column)
        read = super()._parser(column)
        longest = getattr(column.model_field, "max_length", None)
        if not longest or column.choices:
            return read

        def text(value):
            if len(value) > longest:
                raise CellError(f"“{value[:40]}…” is longer than {longest} characters.")
            return read(value)

        return text

    def _money(self, column: Column):
        """Amounts: a point for decimals, no more decimals than the field keeps."""
        read = super()._parser(column)
        places = column.model_field.decimal_places

        def money(text):
            value = read(text)
            if value is not None and value.as_tuple().exponent < -places:
                raise CellError(f"“{text}” has more than {places} decimals.")
            return value

        return money

    def resolve(self, column: Column, codes: set[str]) -> dict:
        """As ``ImportTable.resolve``, refusing a code that names several records (clients
        share a document number under different document types)."""
        code_field = column.ref[1]
        found, several = {}, set()
        for obj in self.ref_queryset(column).filter(**{f"{code_field}__in": codes}):
            code = str(getattr(obj, code_field))
            if code in found:
                several.add(code)
            found[code] = obj
        self._several = getattr(self, "_several", set()) | several
        return {code: obj for code, obj in found.items() if code not in several}

    def ref_missing(self, column: Column, code: str) -> str:
        if code in getattr(self, "_several", ()):
            label = column.ref[0]._meta.verbose_name_plural
            return f"Several {label} have {self.code_name(column)} “{code}”."
        label = column.ref[0]._meta.verbose_name
        return f"No {label} with {self.code_name(column)} “{code}” (or not one you may see)."

    @staticmethod
    def code_name(column: Column) -> str:
        return str(column.ref[0]._meta.get_field(column.ref[1]).verbose_name)

    def text(self, row, name: str) -> str:
        """What the file's cell of column ``name`` says on ``row``."""
        for index, column in self.positions.items():
            if column.name == name:
                return row.cells[index] if index < len(row.cells) else ""
        return ""

    def given(self, name: str) -> bool:
        return any(column.name == name for column in self.positions.values())

    # --- who may ------------------------------------------------------------------------

    def needed_permissions(self) -> tuple[str, ...]:
        meta = self.model._meta
        return (f"{meta.app_label}.add_{meta.model_name}", *self.permissions)

    def permission_check(self) -> None:
        if self.user is None or self.user.is_superuser:
            return
        missing = [name for name in self.needed_permissions() if not self.user.has_perm(name)]
        if missing:
            app_label, codename = missing[0].split(".", 1)
            label = (
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                .values_list("name", flat=True)
                .first()
            )
            raise ImportFileError(
                f"Your role may not import {self.verbose_name_plural}: it needs the "
                f"permission “{label or missing[0]}”. Nothing was imported."
            )

    # --- check --------------------------------------------------------------------------

    def check_rows(self, rows: list, *, importer) -> None:
        """Decide each row's kind (new, changed, unchanged) or its errors."""
        self.positions = importer.positions
        self.permission_check()
        for row in rows:
            for column in self.positions.values():
                if column.required and row.values.get(column.name) in (None, ""):
                    row.error(column.header, "", f"{column.header} is empty: every row needs it.")
        rows = [row for row in rows if row.kind != INVALID]
        existing = self.existing({row.key for row in rows})
        for row in rows:
            instance = existing.get(row.key)
            if instance is None:
                row.kind = NEW
                self.check_new(row)
            else:
                row.instance = instance
                row.kind = UNCHANGED
                self.compare_existing(row, instance)
                if row.kind == CHANGED and not row.changes:
                    row.kind = UNCHANGED
            if row.kind in (NEW, CHANGED) and not importer.write:
                self.dry_run(row, importer.job)
            if row.kind != INVALID:
                self.checked(row)

    def existing(self, keys: set[str]) -> dict:
        """The stored records of ``keys`` (every one: a key taken out of the user's sight
        is an error of ``compare_existing``, not a new record)."""
        found = self.model._default_manager.filter(**{f"{self.key_field}__in": keys})
        return {str(getattr(obj, self.key_field)): obj for obj in found}

    def visible(self, instance) -> bool:
        manager = self.model._default_manager
        if self.user is None or not hasattr(manager, "restrict"):
            return True
        return manager.restrict(self.user, "view").filter(pk=instance.pk).exists()

    def check_new(self, row) -> None:
        """Checks of a new row before its dry run (those the services cannot make: the file's
        own rows among themselves)."""

    def checked(self, row) -> None:
        """A row passed every check: what later rows of the file are checked against."""

    def compare_existing(self, row, instance) -> None:
        """Set ``row.changes`` (header: [stored, file]) and ``row.kind = CHANGED``, or errors
        for changes the import may not make."""

    def change(self, row, name: str, stored, wanted, shown_stored=None, shown_wanted=None):
        """Note a change of column ``name`` when the file's value differs from the stored one."""
        if stored == wanted:
            return False
        header = self.column(name).header
        row.changes[header] = [
            _shown(stored if shown_stored is None else shown_stored),
            _shown(wanted if shown_wanted is None else shown_wanted),
        ]
        row.kind = CHANGED
        return True

    def dry_run(self, row, job) -> None:
        try:
            with transaction.atomic():
                self.write_row(row, job)
                raise _DryRun
        except _DryRun:
            pass
        except (ValidationError, PermissionDenied) as error:
            self.refused(row, error)

    # --- write --------------------------------------------------------------------------

    def write_rows(self, rows: list, job) -> int:
        written = 0
        for row in rows:
            try:
                with transaction.atomic():
                    self.write_row(row, job)
            except (ValidationError, PermissionDenied) as error:
                self.refused(row, error)
            else:
                written += 1
        return written

    def write_row(self, row, job) -> None:
        """Make (``row.kind == NEW``) or change the row's record through the services."""
        raise NotImplementedError

    def refused(self, row, error) -> None:
        """The services' refusal as row errors, each under the column it concerns."""
        if isinstance(error, PermissionDenied):  # a step's rule (``StepRefused``) or another
            message = getattr(error, "message", None) or str(error) or "Not allowed."
            header = self.column(self.key_field).header
            row.error(header, row.key, str(message))
            return
        headers = {column.name: column.header for column in self.columns}
        if hasattr(error, "error_dict"):
            items = [
                (name, entry) for name, entries in error.error_dict.items() for entry in entries
            ]
        else:
            items = [(NON_FIELD_ERRORS, entry) for entry in error.error_list]
        for name, entry in items:
            if name == NON_FIELD_ERRORS or name not in headers:
                name = self.error_columns.get(entry.code, self.error_column)
            message = " ".join(str(m) for m in entry.messages)
            if name in headers:
                row.error(headers[name], self.text(row, name), message)
            else:
                row.error("", "", message)
        if row.kind != INVALID:
            row.error("", "", "Refused.")


def _shown(value) -> str:
    return "" if value is None else str(value)
