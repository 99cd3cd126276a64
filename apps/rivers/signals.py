"""Events the river area sends, for the site (content) to raise or withdraw its alert without the
river area importing the site's pages."""

from django.dispatch import Signal

# Sent after the change is committed, with river=<River> and closed=<bool>: the walkway of that
# river was closed (by the water-level rule or by staff) or reopened by staff.
walkway_changed = Signal()
