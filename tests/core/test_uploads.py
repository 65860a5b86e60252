"""Photos are JPEG, PNG or WebP, by content and by name, within PHOTO_MAX_MB; each refusal
names the file; accepted photos are served as what they are."""

from __future__ import annotations

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from realestate.core.uploads import validate_photo
from realestate.leasing.models import MaintenancePhoto
from realestate.properties.models import UnitPhoto
from tests.factories import MaintenanceRequestFactory, UnitFactory

pytestmark = pytest.mark.django_db


def image_bytes(fmt: str, size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
#: Starts like a PNG, goes on as a web page: Pillow's verify() finds no valid image in it.
POLYGLOT = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(document.cookie)</script></html>" * 20

REFUSED = {
    "a GIF named .png": ("plan.png", lambda: image_bytes("GIF"), "is a GIF image"),
    "a PDF named .jpg": ("scan.jpg", lambda: PDF, "is not a readable image"),
    "a PNG named .pdf": ("deed.pdf", lambda: image_bytes("PNG"), "is not a photo file"),
    "a PNG named .jpg": ("front.jpg", lambda: image_bytes("PNG"), "rename it to .png"),
    "a polyglot": ("trick.png", lambda: POLYGLOT, "is not a readable image"),
    "garbage": ("noise.webp", lambda: os.urandom(4096), "is not a readable image"),
    "a BMP named .bmp": ("old.bmp", lambda: image_bytes("BMP"), "is not a photo file"),
}
ACCEPTED = {
    "JPEG": ("front.jpg", "JPEG", "image/jpeg"),
    "JPEG .jpeg": ("FRONT.JPEG", "JPEG", "image/jpeg"),
    "PNG": ("plan.png", "PNG", "image/png"),
    "WebP": ("view.webp", "WEBP", "image/webp"),
}


def oversize_png() -> bytes:
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))  # does not compress
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 1024 * 1024
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PHOTO_MAX_MB = 1


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_validator_refuses_naming_the_file(case):
    name, content, message = REFUSED[case]
    with pytest.raises(ValidationError) as refused:
        validate_photo(SimpleUploadedFile(name, content()))
    text = " ".join(refused.value.messages)
    assert f"“{name}”" in text and message in text, text


def test_validator_refuses_an_oversize_photo():
    with pytest.raises(ValidationError) as refused:
        validate_photo(SimpleUploadedFile("huge.png", oversize_png()))
    assert "“huge.png” is 1." in refused.value.messages[0]
    assert "at most 1 MB" in refused.value.messages[0]


@pytest.mark.parametrize("case", ACCEPTED, ids=list(ACCEPTED))
def test_validator_accepts_jpeg_png_webp(case):
    name, fmt, _type = ACCEPTED[case]
    upload = SimpleUploadedFile(name, image_bytes(fmt))
    validate_photo(upload)
    assert upload.tell() == 0  # left ready to be stored


@pytest.mark.parametrize("model,owner", [(UnitPhoto, "unit"), (MaintenancePhoto, "request")])
def test_both_photo_models_validate(model, owner):
    parent = UnitFactory() if owner == "unit" else MaintenanceRequestFactory()
    photo = model(**{owner: parent}, image=SimpleUploadedFile("plan.png", image_bytes("GIF")))
    with pytest.raises(ValidationError) as refused:
        photo.full_clean()
    assert "“plan.png” is a GIF image" in str(refused.value.message_dict["image"])


# --- the unit page's photo inline -----------------------------------------------------------


def change_form_data(client, url) -> dict:
    """The change form as the page shows it, ready to post back."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = (
            [str(item) for item in value] if isinstance(value, list | tuple) else str(value)
        )
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{inline.formset.prefix}-{key}"] = management[key].value()
    return data


def upload_on_unit_page(client, unit, name, content):
    url = reverse("admin:properties_unit_change", args=[unit.pk])
    data = change_form_data(client, url)
    data.update(
        {
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "0",
            "photos-0-caption": "Front",
            "photos-0-position": "0",
            "photos-0-image": SimpleUploadedFile(name, content),
        }
    )
    return client.post(url, data)


def inline_errors(response) -> str:
    formset = response.context["inline_admin_formsets"][0].formset
    return " ".join(
        str(error) for form in formset.forms for errors in form.errors.values() for error in errors
    )


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_unit_page_refuses_bad_photos_with_the_message(admin_client, case):
    unit = UnitFactory()
    name, content, message = REFUSED[case]
    response = upload_on_unit_page(admin_client, unit, name, content())
    assert response.status_code == 200
    errors = inline_errors(response)
    assert f"“{name}”" in errors and message in errors, errors
    assert f"“{name}”".encode() in response.content  # shown on the page
    assert not UnitPhoto.objects.exists()


def test_unit_page_refuses_an_oversize_photo(admin_client):
    response = upload_on_unit_page(admin_client, UnitFactory(), "huge.png", oversize_png())
    assert response.status_code == 200
    assert "at most 1 MB" in inline_errors(response)
    assert not UnitPhoto.objects.exists()


@pytest.mark.parametrize("case", ACCEPTED, ids=list(ACCEPTED))
def test_unit_page_stores_photos_served_as_what_they_are(admin_client, case):
    unit = UnitFactory()
    name, fmt, content_type = ACCEPTED[case]
    content = image_bytes(fmt)
    response = upload_on_unit_page(admin_client, unit, name, content)
    assert response.status_code == 302, inline_errors(response)
    photo = UnitPhoto.objects.get(unit=unit)

    served = admin_client.get(photo.image.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == f'inline; filename="{name}"'


def test_a_stored_file_of_another_kind_is_only_downloaded(admin_client):
    # Stored before photos were checked (the model's validation never ran for it).
    photo = UnitPhoto.objects.create(
        unit=UnitFactory(), image=SimpleUploadedFile("old.gif", image_bytes("GIF"))
    )
    served = admin_client.get(photo.image.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"] == 'attachment; filename="old.gif"'
    assert served["X-Content-Type-Options"] == "nosniff"
