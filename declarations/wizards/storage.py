"""formtools storage in a ``DeclarationDraft`` row instead of the session.

The draft is found by the view (which checks that the user may open it) and handed to the
storage; every request writes the draft back, so a clerk can leave at any step, log out, and
resume from the home page on another day or machine. Two tabs on two drafts never share data,
because each draft is its own row and its own wizard prefix.
"""

from django.utils import timezone
from formtools.wizard.storage.base import BaseStorage

from declarations.models import DeclarationDraft


class DraftStorage(BaseStorage):
    def __init__(self, draft: DeclarationDraft, request=None):
        super().__init__(prefix=f"draft_{draft.pk}", request=request)
        self.draft = draft
        if not draft.data:
            self.init_data()

    def _get_data(self):
        return self.draft.data

    def _set_data(self, value):
        self.draft.data = value

    data = property(_get_data, _set_data)

    def update_response(self, response):
        # The draft is gone once the declaration has been saved from it.
        # A second request of a double-click may find it deleted meanwhile: update, not save.
        if self.draft.pk is not None:
            type(self.draft).objects.filter(pk=self.draft.pk).update(
                data=self.draft.data, title=self.draft.title, updated_at=timezone.now()
            )
        return super().update_response(response)
