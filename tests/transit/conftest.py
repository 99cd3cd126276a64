"""The illustrative seed feed (data/transit/uijeongbu-illustrative), imported once for the whole
package the way set-up imports it, in a transaction rolled back after the package; each test runs
in a savepoint of it, so none sees another's changes."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.package_data import loaded_for_the_package

RECORDED = Path(__file__).parent / "recorded"
SEED_FEED = Path(settings.BASE_DIR) / "data/transit/uijeongbu-illustrative"


@pytest.fixture(scope="package")
def shared_city_id(django_db_setup, django_db_blocker) -> Iterator[int]:
    from apps.municipalities.models import Municipality

    def load() -> int:
        call_command("load_reference_data", verbosity=0)
        call_command("import_gtfs", str(SEED_FEED), verbosity=0)
        return Municipality.objects.get(code="uijeongbu").pk

    yield from loaded_for_the_package(django_db_blocker, load)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def city(shared_city_id, db):
    from apps.municipalities.models import Municipality

    return Municipality.objects.get(pk=shared_city_id)
