"""Documents of the inventory: the unit fact sheet, and the unit block other documents show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from realestate.core.money import format_money
from realestate.documents.choices import DocumentKind, TemplateKind
from realestate.documents.kinds import GeneratedKind, kind_register
from realestate.properties.models import Unit

UNIT_PLACEHOLDERS = {
    "code": "the unit's code",
    "type": "apartment, villa, office...",
    "purpose": "for sale, for rent or both",
    "status": "available, reserved, sold, leased, off market",
    "project": "the project's name (empty for a stand-alone unit)",
    "project_code": "the project's code",
    "building": "the building's name",
    "city": "the project's city",
    "address": "the project's address",
    "floor": "floor number (empty if none)",
    "bedrooms": "number of bedrooms",
    "bathrooms": "number of bathrooms",
    "area_sqm": "area in square metres (a Decimal)",
    "handover_date": "the project's handover date (a date)",
}


def unit_data(unit: Unit | None) -> dict:
    """A unit as documents show it (contracts, leases, invoices, the fact sheet)."""
    if unit is None:
        return dict.fromkeys(UNIT_PLACEHOLDERS, "")
    project, building = unit.project, unit.building
    return {
        "code": unit.code,
        "type": str(unit.get_unit_type_display()),
        "purpose": str(unit.get_purpose_display()),
        "status": str(unit.get_status_display()),
        "project": project.name if project else "",
        "project_code": project.code if project else "",
        "building": building.name if building else "",
        "city": project.city if project else "",
        "address": project.address if project else "",
        "floor": "" if unit.floor is None else unit.floor,
        "bedrooms": unit.bedrooms,
        "bathrooms": unit.bathrooms,
        "area_sqm": unit.area_sqm,
        "handover_date": project.handover_date if project else None,
    }


def unit_placeholders(prefix: str = "unit") -> dict[str, str]:
    return {f"{prefix}.{key}": meaning for key, meaning in UNIT_PLACEHOLDERS.items()}


def main_photo(unit: Unit):
    """The unit's first photo (by position), or None."""
    return unit.photos.order_by("position", "id").first()


def _photo_path(unit: Unit) -> str | None:
    photo = main_photo(unit)
    if photo is None:
        return None
    try:
        return photo.image.path  # local storage; S3 photos are not embedded
    except NotImplementedError:
        return None


def fact_sheet_assets(unit: Unit) -> list[str]:
    path = _photo_path(unit)
    return [path] if path else []


def fact_sheet_context(unit: Unit) -> dict:
    from pathlib import Path

    agent = unit.agent
    path = _photo_path(unit)
    photo = main_photo(unit) if path else None
    return {
        "unit": {
            **unit_data(unit),
            "list_price": format_money(unit.list_price, unit.currency)
            if unit.list_price is not None
            else "",
            "monthly_rent": format_money(unit.monthly_rent, unit.currency)
            if unit.monthly_rent is not None
            else "",
            "currency": unit.currency,
            "amenities": [amenity.name for amenity in unit.amenities.order_by("name")],
            "description": unit.description,
            "latitude": unit.latitude,
            "longitude": unit.longitude,
        },
        "photo": {"url": Path(path).as_uri(), "caption": photo.caption} if path else None,
        "agent": {
            "name": agent.get_full_name() or agent.username,
            "email": agent.email,
            "phone": agent.phone,
        }
        if agent
        else None,
    }


kind_register(
    GeneratedKind(
        kind=TemplateKind.FACT_SHEET,
        model=Unit,
        document_kind=DocumentKind.FACT_SHEET,
        title=lambda unit: str(_("Fact sheet %(code)s")) % {"code": unit.code},
        context=fact_sheet_context,
        assets=fact_sheet_assets,
        placeholders={
            **unit_placeholders(),
            "unit.list_price": "list price with currency (“AED 1,850,000.00”; empty if none)",
            "unit.monthly_rent": "monthly rent with currency (empty if none)",
            "unit.currency": "the unit's currency code",
            "unit.amenities": "list of amenity names",
            "unit.description": "the unit's description (several lines)",
            "unit.latitude": "latitude (empty without a location)",
            "unit.longitude": "longitude (empty without a location)",
            "photo.url": "the main photo, for <img src> (photo is empty without one)",
            "photo.caption": "the main photo's caption",
            "agent.name": "the assigned agent's name (agent is empty when unassigned)",
            "agent.email": "the agent's e-mail",
            "agent.phone": "the agent's phone",
        },
    )
)
