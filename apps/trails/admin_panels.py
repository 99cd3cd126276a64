"""Read-only panels of the trail editor: what the track gives, so editors see the figures the
walkers see (and whether the track is only approximate) before they publish."""

from wagtail.admin.panels import HelpPanel


class TrackSummaryPanel(HelpPanel):
    def __init__(self, **kwargs):
        kwargs.setdefault("template", "trails/admin/track_summary_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["trail"] = page.source if page.pk else page
            context["is_translation"] = page.pk is not None and page.source.pk != page.pk
            return context
