import pytest

from apps.opendata.models import Dataset, Keyword
from apps.opendata.services import dataset_refresh


@pytest.fixture
def make_dataset(city):
    """A published dataset of the test city; keyword arguments override the metadata."""

    def make(slug: str, *, keywords: tuple[str, ...] = (), department: str = "big-data", **fields) -> Dataset:
        values = {
            "title_ko": slug,
            "category": "transport",
            "update_cycle": "yearly",
            "licence": "KOGL-Type1",
            **fields,
        }
        dataset = Dataset.objects.create(
            municipality=city, slug=slug, department=city.departments.get(code=department), **values
        )
        dataset.keywords.set([Keyword.objects.get_or_create(name=name)[0] for name in keywords])
        dataset.save()  # a parental many-to-many is written on save
        return dataset_refresh(dataset)

    return make
