"""Import/export building blocks shared by every app's ``resources.py``.

Rows refer to other records by their business code (a project's ``code``, an agent's
``username``), never by database id, and an unknown code is reported with the value and
column that carried it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.gis.geos import Point
from import_export import fields, resources, widgets


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key looked up by a natural code, with one query per import, not per row."""

    def __init__(self, model, field="code", label=None, queryset=None, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label or model._meta.verbose_name
        self._queryset = queryset
        self._cache: dict[str, object] | None = None

    def get_queryset(self, value, row, *args, **kwargs):
        return self._queryset if self._queryset is not None else self.model._default_manager.all()

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        key = str(value).strip()
        if self._cache is None:
            queryset = self.get_queryset(value, row, **kwargs)
            self._cache = {str(getattr(obj, self.field)): obj for obj in queryset}
        try:
            return self._cache[key]
        except KeyError:
            raise ValueError(f"No {self.label} with {self.field} '{key}'.") from None


class CoordinateField(fields.Field):
    """A ``latitude`` or ``longitude`` column read into, and written from, a point field."""

    LIMITS = {"latitude": 90, "longitude": 180}

    def __init__(self, axis: str, point_attribute: str = "location", **kwargs):
        super().__init__(attribute=axis, column_name=axis, **kwargs)
        self.axis = axis
        self.point_attribute = point_attribute
        self.other = "longitude" if axis == "latitude" else "latitude"

    def get_value(self, instance):
        point = getattr(instance, self.point_attribute)
        if point is None:
            return None
        return point.y if self.axis == "latitude" else point.x

    def export(self, instance, **kwargs):
        value = self.get_value(instance)
        return "" if value is None else f"{value:.6f}"

    def save(self, instance, row, is_m2m=False, **kwargs):
        raw = row.get(self.column_name)
        other_raw = row.get(self.other)
        if raw in (None, ""):
            if other_raw not in (None, ""):
                raise ValueError(f"{self.axis} is missing while {self.other} is given.")
            setattr(instance, self.point_attribute, None)
            return
        try:
            value = float(Decimal(str(raw).strip()))
        except (InvalidOperation, ValueError):
            raise ValueError(f"'{raw}' is not a number.") from None
        if abs(value) > self.LIMITS[self.axis]:
            raise ValueError(
                f"{value} is out of range (-{self.LIMITS[self.axis]} to {self.LIMITS[self.axis]})."
            )
        point = getattr(instance, self.point_attribute) or Point(0, 0, srid=4326)
        if self.axis == "latitude":
            point.y = value
        else:
            point.x = value
        setattr(instance, self.point_attribute, point)


class BaseResource(resources.ModelResource):
    """House defaults: validate every row with the model's own rules, report skips."""

    class Meta:
        abstract = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        # All or nothing: one invalid row rolls back the whole file, so a failed import never
        # leaves part of it written (import-export's own default keeps the valid rows).
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )
