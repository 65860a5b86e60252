"""Uploaded photos are served only to those who may see their unit or maintenance request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from realestate.leasing.models import MaintenancePhoto
from realestate.properties.models import UnitPhoto
from tests.factories import MaintenanceRequestFactory, UnitFactory

pytestmark = pytest.mark.django_db

# A 1x1 PNG: photos are JPEG, PNG or WebP (core.uploads).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff"
    b"\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def unit_photo(agent):
    return UnitPhoto.objects.create(
        unit=UnitFactory(agent=agent), image=SimpleUploadedFile("front.png", PNG, "image/png")
    )


def maintenance_photo(agent):
    request = MaintenanceRequestFactory(unit=UnitFactory(agent=agent))
    return MaintenancePhoto.objects.create(
        request=request, image=SimpleUploadedFile("leak.png", PNG, "image/png")
    )


@pytest.mark.parametrize(
    "make", [unit_photo, maintenance_photo], ids=["unit photo", "maintenance photo"]
)
def test_photo_is_served_to_whoever_sees_its_record(client, agent1, agent2, make):
    photo = make(agent1)
    url = photo.image.url

    client.force_login(agent1)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"

    client.force_login(agent2)
    assert client.get(url).status_code == 404


def test_anonymous_and_unknown_files_get_404(client, agent1):
    photo = unit_photo(agent1)

    assert client.get(photo.image.url).status_code == 404
    client.force_login(agent1)
    assert client.get("/media/units/1/photos/missing.png").status_code == 404


def test_api_token_reaches_the_photo_too(jwt_client, agent1, agent2):
    photo = unit_photo(agent1)

    assert jwt_client(agent1).get(photo.image.url).status_code == 200
    assert jwt_client(agent2).get(photo.image.url).status_code == 404
