"""CSV/XLSX import and export of payment-plan templates (keyed by name)."""

from realestate.core.importing.tables import Column, ImportTable, table_register
from realestate.sales.models import PaymentPlan


@table_register
class PaymentPlanTable(ImportTable):
    model = PaymentPlan
    key_field = "name"
    columns = [
        Column(
            "name",
            "Name",
            "The plan's name, unique: a known name updates it.",
            "10/70/20 over 24 months",
            required=True,
        ),
        Column("down_payment_percent", "Down payment %", "0 to 100.", "10"),
        Column("instalment_count", "Instalments", "A whole number, up to 360.", "24"),
        Column("frequency", "Frequency", "One of the list.", "Monthly"),
        Column("handover_percent", "On handover %", "With the down payment, at most 100.", "20"),
        Column("grace_months", "Grace months", "Months before the first instalment.", "0"),
        Column("is_active", "Offered", "yes or no.", "yes"),
        Column("notes", "Notes", "Free text.", ""),
    ]
