"""CSV/XLSX import and export of the inventory."""

from django.contrib.auth import get_user_model
from import_export import fields

from realestate.core.importing import BaseResource, CodeForeignKeyWidget, CoordinateField
from realestate.properties.models import Building, Project, Unit


class UnitResource(BaseResource):
    code = fields.Field(attribute="code", column_name="code")
    project = fields.Field(
        attribute="project",
        column_name="project",
        widget=CodeForeignKeyWidget(Project, field="code"),
    )
    building = fields.Field(
        attribute="building",
        column_name="building",
        widget=CodeForeignKeyWidget(Building, field="code"),
    )
    agent = fields.Field(
        attribute="agent",
        column_name="agent",
        widget=CodeForeignKeyWidget(get_user_model(), field="username", label="agent"),
    )
    # The status is set by workflows only: exported for information, ignored on import.
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    latitude = CoordinateField("latitude")
    longitude = CoordinateField("longitude")

    class Meta(BaseResource.Meta):
        model = Unit
        import_id_fields = ["code"]
        fields = [
            "code",
            "project",
            "building",
            "unit_type",
            "purpose",
            "status",
            "floor",
            "bedrooms",
            "bathrooms",
            "area_sqm",
            "list_price",
            "monthly_rent",
            "currency",
            "latitude",
            "longitude",
            "agent",
            "description",
        ]
        export_order = fields
        name = "Units"
