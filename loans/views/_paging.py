"""Pages of a long, sorted list read cheaply, for the loan list at a commune's scale.

With 200,000 loans the list's page of 50 cost more than everything else on it together:
PostgreSQL joined every filtered loan to its household, village, program and savings group
and sorted those wide rows only to keep 50. ``NarrowFirstPaginator`` picks the page's
ids on the narrow rows first (the filters' own joins only: a sort of two columns, or a
walk of the index on the default order), then reads those rows with their joins, in the
same query. And it takes the number of rows from the caller when the caller has counted
them already (the list's totals do), instead of counting the whole filtered book a
second time.
"""

from django.core.paginator import Paginator


class NarrowFirstPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            # Paginator.count is a cached_property: this value is what it would cache.
            self.count = count

    def _get_page(self, object_list, *args, **kwargs):
        # ``object_list`` is the lazy slice ``page()`` took: one SQL query in the end,
        # "WHERE id IN (SELECT id ... ORDER BY ... LIMIT 50 OFFSET n) ORDER BY ...".
        # The outer query keeps the filters, ordering and select_related of the list.
        page_ids = object_list.values("pk")
        return super()._get_page(
            self.object_list.filter(pk__in=page_ids), *args, **kwargs
        )
