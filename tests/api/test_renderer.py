"""The API's JSON renderer writes DRF's bytes (``core/api/renderers.py``), with orjson."""

import datetime
import decimal
import uuid
from collections import OrderedDict

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from realestate.core.api.renderers import JSONRenderer
from tests.factories import UnitFactory

DUBAI = datetime.timezone(datetime.timedelta(hours=4))
PAYLOADS = [
    {"count": 1, "next": None, "results": [{"id": 7, "code": "MH-A-0007", "floor": -1}]},
    {
        "when": datetime.datetime(2026, 5, 4, 9, 30, 0, 123456, tzinfo=DUBAI),
        "utc": datetime.datetime(2026, 5, 4, 5, 30, tzinfo=datetime.UTC),
        "naive": datetime.datetime(2026, 5, 4, 5, 30),
        "day": datetime.date(2026, 5, 4),
        "time": datetime.time(9, 30),
        "amount": decimal.Decimal("2350000.00"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "label": gettext_lazy("Units"),
        "gap": datetime.timedelta(days=1, seconds=5),
    },
    {"name": "Burj Khalifa – برج خليفة 🏙", "quote": 'He said "hi"\\\n\t', "sep": "a\u2028b\u2029c"},
    {1: "int key", 2.5: "float key", False: "bool key", None: "none key"},
    {"floats": [0.1, 25.2048, 55.2708, -0.0, 1.274, 123456789.125, 3.0]},
    {"nested": [[{"a": [1, 2, {"b": None}]}], (), (1, 2)], "empty": {}, "flag": False},
    OrderedDict([("z", 1), ("a", 2)]),
    ReturnDict({"id": 1}, serializer=None),
    ReturnList([{"id": 1}], serializer=None),
    {"big": 2**70},  # past 64 bits: orjson refuses, DRF's renderer writes it
]


@pytest.mark.parametrize("data", PAYLOADS)
def test_the_same_bytes_as_drfs_renderer(data):
    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_the_line_separators_are_escaped():
    written = JSONRenderer().render({"text": "a\u2028b\u2029c"})

    assert written == b'{"text":"a\\u2028b\\u2029c"}'


def test_an_indented_answer_is_drfs():
    data = {"results": [{"id": 1}]}
    written = JSONRenderer().render(data, "application/json; indent=2")

    assert written == renderers.JSONRenderer().render(data, "application/json; indent=2")
    assert b'\n  "results"' in written


def test_nothing_is_nothing():
    assert JSONRenderer().render(None) == b""


@pytest.mark.django_db
def test_a_page_of_units_is_written_as_drf_writes_it(jwt_client, superuser):
    for floor in range(3):
        UnitFactory(floor=floor, updated_at=timezone.now())
    response = jwt_client(superuser).get("/api/v1/units/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == renderers.JSONRenderer().render(response.data)


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/json",
        "application/json; indent=2",
        "text/html",
        "text/html,application/xhtml+xml,*/*;q=0.8",
        "application/*",
        "application/xml",
        "*/*; q=0.5",
        "APPLICATION/JSON",
    ],
)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api", "?format=xml", "?page=1"])
@pytest.mark.parametrize("suffix", [None, "json", "api"])
def test_the_negotiation_chooses_as_drfs_does(accept, query, suffix, rf):
    """The app's usual request is answered at once; every request gets DRF's own choice
    (renderer and media type), or DRF's refusal."""
    from rest_framework.exceptions import NotAcceptable
    from rest_framework.negotiation import DefaultContentNegotiation
    from rest_framework.request import Request
    from rest_framework.settings import api_settings

    from realestate.core.api.negotiation import ContentNegotiation

    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(rf.get(f"/api/v1/units/{query}", **headers))
    renderers = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]

    def choice(negotiation):
        try:
            renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
        except NotAcceptable as refused:
            return ("refused", str(refused.detail))
        except Exception as error:  # noqa: BLE001 - DRF's 404 for an unknown format
            return (type(error).__name__, str(error))
        return (type(renderer), media_type)

    assert choice(ContentNegotiation()) == choice(DefaultContentNegotiation())
