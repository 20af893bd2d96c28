"""Small template helpers."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


@register.simple_tag
def field_group(field, css="mb-2"):
    """A field with its label, required mark and errors, as the wizard shows each input.

    A tag rather than an included template: the indicator step shows a dozen fields for each
    of up to 60 rows, and an include per field cost a quarter of that page's time.
    """
    required = mark_safe('<span class="text-danger">*</span>') if field.field.required else ""
    errors = format_html_join(
        "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors)
    )
    return format_html(
        '<div class="{}"><label class="form-label small mb-0" for="{}">{}{}</label>{}{}</div>',
        css,
        field.id_for_label,
        field.label,
        required,
        field.as_widget(),
        errors,
    )
