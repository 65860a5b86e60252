"""CSV/XLSX import and export of the inventory."""

from django.contrib.auth import get_user_model
from import_export import fields

from realestate.core.importing import BaseResource, CodeForeignKeyWidget, CoordinateField
from realestate.core.importing.tables import Column, ImportTable, table_register
from realestate.properties.models import Amenity, Building, Project, Unit


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


@table_register
class UnitTable(ImportTable):
    """Units as the importer, the exports and the XLSX template see them."""

    model = Unit
    key_field = "code"
    select_related = ("project", "building", "agent")
    columns = [
        Column(
            "code",
            "Code",
            "The unit's code, unique: a known code updates that unit.",
            "MH-1204",
            required=True,
        ),
        Column(
            "project",
            "Project",
            "The project's code; empty for a unit on its own.",
            "marina-heights",
            ref=(Project, "code"),
        ),
        Column(
            "building",
            "Building",
            "The building's code, in the project above.",
            "MH-T1",
            ref=(Building, "code"),
        ),
        Column("unit_type", "Unit type", "One of the list.", "Apartment", required=True),
        Column("purpose", "Purpose", "Sale, Rent, or Sale or rent.", "Sale"),
        Column(
            "status", "Status", "Exported for information; set by workflows only.", readonly=True
        ),
        Column("floor", "Floor", "A whole number; negative below ground.", "12"),
        Column("bedrooms", "Bedrooms", "A whole number (0 for a studio).", "2"),
        Column("bathrooms", "Bathrooms", "A whole number.", "2"),
        Column("area_sqm", "Area (m²)", "Square metres, e.g. 85.5.", "110.50", required=True),
        Column("list_price", "List price", "Needed for a unit for sale.", "1850000.00"),
        Column("monthly_rent", "Monthly rent", "Needed for a unit for rent.", ""),
        Column("currency", "Currency", "Three letters, e.g. AED.", "AED"),
        Column(
            "latitude",
            "Latitude",
            "Decimal degrees, -90 to 90, with the longitude.",
            "25.0805",
            point="location",
        ),
        Column(
            "longitude", "Longitude", "Decimal degrees, -180 to 180.", "55.1403", point="location"
        ),
        Column(
            "agent",
            "Agent",
            "The username of an active sales agent.",
            "",
            ref=(get_user_model(), "username"),
        ),
        Column("description", "Description", "Free text.", "Corner unit, sea view"),
    ]


@table_register
class ProjectTable(ImportTable):
    """Projects; the property manager is exported, and changed only by grants managers in
    the project's page (it hands out access)."""

    model = Project
    key_field = "code"
    select_related = ("manager",)
    columns = [
        Column(
            "code",
            "Code",
            "The project's code (letters, digits, dashes).",
            "marina-heights",
            required=True,
        ),
        Column("name", "Name", "The project's name.", "Marina Heights", required=True),
        Column("status", "Status", "One of the list.", "Planning"),
        Column("city", "City", "", "Dubai", required=True),
        Column("address", "Address", "", "Dubai Marina"),
        Column(
            "latitude",
            "Latitude",
            "Decimal degrees, -90 to 90. Required.",
            "25.0805",
            required=True,
            point="location",
        ),
        Column(
            "longitude",
            "Longitude",
            "Decimal degrees, -180 to 180. Required.",
            "55.1403",
            required=True,
            point="location",
        ),
        Column("launch_date", "Launch date", "YYYY-MM-DD.", "2025-01-15"),
        Column(
            "handover_date", "Handover date", "YYYY-MM-DD, not before the launch.", "2027-06-30"
        ),
        Column("description", "Description", "Free text.", ""),
        Column(
            "manager",
            "Property manager",
            "Exported only.",
            readonly=True,
            ref=(get_user_model(), "username"),
        ),
    ]


@table_register
class BuildingTable(ImportTable):
    model = Building
    key_field = "code"
    select_related = ("project", "manager")
    columns = [
        Column("code", "Code", "The building's code, unique.", "MH-T1", required=True),
        Column(
            "project",
            "Project",
            "The project's code.",
            "marina-heights",
            required=True,
            ref=(Project, "code"),
        ),
        Column("name", "Name", "", "Tower 1", required=True),
        Column("floors", "Floors", "A whole number.", "40"),
        Column(
            "latitude",
            "Latitude",
            "Decimal degrees, with the longitude.",
            "25.0805",
            point="location",
        ),
        Column("longitude", "Longitude", "Decimal degrees.", "55.1403", point="location"),
        Column(
            "manager",
            "Property manager",
            "Exported only.",
            readonly=True,
            ref=(get_user_model(), "username"),
        ),
    ]


@table_register
class AmenityTable(ImportTable):
    model = Amenity
    key_field = "name"
    columns = [Column("name", "Name", "The amenity's name, unique.", "Pool", required=True)]
