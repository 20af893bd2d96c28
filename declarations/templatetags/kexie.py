"""Small template helpers."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` with the key compared as text."""
    if not mapping:
        return None
    return mapping.get(str(key))


@register.filter
def rows_in_order(form, name):
    """The rows of a wizard step's nested formset in the clerk's order."""
    return form.rows_in_order(name)
