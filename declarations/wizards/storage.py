"""formtools storage in a ``DeclarationDraft`` row instead of the session.

The draft is found by the view (which checks that the user may open it) and handed to the
storage; every request writes the draft back, so a clerk can leave at any step, log out, and
resume from the home page on another day or machine. Two tabs on two drafts never share data,
because each draft is its own row and its own wizard prefix.
"""

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
        if self.draft.pk is not None:
            self.draft.save(update_fields=["data", "title", "updated_at"])
        return super().update_response(response)
