"""The importer's quick paths say what the model's own ``full_clean`` says.

The importer makes new records from one blank record, cleans each field by its validators
alone when the value is of the field's own type, and remembers a value's outcome for the next
rows (``core.importing.engine``): every row here, valid or not, gets the errors
``full_clean`` gives the same record built by ``Unit(**values)``.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from realestate.properties.models import Unit
from tests.imports.conftest import uploaded_job

pytestmark = pytest.mark.django_db

COLUMNS = (
    "Code,Unit type,Purpose,Floor,Bedrooms,Bathrooms,Area (m²),List price,Currency,Description"
)
ROWS = [
    # (cells, the model's values for the same row)
    ("Q-1,apartment,sale,3,2,1,80.5,900000,AED,ok", {}),
    ("Q-2,apartment,sale,3,2,1,80.555,900000,AED,three places", {"area_sqm": "80.555"}),
    ("Q-3,apartment,sale,3,2,1,-1,900000,AED,negative", {"area_sqm": "-1"}),
    (
        "Q-4,apartment,sale,3,2,1,123456789.5,900000,AED,too many digits",
        {"area_sqm": "123456789.5"},
    ),
    ("Q-5,apartment,sale,3,2,1,80.5,-5,AED,negative price", {"list_price": "-5"}),
    ("Q-6,apartment,sale,3,-2,1,80.5,900000,AED,negative bedrooms", {"bedrooms": -2}),
    ("Q-7,apartment,sale,40000,2,1,80.5,900000,AED,floor past smallint", {"floor": 40000}),
    ("Q-8,apartment,sale,3,2,1,80.5,900000,DIRHAM,long currency", {"currency": "DIRHAM"}),
    ("Q-9,apartment,sale,3,2,1,80.5,,AED,no price for sale", {"list_price": None}),
    ("Q-10,apartment,sale,3,2,1,-1,900000,AED,negative again", {"area_sqm": "-1"}),  # remembered
    ("Q-11,apartment,sale,3,2,1,80.5,900000,AED,ok again", {}),
    ("Q-12,apartment,sale,3,2,1,80.5,900000,AED,nul \x00 inside", {}),
]


def _model_errors(code: str, changes: dict) -> dict[str, str]:
    values = {
        "code": code,
        "unit_type": "apartment",
        "purpose": "sale",
        "floor": 3,
        "bedrooms": 2,
        "bathrooms": 1,
        "area_sqm": Decimal("80.5"),
        "list_price": Decimal("900000"),
        "currency": "AED",
    }
    for name, value in changes.items():
        values[name] = Decimal(value) if isinstance(value, str) and name != "currency" else value
    unit = Unit(**values)
    exclude = ["project", "building", "agent", "owner", "location", "status", "monthly_rent"]
    try:
        unit.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return {
            name: " ".join(str(m) for e in errs for m in e.messages)
            for name, errs in error.error_dict.items()
        }
    return {}


def test_rows_get_the_errors_full_clean_gives(admin_client):
    content = COLUMNS + "\n" + "\n".join(cells for cells, _ in ROWS) + "\n"
    job = uploaded_job(admin_client, content)
    found: dict[int, dict[str, str]] = {}
    for error in job.report["errors"]:
        found.setdefault(error["row"], {})[error["column"]] = error["message"]
    headers = {
        "area_sqm": "Area (m²)",
        "list_price": "List price",
        "bedrooms": "Bedrooms",
        "floor": "Floor",
        "currency": "Currency",
        "description": "Description",
    }
    for number, (cells, changes) in enumerate(ROWS, start=2):
        code = cells.split(",", 1)[0]
        description = cells.rsplit(",", 1)[1]
        expected = _model_errors(code, changes)
        if "\x00" in description:
            unit = Unit(code=code, description=description)
            try:
                Unit._meta.get_field("description").clean(description, unit)
            except ValidationError as error:
                expected["description"] = " ".join(error.messages)
        assert found.get(number, {}) == {
            headers[name]: message for name, message in expected.items()
        }, cells
    assert job.rows_invalid == sum(1 for number in range(2, len(ROWS) + 2) if found.get(number))
    assert job.rows_invalid == len(found) >= 8
    assert "Floor" in found[8]  # a floor past the towers' is refused on either database
