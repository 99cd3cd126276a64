import importlib
import uuid

import pytest
from channels.layers import channel_layers
from django.core.management import call_command

from tests.stack_runner import start_stack

pytest_plugins = ["tests.opendata.fixtures"]


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    """Maps in tests draw no tiles: nothing is fetched from the internet."""
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def _media_folders(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _no_pages_kept_by_earlier_tests():
    """A page an earlier test kept in the page cache showed rows that test rolled back."""
    from portal import page_cache

    page_cache.new_generations(*page_cache.SCOPES)


@pytest.fixture(autouse=True)
def _a_channel_layer_per_test():
    """Each test runs its own event loop, and a channel layer keeps receive state bound to the loop
    that last received on it: a socket an earlier test left open would break the next test's."""
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _no_lookups_kept_by_earlier_tests(monkeypatch):
    """The API clients and categories an earlier test looked up were rows it rolled back."""
    from apps.complaints import lookups

    monkeypatch.setattr(lookups, "KEY_PREFIX", f"{lookups.KEY_PREFIX}:{uuid.uuid4().hex}")


@pytest.fixture
def timetable_at_weekday_noon(monkeypatch):
    """Departures read as at noon on a Wednesday inside the seed feed's calendar, so a page's "next
    three" does not depend on the hour the suite runs (late at night fewer are left)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from apps.places import departures

    noon = datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    providers = [
        lambda latitude, longitude, now, read=read: read(latitude, longitude, noon) for read in departures._providers
    ]
    monkeypatch.setattr(departures, "_providers", providers)


@pytest.fixture
def city(db):
    """Uijeongbu with its departments and complaint categories, loaded the way set-up loads them."""
    from apps.municipalities.models import Municipality

    call_command("load_reference_data", verbosity=0)
    return Municipality.objects.get(code="uijeongbu")


@pytest.fixture
def demo_site(city):
    """The Korean site with its English translation, as a fresh install has it."""
    call_command("load_demo_data", verbosity=0)
    city.refresh_from_db()
    return city.site


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The product started with bin/run on free ports and a throw-away var/; stopped with Ctrl-C."""
    yield from start_stack(tmp_path_factory.mktemp("stack"))


@pytest.fixture
def redis_down(settings, monkeypatch):
    """The cache exactly as production configures it for a REDIS_URL that nothing listens on (the
    settings module read again with that environment)."""
    import portal.settings
    from tests.rasa_stand_in import closed_port

    dead = f"redis://127.0.0.1:{closed_port()}/0"
    monkeypatch.setenv("REDIS_URL", dead)
    try:
        configured = vars(importlib.reload(portal.settings)).copy()
    finally:
        monkeypatch.undo()
        importlib.reload(portal.settings)
    assert configured["CACHES"]["default"]["LOCATION"] == dead
    settings.CACHES = configured["CACHES"]
    return dead
