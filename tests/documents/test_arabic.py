"""Arabic and bilingual documents: right to left, shaped, in the font the setup installs
(Amiri), and the words read back in order from the PDF."""

import re
import subprocess

import pytest

from realestate.documents.rendering import render_html, render_pdf
from tests.documents.conftest import Draft, pdf_text

pytestmark = pytest.mark.django_db

#: Unicode's direction marks and embeddings, which pdftotext writes around RTL runs.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def words(content: bytes) -> str:
    return " ".join(BIDI_MARKS.sub("", pdf_text(content)).split())


def fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


def test_a_bilingual_template_renders_arabic_in_order_with_the_arabic_font(tmp_path):
    body = """
      <h1>Sale contract</h1>
      <p>The seller and the buyer agree on the sale of unit {{ unit }}.</p>
      <p lang="ar">يتفق البائع والمشتري على بيع الوحدة رقم {{ unit }}</p>
      <table><tr><td>Net price</td><td lang="ar">السعر الصافي</td></tr></table>
    """
    content = render_pdf(Draft(body=body, language="en-ar"), {"unit": "DT-1204"})
    text = words(content)
    assert "The seller and the buyer agree on the sale of unit DT-1204." in text
    # The Arabic words in their order (pdftotext puts a Latin run of an RTL line at its
    # visual end, so the unit code is checked on that line, not at a place in it).
    assert "يتفق البائع والمشتري على بيع الوحدة رقم" in text
    line = next(
        line for line in BIDI_MARKS.sub("", pdf_text(content)).splitlines() if "يتفق" in line
    )
    assert "DT-1204" in line
    assert "السعر الصافي" in text
    assert "Amiri" in fonts(content, tmp_path)


def test_an_arabic_template_is_right_to_left_as_a_whole(tmp_path):
    html = render_html(Draft(body="<p>{{ greeting }}</p>", language="ar"), {"greeting": "مرحبا"})
    assert '<html lang="ar" dir="rtl">' in html
    content = render_pdf(
        Draft(body="<p>{{ greeting }} بكم في شركتنا</p>", language="ar"), {"greeting": "مرحبا"}
    )
    assert "مرحبا بكم في شركتنا" in words(content)
    assert "Amiri" in fonts(content, tmp_path)
