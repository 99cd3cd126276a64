"""Paging long admin lists without counting every row on every page."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.paginator import WagtailPaginator


class CountCappedPaginator(WagtailPaginator):
    """Wagtail's paginator, counting at most `count_limit` rows from the start of the page asked
    for: an exact COUNT(*) reads every matching row, and at a hundred thousand cases that costs more
    than reading the page's own rows off an index. Below the limit the count is exact; past it `more`
    is true and the count is a lower bound. Every page stays reachable: each counts from its first row."""

    def __init__(self, object_list: QuerySet, per_page: int, *, page_number: object, count_limit: int):
        super().__init__(object_list, per_page)
        self.count_limit = count_limit
        self.counted_from = (_page_asked(page_number) - 1) * per_page

    @cached_property
    def _counted_in_window(self) -> int:
        """The rows from the page's first one on, up to one past the limit. Order changes no count,
        so the ORDER BY goes (and with it, on PostgreSQL, a sort)."""
        start = self.counted_from
        return self.object_list.order_by().values("pk")[start : start + self.count_limit + 1].count()

    @cached_property
    def count(self) -> int:
        if self.counted_from and not self._counted_in_window:
            # A page past the end: the whole count, so that get_page() offers the real last page.
            return self.object_list.count()
        return self.counted_from + min(self._counted_in_window, self.count_limit)

    @property
    def more(self) -> bool:
        """Whether there are rows past those counted."""
        return self._counted_in_window > self.count_limit

    @cached_property
    def items_count_label(self) -> str:
        if self.more:
            counted = {"count": intcomma(self.count), "items": self.verbose_name_plural}
            return _("more than %(count)s %(items)s") % counted
        return super().items_count_label


# No list has this many pages; a bigger number asked for would overflow the database's OFFSET.
PAGE_NUMBER_CEILING = 10**9


def _page_asked(number: object) -> int:
    # As lenient as Paginator.get_page(), which shows the first page for a number it cannot read.
    try:
        return min(max(1, int(number)), PAGE_NUMBER_CEILING)
    except (TypeError, ValueError):
        return 1
