"""Pages of the long lists (declarations, the review queue) that cost the same at any depth and
any size of the province.

A page is read in two steps: its keys, in the list's order, from the ordering index alone
(declarations.Meta.indexes include what the scopes and filters read), then those rows. Page
1,250 of 50,000 declarations then reads 25,000 index entries instead of 25,000 wide rows. A
list may also stop counting at a cap (the keyword search: a word found in thousands of
declarations is narrowed, not paged through), and says so.
"""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Django's paginator, whose count stops at ``cap`` (None: counts everything); then
    ``capped`` is true and the last page is the one that holds the ``cap``-th row."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        # COUNT(*) over at most cap + 1 rows, in whatever order the database finds them.
        found = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)


def page_of(rows, number, per_page: int, *, read_from, cap: int | None = None) -> Page:
    """The page ``number`` (as typed: a bad one gives the nearest page) of the ordered
    queryset ``rows``; its ``object_list`` is a list of those rows, in order, read from
    ``read_from`` (the user's scope with the relations the page shows): the filters that
    chose the keys need not run again."""
    paginator = CappedPaginator(rows.values_list("pk", flat=True), per_page, cap=cap)
    page = paginator.get_page(number)
    keys = list(page.object_list)
    found = read_from.in_bulk(keys) if keys else {}
    page.object_list = [found[key] for key in keys if key in found]
    return page
