import pytest
from django.core.management import call_command


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
