from django import template

from realestate.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=""):
    """``{{ unit.list_price|money:unit.currency }}`` -> ``AED 1,234,567.50``."""
    return format_money(amount, currency)
