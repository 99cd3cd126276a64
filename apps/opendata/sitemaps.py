from django.urls import reverse
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap

from apps.municipalities.selectors import municipality_for_request
from apps.opendata.models import Dataset
from apps.opendata.selectors import dataset_list_public

LANGUAGES = ("ko", "en")


class DatasetSitemap(Sitemap):
    """The published dataset pages of the city this site serves, in Korean and English. A Wagtail
    sitemap only to be handed the request, which says which city that is."""

    def items(self):
        municipality = municipality_for_request(self.request)
        if municipality is None:
            return Dataset.objects.none()
        return dataset_list_public(municipality=municipality).order_by("slug")

    def _urls(self, page, protocol, domain):
        # The pages' addresses come from the Wagtail site's root URL; the datasets share that origin
        # rather than the one the request happened to arrive on.
        datasets = self.paginator.page(page).object_list
        if not datasets:
            return []
        origin = self.get_wagtail_site().root_url
        urls = []
        for dataset in datasets:
            for language in LANGUAGES:
                with translation.override(language):
                    path = reverse("opendata:dataset", kwargs={"slug": dataset.slug})
                urls.append({"item": dataset, "location": f"{origin}{path}", "lastmod": dataset.modified_at})
        return urls
