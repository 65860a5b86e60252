"""Amounts in words, as contracts and receipts write them beside the figures (and figures).

``amount_in_words(Decimal("1850000.50"), "AED")`` -> ``"One million, eight hundred and fifty
thousand UAE dirhams and 50 fils only"``. The whole units are spelled out by ``num2words``
(English and Arabic); the minor units are always counted exactly from the ``Decimal``, never
through a float.
"""

from __future__ import annotations

from decimal import Decimal

from num2words import num2words

from realestate.core.money import to_money

#: Currency: (English name of the whole unit, of the minor unit, Arabic names of both).
CURRENCIES = {
    "AED": ("UAE dirhams", "fils", "درهم إماراتي", "فلس"),
    "SAR": ("Saudi riyals", "halalas", "ريال سعودي", "هللة"),
    "QAR": ("Qatari riyals", "dirhams", "ريال قطري", "درهم"),
    "OMR": ("Omani rials", "baisa", "ريال عماني", "بيسة"),
    "KWD": ("Kuwaiti dinars", "fils", "دينار كويتي", "فلس"),
    "BHD": ("Bahraini dinars", "fils", "دينار بحريني", "فلس"),
    "EGP": ("Egyptian pounds", "piastres", "جنيه مصري", "قرش"),
    "USD": ("US dollars", "cents", "دولار أمريكي", "سنت"),
    "EUR": ("euros", "cents", "يورو", "سنت"),
    "GBP": ("pounds sterling", "pence", "جنيه إسترليني", "بنس"),
}


def amount_in_words(amount, currency: str = "", language: str = "en") -> str:
    """The amount spelled out, with its currency, for ``language`` ``"en"`` or ``"ar"``.
    Cents are written in figures over 100 when the currency is not known."""
    if amount is None:
        return ""
    value = to_money(Decimal(amount))
    negative = value < 0
    value = abs(value)
    whole = int(value)
    cents = int((value - whole) * 100)
    major, minor, major_ar, minor_ar = CURRENCIES.get(currency, (currency, "", currency, ""))
    if language == "ar":
        text = f"{num2words(whole, lang='ar')} {major_ar}".strip()
        if cents:
            text += f" و {num2words(cents, lang='ar')} {minor_ar or '/100'}".rstrip()
        text += " فقط لا غير"
        return ("سالب " if negative else "") + text
    text = f"{num2words(whole, lang='en')} {major}".strip()
    if cents:
        text += f" and {cents} {minor}" if minor else f" and {cents:02d}/100"
    text = f"{text} only"
    if negative:
        text = f"minus {text}"
    return text[0].upper() + text[1:]


def figures(amount) -> str:
    """An amount in figures without its currency, for the columns of a table: ``1,200.00``
    (empty for None)."""
    if amount is None or amount == "":
        return ""
    return f"{to_money(Decimal(amount)):,.2f}"
