"""Template filters about who the finance bureau's pages are for (``{% load bureau %}``)."""

from django import template

from declarations.roles import can_export_in_bulk

register = template.Library()


@register.filter
def is_bureau(user) -> bool:
    """Reviewers and administrators: the people the bureau's overviews are for."""
    return can_export_in_bulk(user)
