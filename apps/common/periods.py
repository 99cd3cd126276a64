"""Rows shown for a period (an alert's display window, a closure): when what they show next changes."""

from datetime import datetime

from django.db.models import Min, Q, QuerySet


def next_period_edge(rows: QuerySet, *, starts: str, ends: str, at: datetime) -> datetime | None:
    """The first moment after `at` at which one of the rows' periods begins or ends, if any will."""
    found = rows.aggregate(
        begins=Min(starts, filter=Q(**{f"{starts}__gt": at})), ends=Min(ends, filter=Q(**{f"{ends}__gt": at}))
    )
    return min((moment for moment in found.values() if moment is not None), default=None)
