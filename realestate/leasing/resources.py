"""CSV/XLSX import and export of vendors (keyed by name)."""

from realestate.core.importing.tables import Column, ImportTable, table_register
from realestate.leasing.models import Vendor


@table_register
class VendorTable(ImportTable):
    model = Vendor
    key_field = "name"
    columns = [
        Column(
            "name",
            "Name",
            "The vendor's name, unique: a known name updates it.",
            "Aqua Fix LLC",
            required=True,
        ),
        Column("trade", "Trade", "One of the list.", "Plumbing"),
        Column("phone", "Phone", "", "+971 4 000 0000"),
        Column("email", "Email", "", "jobs@aquafix.example"),
    ]
