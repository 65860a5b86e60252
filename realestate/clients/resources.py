"""CSV/XLSX export of clients: personal data, so exporting needs the "export personal data"
permission besides seeing the rows (see ``core.admin.ExportPermissionMixin``)."""

from django.contrib.auth import get_user_model
from import_export import fields

from realestate.clients.models import Client
from realestate.core.importing import BaseResource, CodeForeignKeyWidget


class ClientResource(BaseResource):
    agent = fields.Field(
        attribute="agent",
        column_name="agent",
        widget=CodeForeignKeyWidget(get_user_model(), field="username", label="agent"),
    )

    class Meta(BaseResource.Meta):
        model = Client
        fields = [
            "id",
            "kind",
            "name",
            "email",
            "phone",
            "nationality",
            "address",
            "id_type",
            "id_number",
            "id_expiry",
            "source",
            "agent",
            "management_fee_percent",
        ]
        export_order = fields
        name = "Clients"
