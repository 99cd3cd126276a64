from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap lists only the site's own page tree; ours adds every translation of it."""

    def items(self):
        home = self.get_wagtail_site().root_page
        trees = Page.objects.none()
        for translation in home.get_translations(inclusive=True):
            trees |= translation.get_descendants(inclusive=True)
        return trees.live().public().order_by("path").defer_streamfields().specific()
