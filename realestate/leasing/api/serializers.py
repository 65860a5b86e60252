"""A tenant's leases and maintenance requests, an owner's units and their maintenance, as
the app shows them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from realestate.core.api.fields import NOT_BLANK, StrictBooleanField, StrictCharField
from realestate.core.money import to_money
from realestate.leasing.choices import MaintenanceCategory, Priority
from realestate.leasing.models import (
    Lease,
    MaintenanceComment,
    MaintenancePhoto,
    MaintenanceRequest,
    RentCharge,
)
from realestate.properties.models import Unit

MAX_PHOTOS = 10


def money(help_text: str = "", **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text=help_text, **kwargs
    )


class UnitBriefSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True, help_text="Project name, or null."
    )
    building = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Building code, or null."
    )
    bedrooms = serializers.IntegerField(read_only=True, min_value=0)

    class Meta:
        model = Unit
        fields = ["id", "code", "project", "building", "unit_type", "bedrooms"]
        read_only_fields = fields


class RentChargeSerializer(serializers.ModelSerializer):
    amount = money()
    invoice = serializers.SerializerMethodField(
        help_text="Its invoice's number; null until billed."
    )
    invoice_status = serializers.SerializerMethodField(help_text="Its invoice's status, or null.")

    class Meta:
        model = RentCharge
        fields = [
            "period_start", "period_end", "due_date", "amount", "currency", "invoice",
            "invoice_status",
        ]  # fmt: skip
        read_only_fields = fields

    def _invoice(self, charge):
        return getattr(charge, "receivable", None)

    def get_invoice(self, charge) -> str | None:
        invoice = self._invoice(charge)
        return invoice.number if invoice else None

    def get_invoice_status(self, charge) -> str | None:
        invoice = self._invoice(charge)
        return invoice.status if invoice else None


class LeaseSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    monthly_rent = money()
    deposit_amount = money("The deposit the lease asks for.")
    deposit_held = serializers.SerializerMethodField(
        help_text="What the company holds of it: received, less returned and kept."
    )
    end_date = serializers.DateField(read_only=True, allow_null=True, help_text="Null: periodic.")
    rent_schedule = RentChargeSerializer(source="rent_charges", many=True, read_only=True)

    class Meta:
        model = Lease
        fields = [
            "id", "number", "status", "unit", "start_date", "end_date", "term_type",
            "billing_frequency", "billing_day", "monthly_rent", "currency", "deposit_amount",
            "deposit_held", "rent_schedule", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_deposit_held(self, lease) -> str:
        held = to_money((lease.deposit_in or 0) - (lease.deposit_out or 0))
        return f"{held:.2f}"


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Served to whoever may see the request.")

    class Meta:
        model = MaintenancePhoto
        fields = ["id", "url", "caption"]
        read_only_fields = fields

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        url = photo.image.url
        return request.build_absolute_uri(url) if request else url


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(help_text="Who wrote it: the tenant, or staff.")
    mine = serializers.SerializerMethodField(help_text="Whether the caller wrote it.")

    class Meta:
        model = MaintenanceComment
        fields = ["id", "author", "mine", "body", "created_at"]
        read_only_fields = fields

    def get_author(self, comment) -> str:
        author = comment.author
        if author is None:
            return "—"
        return author.get_full_name() or author.username

    def get_mine(self, comment) -> bool:
        request = self.context.get("request")
        return bool(request and comment.author_id == request.user.pk)


class CommentCreateSerializer(serializers.Serializer):
    body = StrictCharField(max_length=4000, validators=[NOT_BLANK], help_text="The message.")


class MaintenanceRequestSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lease = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    cost = money("The job's cost, once known; null before.", allow_null=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    photos = PhotoSerializer(many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)

    class Meta:
        model = MaintenanceRequest
        fields = [
            "id", "number", "unit", "lease", "category", "priority", "title", "description",
            "permission_to_enter", "status", "cost", "currency", "completed_on", "photos",
            "comments", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class OwnerMaintenanceSerializer(serializers.ModelSerializer):
    """What an owner sees of a job on their unit: what, its status and its cost."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cost = money("The job's cost, once known; null before.", allow_null=True)
    completed_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = MaintenanceRequest
        fields = [
            "id", "number", "unit", "category", "priority", "title", "status", "cost",
            "currency", "completed_on", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class MaintenanceCreateSerializer(serializers.Serializer):
    """A problem in a unit the caller rents now: JSON, or multipart with ``photos``."""

    unit = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text="The unit (id) the caller rents now."
    )
    category = serializers.ChoiceField(choices=MaintenanceCategory.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    title = StrictCharField(
        max_length=160, required=False, allow_blank=True, help_text="Empty: the category."
    )
    description = StrictCharField(
        max_length=4000, validators=[NOT_BLANK], help_text="What is wrong, where."
    )
    permission_to_enter = StrictBooleanField(
        default=False, help_text="The technician may enter when nobody is at home."
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS,
        help_text="Up to 10 photos (JPEG, PNG or WebP), multipart only.",
    )
