"""Fixtures for the data catalogue, shared with the browser tests (registered in tests/conftest.py)."""

import pytest
from django.utils import translation

from apps.opendata.models import Dataset, Keyword, Resource
from apps.opendata.services import dataset_refresh
from portal.celery import app as celery_app


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


@pytest.fixture
def english_messages():
    """Messages checked in English, whatever the Korean catalogue says (version errors are written
    in the language active in the worker)."""
    with translation.override("en"):
        yield


@pytest.fixture
def resource(make_dataset) -> Resource:
    """A CSV resource of a parking dataset, with no version yet."""
    return Resource.objects.create(dataset=make_dataset("public-parking"), name_ko="주차장 목록", format="CSV")


@pytest.fixture
def eager_celery():
    """Tasks run in the test's process instead of going to the project's broker."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager
