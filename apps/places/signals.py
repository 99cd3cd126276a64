"""Events places sends, for any area to subscribe to (a river closure warning the trail markers
near it, the page cache dropping the pages of what was closed) without importing each other."""

from django.dispatch import Signal

# Sent after the change is committed, with closure=<Closure> and change="created", "updated",
# "lifted" or "deleted" (a deleted closure is passed as it was).
closure_changed = Signal()
