"""The review step's preview: the official table as it would be saved, and the warnings."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from declarations.exports.html import render_html
from declarations.exports.layouts import build_grid
from declarations.exports.service import with_export_data
from declarations.models import Declaration
from declarations.services import (
    DeclarationInput,
    DuplicateDeclaration,
    EditConflict,
    save_declaration,
)
from indicators.rules import warnings_for


class _Rollback(Exception):
    pass


@dataclass
class Preview:
    html: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def preview(data: DeclarationInput, **kwargs) -> Preview:
    """Save inside a transaction that is rolled back, and render what would be saved: the
    official table as HTML and the warnings, or the errors saving would raise. Nothing is
    written."""
    result = Preview()
    try:
        with transaction.atomic():
            declaration = save_declaration(data, **kwargs)
            declaration = with_export_data(Declaration.objects.filter(pk=declaration.pk)).get()
            result.html = render_html(build_grid(declaration))
            result.warnings = warnings_for(declaration)
            raise _Rollback
    except _Rollback:
        pass
    except ValidationError as exc:
        result.errors = exc.messages
    except (EditConflict, PermissionDenied, DuplicateDeclaration) as exc:
        result.errors = [str(exc)]
    return result
