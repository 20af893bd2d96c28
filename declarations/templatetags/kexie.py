"""Small template helpers."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` with the key compared as text."""
    if not mapping:
        return None
    return mapping.get(str(key))
