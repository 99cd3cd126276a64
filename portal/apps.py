from django.apps import AppConfig, apps
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

# Rows of the portal's own apps that no public page shows: changing them keeps the cached pages.
# (Any other model of apps/* or content/ that changes makes every cached page stale: a new area is
# correct by default, and lists here what only staff, the bot or the logs see, or what changes too
# often to matter, such as live numbers that reach pages over a socket.)
NOT_ON_PUBLIC_PAGES = {
    "chat.Conversation",
    "chat.FiledCase",
    "chat.Message",
    "complaints.ApiClient",
    "complaints.ComplaintSequence",
    "complaints.ContactAccess",
    "complaints.DeadlineReminder",
    "complaints.Notification",
    "complaints.ReplyTemplate",
    # Live counts reach pages over the socket; sources and devices show only in the admin. The
    # current count on mobility.CarPark is written with update(), which sends no signal.
    "mobility.CarParkSource",
    # An import's record and progress show only in the admin; the car parks it changes empty the cache.
    "mobility.CarParkImport",
    "mobility.OccupancyReading",
    "mobility.SensorDevice",
    # Sharing pages carry per-visitor forms, so the page cache never holds them; an anonymous
    # request must not empty the cache.
    "mobility.SharingBooking",
    "mobility.SharingSlot",
    "opendata.DatastoreRow",
    # River levels reach pages over the socket (the current level on rivers.WaterLevelStation is
    # written with update()); devices and the logs show only in the admin and the open dataset.
    # A walkway closing or reopening does empty the cache: through the places closures it makes.
    "rivers.GateChange",
    "rivers.LevelChange",
    "rivers.RiverDevice",
    "rivers.WaterLevelReading",  # written only with its version, whose publication is what shows
    # Stamp certificates show only on their own page, which is never kept (apps/stamps/views.py).
    "stamps.Certificate",
    "stamps.CertificateCheck",
}
# Complaints as the public case pages show them: they change with every filing, so only those
# pages are made stale by them.
CASE_MODELS = {"complaints.Complaint", "complaints.ComplaintEvent", "complaints.Photo"}
# Wagtail's own rows that pages show (pages themselves are matched by class).
WAGTAIL_ON_PUBLIC_PAGES = {"wagtailcore.Site", "wagtailcore.Locale", "wagtailcore.PageViewRestriction"}


class PortalConfig(AppConfig):
    name = "portal"

    def ready(self) -> None:
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page
        from wagtail.signals import post_page_move

        from portal import page_cache

        shown = WAGTAIL_ON_PUBLIC_PAGES | {get_image_model()._meta.label, get_document_model()._meta.label}

        def scope_of(model: type[Model]) -> str | None:
            label = model._meta.label
            if label in CASE_MODELS:
                return page_cache.CASES
            if label in NOT_ON_PUBLIC_PAGES:
                return None
            ours = model.__module__.startswith(("apps.", "content."))
            return page_cache.SITE if ours or label in shown or issubclass(model, Page) else None

        scopes = {model: scope for model in apps.get_models(include_auto_created=True) if (scope := scope_of(model))}

        def row_changed(sender: type[Model], **kwargs) -> None:
            # Every publish, unpublish and edit of a page or a snippet saves its row.
            page_cache.invalidate(scopes[sender])

        # New code or templates may render any page differently from the one kept.
        page_cache.new_generations(*page_cache.SCOPES)
        # Connected model by model: a model no receiver listens to keeps Django's fast delete (one
        # DELETE statement), which a receiver for every model would turn into fetching each row
        # first: a million datastore rows of a dataset version.
        for model in scopes:
            post_save.connect(row_changed, sender=model, dispatch_uid="page_cache.row_saved", weak=False)
            post_delete.connect(row_changed, sender=model, dispatch_uid="page_cache.row_deleted", weak=False)
        # A move rewrites the paths of the page and everything below it without saving them.
        post_page_move.connect(page_cache.invalidate_site, dispatch_uid="page_cache.page_moved")
