"""Demo data of the documents app: the company profile with its logo and a branch's own
letterhead. Idempotent: a profile already filled in is left as it is."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile

from realestate.accounts.models import Branch
from realestate.documents.company import DEFAULT_LEGAL_NAME, company_profile
from realestate.documents.models import BranchLetterhead

PROFILE = {
    "legal_name": "Marina Crest Real Estate Development L.L.C.",
    "trade_name": "Marina Crest Properties",
    "licence_number": "CN-1184527",
    "tax_number": "100 2345 6789 0003",
    "address": (
        "Office 1204, Marina Plaza\nDubai Marina, P.O. Box 48211\nDubai, United Arab Emirates"
    ),
    "phone": "+971 4 455 8120",
    "email": "contracts@marinacrest.example",
    "website": "https://www.marinacrest.example",
    "bank_name": "Emirates NBD",
    "bank_account_name": "Marina Crest Real Estate Development LLC",
    "iban": "AE070331234567890123456",
    "swift": "EBILAEAD",
    "currency": "AED",
}


def logo_png() -> bytes:
    """A small logo: a navy tile with a gold roof and three towers."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), "#17324d")
    draw = ImageDraw.Draw(image)
    draw.polygon([(40, 110), (120, 40), (200, 110)], fill="#d4a640")
    for left, top in ((58, 120), (103, 100), (148, 130)):
        draw.rectangle([left, top, left + 34, 200], fill="#f4efe3")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def company(rng=None) -> None:
    profile = company_profile()
    if profile.legal_name == DEFAULT_LEGAL_NAME:
        for name, value in PROFILE.items():
            setattr(profile, name, value)
        profile.save()
    if not profile.logo:
        profile.logo.save("marina-crest-logo.png", ContentFile(logo_png()), save=True)
    downtown = Branch.objects.filter(code="downtown").first()
    if downtown is not None:
        BranchLetterhead.objects.get_or_create(
            branch=downtown,
            defaults={
                "address": "Boulevard Plaza Tower 2, Level 9\nDowntown Dubai, P.O. Box 11702\n"
                "Dubai, United Arab Emirates",
                "phone": "+971 4 367 2290",
            },
        )
